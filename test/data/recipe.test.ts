// Cleaning recipes: each step fitted and applied with counts; the recipe as JSON applies identically; predict
// mode never drops rows and tolerates a missing target; the apply code bundles for the browser.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { build } from 'esbuild';
import { KilnError } from '../../src/core/errors.js';
import { categoryFromStrings, Frame, numberColumn, textColumn, valueAt } from '../../src/core/frame.js';
import { applyRecipe, applyRecipeWithReport, cleanDataset, fitRecipe, parseRecipe, readDataset, type Recipe } from '../../src/data/index.js';
import { inferSchema } from '../../src/data/infer.js';
import { DEFAULT_MISSING_MARKERS } from '../../src/data/schema.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/data');
const markers = DEFAULT_MISSING_MARKERS;

function fitOn(frame: Frame, options: Parameters<typeof fitRecipe>[2] = {}) {
  const schema = inferSchema(frame, { markers });
  const recipe = fitRecipe(frame, schema, options);
  return { recipe, ...applyRecipeWithReport(recipe, frame) };
}

const step = (report: { step: string; changed: number }[], name: string) => report.find((s) => s.step === name);

describe('fitting and applying steps', () => {
  test('trim and unify spelling variants: the most frequent spelling wins', () => {
    const frame = Frame.fromColumns({
      plan: categoryFromStrings(['Basic', 'basic ', 'BASIC', 'Basic', 'Premium', 'premium']),
      y: categoryFromStrings(['a', 'b', 'a', 'b', 'a', 'b']),
    });
    const { frame: out, report } = fitOn(frame, { dropDuplicates: false });
    assert.deepEqual(out.toRecords().map((r) => r.plan), ['Basic', 'Basic', 'Basic', 'Basic', 'Premium', 'Premium']);
    assert.equal(step(report, 'trim-whitespace')?.changed, 1);
    assert.equal(step(report, 'unify-variants')?.changed, 3);
  });

  test('impute: median for numbers, most frequent label for categories, with indicators', () => {
    const frame = Frame.fromColumns({
      age: numberColumn(Float64Array.from([20, NaN, 40, 30, NaN, 100])),
      city: categoryFromStrings(['A', 'B', null, 'B', 'A', 'B']),
    });
    const { recipe, frame: out, report } = fitOn(frame, { missingIndicator: true, outliers: 'none', dropDuplicates: false });
    assert.deepEqual(Array.from((out.column('age') as { values: Float64Array }).values), [20, 35, 40, 30, 35, 100]);
    assert.deepEqual(out.toRecords().map((r) => r.city), ['A', 'B', 'B', 'B', 'A', 'B']);
    assert.deepEqual(Array.from((out.column('age_missing') as { values: Float64Array }).values), [0, 1, 0, 0, 1, 0]);
    assert.equal(step(report, 'impute')?.changed, 3);
    assert.deepEqual(recipe.output.map((o) => o.name), ['age', 'city', 'age_missing', 'city_missing']);
  });

  test('impute constant, and most frequent for numbers', () => {
    const frame = Frame.fromColumns({ n: numberColumn(Float64Array.from([1, 1, 5, NaN])), c: categoryFromStrings(['x', null, 'x', 'y']) });
    const constant = fitOn(frame, { impute: 'constant', fillValue: -1, outliers: 'none' }).frame;
    assert.deepEqual(constant.toRecords().map((r) => [r.n, r.c]), [[1, 'x'], [1, '-1'], [5, 'x'], [-1, 'y']]);
    const frequent = fitOn(frame, { impute: 'most-frequent', outliers: 'none' }).frame;
    assert.equal(frequent.row(3).n, 1);
  });

  test('outliers: IQR fences clip, robust z flags', () => {
    const values = Float64Array.from([10, 11, 12, 13, 14, 15, 16, 17, 18, 500]);
    const frame = Frame.fromColumns({ v: numberColumn(values) });
    const clipped = fitOn(frame);
    const fence = (clipped.recipe.steps.find((s) => s.step === 'outliers') as Extract<Recipe['steps'][number], { step: 'outliers' }>).columns.v;
    // Q1 = 12.25, Q3 = 16.75, IQR = 4.5: the upper fence is 16.75 + 3 × 4.5 = 30.25
    assert.equal(fence.upper, 30.25);
    assert.equal(valueAt(clipped.frame.column('v'), 9), 30.25);
    assert.equal(step(clipped.report, 'outliers')?.changed, 1);
    const flagged = fitOn(frame, { outliers: 'flag', outlierMethod: 'robust-z' });
    assert.deepEqual(Array.from((flagged.frame.column('v_outlier') as { values: Float64Array }).values), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(valueAt(flagged.frame.column('v'), 9), 500);
  });

  test('drop duplicates, rows without a target, constant and empty columns; identifiers kept as non-features', () => {
    const ids = Array.from({ length: 24 }, (_, i) => `id-${i}`);
    const frame = Frame.fromColumns({
      id: textColumn(ids),
      x: numberColumn(Float64Array.from({ length: 24 }, (_, i) => i % 6)),
      same: categoryFromStrings(Array(24).fill('NL')),
      empty: categoryFromStrings(Array(24).fill(null)),
      y: categoryFromStrings(Array.from({ length: 24 }, (_, i) => (i === 5 ? null : i % 2 ? 'yes' : 'no'))),
    });
    const withDuplicate = frame.take(Uint32Array.from([...Array(24).keys(), 3]));
    const { recipe, frame: out, report } = fitOn(withDuplicate, { target: 'y' });
    assert.equal(step(report, 'drop-missing-target')?.changed, 1);
    assert.equal(step(report, 'drop-duplicates')?.changed, 1);
    assert.deepEqual(out.names, ['id', 'x', 'y']);
    assert.equal(out.nRows, 23);
    assert.equal(recipe.columns.find((c) => c.name === 'id')?.role, 'identifier');
    assert.equal(recipe.columns.find((c) => c.name === 'y')?.role, 'target');
  });
});

describe('recipes as data', () => {
  test('a recipe survives JSON and gives identical output on the same data', async () => {
    const d = await readDataset(path.join(FIXTURES, 'messy.csv'));
    const { recipe, frame } = cleanDataset(d, { target: 'churned', missingIndicator: true });
    const reloaded = parseRecipe(JSON.parse(JSON.stringify(recipe)));
    assert.deepEqual(applyRecipe(reloaded, d.raw).toRecords(), frame.toRecords());
    // and fitting twice gives the same recipe: nothing depends on time or chance
    assert.deepEqual(cleanDataset(d, { target: 'churned', missingIndicator: true }).recipe, recipe);
  });

  test('predict mode: one prediction row, typed as text, without the target', async () => {
    const d = await readDataset(path.join(FIXTURES, 'messy.csv'));
    const { recipe } = cleanDataset(d, { target: 'churned' });
    const row = Frame.fromColumns({
      customer_id: textColumn(['C999']),
      signed_up: textColumn(['2024-02-01']),
      plan: textColumn(['  PREMIUM ']),
      active: textColumn(['yes']),
      monthly_fee: textColumn(['$49.99']),
      discount: textColumn(['N/A']),
      revenue: textColumn(['99,000.00']),
      region: textColumn(['NORTH']),
      country: textColumn(['NL']),
      notes_empty: textColumn([null]),
      score: numberColumn(Float64Array.from([0.6])),
    });
    const out = applyRecipe(recipe, row, { mode: 'predict' });
    const record = out.row(0);
    assert.equal(record.plan, 'Premium');
    assert.equal(record.active, 'Yes');
    assert.equal(record.region, 'North');
    assert.equal(record.monthly_fee, 49.99);
    assert.equal(record.discount, 5); // median of the training discounts, filled in
    assert.ok((record.revenue as number) < 99_000); // clipped to the training fence
    assert.equal('churned' in record, false);
    assert.equal(out.nRows, 1);
  });

  test('missing columns and broken recipes are refused clearly', async () => {
    const d = await readDataset(path.join(FIXTURES, 'messy.csv'));
    const { recipe } = cleanDataset(d, { target: 'churned' });
    assert.throws(() => applyRecipe(recipe, d.raw.drop(['plan', 'score'])), (e: unknown) => e instanceof KilnError && /lacks 2 columns the recipe needs: plan, score/.test(e.message));
    assert.throws(() => parseRecipe({ format: 'kiln-recipe', version: 99 }), /version 99 is not supported/);
    assert.throws(() => parseRecipe({ ...recipe, steps: [{ step: 'rm -rf' }] }), /steps\[0\] is unknown/);
  });

  test('the apply code bundles for the browser with no Node built-ins and no DuckDB', async () => {
    const result = await build({
      entryPoints: ['src/data/recipe/apply-recipe.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((f) => f.endsWith('src/data/recipe/apply-recipe.ts')));
    assert.deepEqual(inputs.filter((f) => f.startsWith('node:') || f.includes('duckdb') || f.includes('node_modules')), []);
  });
});
