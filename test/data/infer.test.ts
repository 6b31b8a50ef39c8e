import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn } from '../../src/core/frame.js';
import { applySchema, inferColumn, inferSchema } from '../../src/data/infer.js';
import { DEFAULT_MISSING_MARKERS } from '../../src/data/schema.js';

const markers = DEFAULT_MISSING_MARKERS;
const labels = (values: (string | null)[]) => categoryFromStrings(values);
const repeat = <T>(values: T[], times: number): T[] => Array.from({ length: times }, () => values).flat();

test('numbers stored as text become numbers; blank and marker cells count as missing', () => {
  const info = inferColumn('TotalCharges', labels(['29.85', ' ', '1,889.50', '108.15', 'NA']), { markers });
  assert.equal(info.type, 'number');
  assert.equal(info.kind, 'number');
  assert.equal(info.convertedFromText, true);
  assert.equal(info.missing, 2);
  assert.deepEqual(info.markersFound, { ' ': 1, NA: 1 });
  assert.equal(info.parse.number?.thousands, ',');
});

test('currency and percent columns are numbers, and say so', () => {
  const money = inferColumn('fee', labels(['$12.50', '$1,049.99', '$0.99']), { markers });
  assert.equal(money.type, 'number');
  assert.equal(money.parse.number?.currency, '$');
  const share = inferColumn('discount', labels(['5%', '12.5%', '0%']), { markers });
  assert.equal(share.type, 'number');
  assert.equal(share.parse.number?.percent, true);
});

test('decimal commas are recognised when no dot-decimal reading fits', () => {
  const info = inferColumn('amount', labels(['1.234,50', '12,75', '3.000,00']), { markers });
  assert.equal(info.type, 'number');
  assert.equal(info.parse.number?.decimal, ',');
});

test('yes/no labels and 0/1 numbers are booleans', () => {
  assert.equal(inferColumn('active', labels(['Yes', 'No', 'yes']), { markers }).type, 'boolean');
  const flags = inferColumn('SeniorCitizen', numberColumn(Float64Array.from([0, 1, 0, 0])), { markers });
  assert.equal(flags.type, 'boolean');
  assert.equal(flags.kind, 'number');
});

test('identifiers: unique codes, and unique whole numbers named like ids or counting up', () => {
  const codes = Array.from({ length: 30 }, (_, i) => `7590-V${String(i).padStart(4, '0')}`);
  assert.equal(inferColumn('customerID', labels(codes), { markers }).type, 'identifier');
  const ids = Float64Array.from({ length: 30 }, (_, i) => 1000 + i * 7);
  assert.equal(inferColumn('user_id', numberColumn(ids), { markers }).type, 'identifier');
  assert.equal(inferColumn('amount', numberColumn(ids), { markers }).type, 'number');
  const rowNumbers = Float64Array.from({ length: 30 }, (_, i) => i + 1);
  assert.equal(inferColumn('column1', numberColumn(rowNumbers), { markers }).type, 'identifier');
});

test('free text versus categories', () => {
  const messages = Array.from({ length: 40 }, (_, i) => `this is message number ${i} about nothing much`);
  assert.equal(inferColumn('message', labels(messages), { markers }).type, 'text');
  assert.equal(inferColumn('plan', labels(repeat(['Basic', 'Premium', 'Standard'], 10)), { markers }).type, 'category');
});

test('dates written as text, in a detected layout', () => {
  const info = inferColumn('release', labels(['01-Jan-1995', '15-Mar-1996', '']), { markers });
  assert.equal(info.type, 'datetime');
  assert.equal(info.parse.date, 'd-mon-y');
  assert.equal(info.missing, 1);
});

test('a column of mostly numbers with a few words stays labels and is reported as mixed', () => {
  const values = [...repeat(['1', '2', '3', '4', '5'], 4), 'unknown'];
  const info = inferColumn('pdays', labels(values), { markers });
  assert.equal(info.type, 'category');
  assert.equal(info.mixed?.dominant, 'number');
  assert.deepEqual(info.mixed?.examples, ['unknown']);
  // once the user says "unknown" means missing, it is a number column
  const fixed = inferColumn('pdays', labels(values), { markers: [...markers, 'unknown'] });
  assert.equal(fixed.type, 'number');
  assert.equal(fixed.missing, 1);
});

test('types forced by the user win, and applySchema converts the frame', () => {
  const frame = Frame.fromColumns({ zip: labels(['02134', '10001', '94105']), n: labels(['1', '2', 'x']) });
  const schema = inferSchema(frame, { markers, types: { n: 'number' } });
  assert.equal(schema.columns[0].type, 'number'); // zip codes look like numbers…
  const kept = inferSchema(frame, { markers, types: { zip: 'category' } });
  assert.equal(kept.columns[0].type, 'category'); // …unless the user says otherwise
  const typed = applySchema(frame, schema);
  assert.equal(typed.column('n').kind, 'number');
  assert.deepEqual(Array.from((typed.column('n') as { values: Float64Array }).values), [1, 2, NaN]);
});
