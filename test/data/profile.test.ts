// The data-quality profile: column statistics, each dataset warning on small frames made to trigger it, and
// suspected leakage on the real bank marketing data (duration) but not on telco churn or covertype.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn } from '../../src/core/frame.js';
import { type Dataset, formatProfile, profileDataset, readDataset } from '../../src/data/index.js';
import { inferSchema } from '../../src/data/infer.js';
import { auc } from '../../src/data/profile/predictive-power.js';
import { DEFAULT_MISSING_MARKERS } from '../../src/data/schema.js';
import { dataset, datasetsMissing } from './helpers/datasets.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/data');

function asDataset(frame: Frame): Dataset {
  return {
    frame,
    raw: frame,
    schema: inferSchema(frame, { markers: DEFAULT_MISSING_MARKERS }),
    source: { source: 'memory', kind: 'file', notes: [], badRows: { count: 0, examples: [] }, readSeconds: 0, phases: { sniff: 0, parse: 0, infer: 0 } },
  };
}

const kinds = (warnings: { kind: string; column?: string }[]) => warnings.map((w) => `${w.kind}${w.column ? `:${w.column}` : ''}`).sort();

describe('column statistics', () => {
  test('numbers: moments, quantiles, histogram; labels: top values', async () => {
    const d = await readDataset(path.join(FIXTURES, 'messy.csv'));
    const p = profileDataset(d);
    const revenue = p.columnProfiles.find((c) => c.name === 'revenue');
    assert.equal(revenue?.type, 'number');
    assert.equal(revenue?.missing, 1);
    assert.equal(revenue?.number?.min, 980);
    assert.equal(revenue?.number?.max, 15600);
    assert.equal(revenue?.histogram.counts.reduce((a, b) => a + b, 0), 21);
    const plan = p.columnProfiles.find((c) => c.name === 'plan');
    // the profile shows the data as it is: "basic " is still its own spelling here
    assert.deepEqual(plan?.top, [
      { value: 'Standard', count: 8 },
      { value: 'Basic', count: 7 },
      { value: 'Premium', count: 6 },
      { value: 'basic ', count: 1 },
    ]);
    assert.equal(p.duplicateRows, 1);
    assert.equal(p.rows, 22);
  });

  test('the AUC helper matches a hand count (ties count half)', () => {
    const score = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.4]);
    const y = Int32Array.from([0, 0, 1, 1, 1]);
    // positive/negative pairs: (0.35>0.1) (0.35<0.4) (0.8>0.1) (0.8>0.4) (0.4>0.1) (0.4=0.4) -> 4.5 of 6
    assert.equal(auc(score, y, 1), 4.5 / 6);
  });
});

describe('warnings', () => {
  test('duplicates, constant, empty, mostly missing, identifier, high cardinality, mixed types, spelling variants', () => {
    const n = 200;
    const frame = Frame.fromColumns({
      id: categoryFromStrings(Array.from({ length: n }, (_, i) => `row-${i}`)),
      same: categoryFromStrings(Array(n).fill('x')),
      empty: numberColumn(new Float64Array(n).fill(NaN)),
      sparse: numberColumn(Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? i : NaN))),
      zip: categoryFromStrings(Array.from({ length: n }, (_, i) => `Z${i % 150}`)),
      mixed: categoryFromStrings(Array.from({ length: n }, (_, i) => (i % 40 === 0 ? 'unknown' : String(i % 9)))),
      answer: categoryFromStrings(Array.from({ length: n }, (_, i) => ['Yes', 'yes', 'No'][i % 3])),
    });
    const withDuplicates = frame.take(Uint32Array.from([...Array(n).keys(), 0, 1]));
    const p = profileDataset(asDataset(withDuplicates));
    assert.deepEqual(kinds(p.warnings), [
      'all-missing:empty',
      'constant:same',
      'duplicates',
      'high-cardinality:zip',
      'identifier:id',
      'many-missing:sparse',
      'mixed-types:mixed',
      'spelling-variants:answer',
    ]);
    assert.match(p.warnings.find((w) => w.kind === 'mixed-types')?.advice ?? '', /--missing "unknown"/);
    assert.match(p.warnings.find((w) => w.kind === 'duplicates')?.message ?? '', /^2 rows/);
  });

  test('class imbalance with a target', () => {
    const y = categoryFromStrings(Array.from({ length: 100 }, (_, i) => (i < 8 ? 'fraud' : 'ok')));
    const x = numberColumn(Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 11));
    const p = profileDataset(asDataset(Frame.fromColumns({ x, y })), { target: 'y' });
    const w = p.warnings.find((v) => v.kind === 'class-imbalance');
    assert.match(w?.message ?? '', /"fraud" is only 8\.0 % of rows \(8 of 100\)/);
  });

  test('a column that copies the target is flagged as near-perfect leakage', () => {
    const n = 400;
    const y = Array.from({ length: n }, (_, i) => ((i * 7919) % 13 < 6 ? 'yes' : 'no'));
    const frame = Frame.fromColumns({
      noise: numberColumn(Float64Array.from({ length: n }, (_, i) => (i * 104729) % 97)),
      outcome_code: numberColumn(Float64Array.from(y, (v, i) => (v === 'yes' ? 100 + (i % 5) : i % 5))),
      y: categoryFromStrings(y),
    });
    const p = profileDataset(asDataset(frame), { target: 'y' });
    const leak = p.warnings.filter((w) => w.kind === 'leakage');
    assert.equal(leak.length, 1);
    assert.equal(leak[0].column, 'outcome_code');
    assert.match(leak[0].message, /almost perfectly \(AUC 1\.00\)/);
  });
});

describe('leakage on real data', { skip: datasetsMissing() }, () => {
  test("bank marketing: the call's duration is flagged (known only after the call)", async () => {
    const p = profileDataset(await readDataset(dataset('bank_marketing/bank-full.csv')), { target: 'y' });
    const leak = p.warnings.filter((w) => w.kind === 'leakage');
    assert.deepEqual(leak.map((w) => w.column), ['duration']);
    assert.match(leak[0].message, /duration predicts y far better than any other column \(AUC 0\.8\d; next best month, AUC 0\.6\d\)/);
    assert.equal(p.predictivePower[0].name, 'duration');
    assert.ok(p.warnings.some((w) => w.kind === 'class-imbalance'));
    const text = formatProfile(p);
    assert.match(text, /45,211 rows × 17 columns/);
    assert.match(text, /suspected target leakage/);
  });

  test('telco churn and covertype: strong features, no leakage claimed', async () => {
    for (const [file, target] of [
      ['telco_churn/Telco-Customer-Churn.csv', 'Churn'],
      ['covertype_kaggle/train.csv', 'Cover_Type'],
    ]) {
      const p = profileDataset(await readDataset(dataset(file)), { target });
      assert.deepEqual(p.warnings.filter((w) => w.kind === 'leakage'), [], file);
      assert.ok(p.predictivePower[0].score > 0.7, `${file}: its strongest column is still found`);
    }
  });
});
