// The input signature: what it records about training columns, and how JSON records are validated and typed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { checkFrame, inferSignature, parseIsoDateTime, recordsToFrame, signatureFromJSON, unseenCategories } from '../../src/features/index.js';

const train = Frame.fromColumns([
  ['id', numberColumn(Float64Array.of(1, 2, 3))],
  ['tenure', numberColumn(Float64Array.of(1, 5, NaN))],
  ['plan', categoryFromStrings(['pro', 'basic', null])],
  ['since', datetimeColumn(Float64Array.of(0, 1e9, 2e9))],
  ['note', textColumn(['a', 'b', null])],
  ['churn', categoryFromStrings(['No', 'Yes', 'No'])],
]);
const signature = inferSignature(train, { features: ['tenure', 'plan', 'since', 'note'], target: { name: 'churn', task: 'binary', classes: ['No', 'Yes'] } });

function issuesOf(fn: () => unknown): { path: string; expected: string; received: string; message?: string }[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.issues.map((i) => ({ ...i, path: i.path.join('.') }));
  }
  assert.fail('expected a validation error');
}

test('the signature lists every column with its role and type, and the training categories', () => {
  assert.deepEqual(signature.columns, [
    { name: 'id', type: 'number', role: 'ignored', required: false },
    { name: 'tenure', type: 'number', role: 'feature', required: true },
    { name: 'plan', type: 'category', role: 'feature', required: true, categories: ['basic', 'pro'] },
    { name: 'since', type: 'datetime', role: 'feature', required: true },
    { name: 'note', type: 'text', role: 'feature', required: true },
    { name: 'churn', type: 'category', role: 'target', required: false, categories: ['No', 'Yes'] },
  ]);
  assert.deepEqual(signatureFromJSON(JSON.parse(JSON.stringify(signature))), signature);
  assert.throws(() => signatureFromJSON({ columns: [{ name: 'a', type: 'blob', role: 'feature', required: true }], target: null }), /column "a" has unknown type/);
});

test('good records become a typed frame: null is missing, categories may be numbers, dates ISO or epoch ms', () => {
  const f = recordsToFrame(signature, [
    { tenure: 3, plan: 'pro', since: '2024-05-01T10:00:00Z', note: 'hi', id: 9, churn: 'No' },
    { tenure: null, plan: 7, since: 86_400_000, note: null },
    { tenure: 0, plan: null, since: '2024-05-01', note: '' },
  ]);
  assert.deepEqual(f.names, ['id', 'tenure', 'plan', 'since', 'note', 'churn']);
  assert.deepEqual(f.toRecords(), [
    { id: 9, tenure: 3, plan: 'pro', since: Date.UTC(2024, 4, 1, 10), note: 'hi', churn: 'No' },
    { id: null, tenure: null, plan: '7', since: 86_400_000, note: null, churn: null },
    { id: null, tenure: 0, plan: null, since: Date.UTC(2024, 4, 1), note: '', churn: null },
  ]);
  assert.deepEqual(unseenCategories(signature, f), { plan: ['7'] });
});

test('every bad field is reported with its path, what was expected and what came', () => {
  const issues = issuesOf(() =>
    recordsToFrame(
      signature,
      [
        { tenure: '42', plan: 'pro', since: 'yesterday', note: 'x' },
        { plan: ['a'], since: '2024-02-30', note: 5, colour: 'red' },
        'not a record',
      ],
      { path: ['rows'] },
    ),
  );
  assert.deepEqual(
    issues.map((i) => [i.path, i.expected, i.received]),
    [
      ['rows.0.tenure', 'a number', '"42"'],
      ['rows.0.since', 'an ISO 8601 date-time string or epoch milliseconds', '"yesterday"'],
      ['rows.1.tenure', 'a number (or null when unknown)', 'nothing'],
      ['rows.1.plan', 'a string', 'array(1)'],
      ['rows.1.since', 'an ISO 8601 date-time string or epoch milliseconds', '"2024-02-30"'],
      ['rows.1.note', 'a string', '5'],
      ['rows.1.colour', 'a known column', '"red"'],
      ['rows.2', 'an object with one key per column', '"not a record"'],
    ],
  );
  assert.throws(() => recordsToFrame(signature, { rows: [] }), /expected a list of records/);
  assert.throws(() => recordsToFrame(signature, [{ tenure: Infinity, plan: 'a', since: 0, note: 'x' }]), /invalid input at 0.tenure: expected a finite number, got Infinity/);
  assert.equal(issuesOf(() => recordsToFrame(signature, Array.from({ length: 50 }, () => ({})), { maxIssues: 7 })).length, 7);
  // unknown keys may be allowed explicitly
  assert.equal(recordsToFrame(signature, [{ tenure: 1, plan: 'a', since: 0, note: 'x', extra: 1 }], { allowUnknown: true }).nRows, 1);
});

test('ISO 8601 parsing: zones, fractions, and impossible dates', () => {
  assert.equal(parseIsoDateTime('2024-05-01T12:30:15.250+02:00'), Date.UTC(2024, 4, 1, 10, 30, 15, 250));
  assert.equal(parseIsoDateTime('2024-05-01 12:30'), Date.UTC(2024, 4, 1, 12, 30));
  assert.ok(Number.isNaN(parseIsoDateTime('2023-02-29')));
  assert.ok(Number.isNaN(parseIsoDateTime('01/05/2024')));
  assert.ok(Number.isNaN(parseIsoDateTime('2024-05-01T25:00')));
});

test('a frame for batch scoring needs every feature column with a compatible kind; extra columns are fine', () => {
  checkFrame(signature, train.withColumn('extra', numberColumn(Float64Array.of(1, 2, 3))));
  checkFrame(signature, train.withColumn('plan', textColumn(['pro', null, 'x'])));
  const issues = issuesOf(() => checkFrame(signature, train.drop(['since']).withColumn('tenure', categoryFromStrings(['1', '2', '3']))));
  assert.deepEqual(issues.map((i) => i.message), ['column "tenure" should be number, but is category', 'column "since" is missing']);
});

test('batch frames: category columns that arrived as numbers are turned into labels', async () => {
  const { conformFrame } = await import('../../src/features/index.js');
  const numeric = train.withColumn('plan', numberColumn(Float64Array.of(7, NaN, 3)));
  checkFrame(signature, numeric);
  const f = conformFrame(signature, numeric);
  assert.equal(f.column('plan').kind, 'category');
  assert.deepEqual(f.toRecords().map((r) => r.plan), ['7', null, '3']);
});
