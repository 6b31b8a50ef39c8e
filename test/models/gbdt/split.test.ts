// Histograms and split search against brute force: the packed-word kernels equal a plain per-row sum, subtraction
// gives the sibling, the numeric scan finds the best threshold and missing side, and the categorical scan finds
// the best subset (sorting by gradient/hessian ratio is optimal for this gain, Fisher 1958).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/core/rng.js';
import { buildHistogram2, buildHistogram4, buildHistogramLevel, featureCells, gatherGradients, subtractHistogram } from '../../../src/models/gbdt/histogram.js';
import {
  SPLIT_BIN,
  SPLIT_CATEGORICAL,
  SPLIT_DEFAULT_LEFT,
  SPLIT_FEATURE,
  SPLIT_FIELDS,
  SPLIT_GAIN,
  SPLIT_GL,
  SPLIT_MASK,
  SplitFinder,
  type SplitRules,
} from '../../../src/models/gbdt/split.js';

const n = 400;
const nFeatures = 10; // one pass of eight features, then a pair (or, split in two calls, a 4 + 2 + 1 and a 2 + 1)

/** rows[i][f] = bin as a plain row-major array (for brute force), and the column-major matrix the kernels read */
function fixture(seed: number, nBins: number[]) {
  const rng = new Rng(seed);
  const rows = new Uint8Array(n * nFeatures);
  const columns = new Uint8Array(n * nFeatures);
  const gh = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nFeatures; f++) rows[i * nFeatures + f] = columns[f * n + i] = rng.next() < 0.1 ? 0 : 1 + rng.int(nBins[f] - 1);
    gh[2 * i] = rng.normal();
    gh[2 * i + 1] = 0.1 + rng.next();
  }
  return { rows, columns, gh };
}

test('the kernels equal a per-row sum, with and without the count cell; subtraction gives the sibling', () => {
  const nBins = [5, 9, 3, 255, 17, 2, 40, 8, 100, 6];
  const { rows, columns, gh } = fixture(1, nBins);
  // every other row, as a node's rows after a partition
  const index = Uint32Array.from({ length: n }, (_, i) => (i < n / 2 ? 2 * i : 2 * (i - n / 2) + 1));
  const ordered = new Float64Array(2 * n);
  for (const cells of [2, 4]) {
    const slot = nFeatures * featureCells(cells);
    const hist = new Float64Array(3 * slot);
    const build = cells === 4 ? buildHistogram4 : buildHistogram2;
    const gathered = (start: number, end: number): Float64Array => {
      gatherGradients(gh, index, start, end, ordered);
      return ordered;
    };
    build(columns, n, index, 0, n, gathered(0, n), hist, 0, 0, nFeatures); // all rows → slot 0
    build(columns, n, index, 0, 150, gathered(0, 150), hist, slot, 0, 7); // first 150, features split in two calls → slot 1
    build(columns, n, index, 0, 150, ordered, hist, slot, 7, nFeatures);
    build(columns, n, index, 150, n, gathered(150, n), hist, 2 * slot, 0, nFeatures); // the rest → slot 2
    const expected = new Float64Array(slot);
    for (let i = 0; i < n; i++)
      for (let f = 0; f < nFeatures; f++) {
        const o = f * featureCells(cells) + rows[i * nFeatures + f] * cells;
        expected[o] += gh[2 * i];
        expected[o + 1] += gh[2 * i + 1];
        if (cells === 4) expected[o + 2] += 1;
      }
    for (let i = 0; i < slot; i++) assert.ok(Math.abs(hist[i] - expected[i]) < 1e-9, `cells ${cells}, cell ${i}`);
    subtractHistogram(hist, 0, slot, 0, nFeatures, cells, Int32Array.from(nBins));
    for (let i = 0; i < slot; i++) assert.ok(Math.abs(hist[i] - hist[2 * slot + i]) < 1e-9, 'parent - small = large');
  }
});

const rules = (over: Partial<SplitRules> = {}): SplitRules => ({
  l1: 0,
  l2: 1,
  minHessian: 0,
  minSamples: 1,
  minGain: 0,
  categoricalSmoothing: 0,
  categoricalL2: 0,
  minCategorySamples: 1,
  maxCategories: 255,
  cells: 4,
  ...over,
});

/** The gain of sending exactly the rows with `goesLeft(row)` left. */
function bruteGain(rows: Uint8Array, gh: Float32Array, f: number, goesLeft: (bin: number) => boolean, l2: number): number {
  let GL = 0;
  let HL = 0;
  let G = 0;
  let H = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    G += gh[2 * i];
    H += gh[2 * i + 1];
    if (goesLeft(rows[i * nFeatures + f])) {
      GL += gh[2 * i];
      HL += gh[2 * i + 1];
      nl++;
    }
  }
  if (nl === 0 || nl === n) return -Infinity;
  const s = (g: number, h: number): number => (g * g) / (h + l2);
  return s(GL, HL) + s(G - GL, H - HL) - s(G, H);
}

function searchAll(nBins: number[], categorical: number[], r: SplitRules, seed = 2) {
  const { rows, columns, gh } = fixture(seed, nBins);
  const index = Uint32Array.from({ length: n }, (_, i) => i);
  const hist = new Float64Array(nFeatures * featureCells(r.cells));
  const ordered = new Float64Array(2 * n);
  gatherGradients(gh, index, 0, n, ordered);
  (r.cells === 4 ? buildHistogram4 : buildHistogram2)(columns, n, index, 0, n, ordered, hist, 0, 0, nFeatures);
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += gh[2 * i];
    H += gh[2 * i + 1];
  }
  const identity = Int32Array.from({ length: nFeatures }, (_, f) => f);
  const finder = new SplitFinder(r, { nBins: Int32Array.from(nBins), regionOf: identity, categorical: Uint8Array.from(categorical), monotone: new Int8Array(nFeatures) });
  const out = new Float64Array(SPLIT_FIELDS);
  finder.find(hist, 0, identity, nFeatures, new Uint8Array(nFeatures).fill(1), { G, H, C: n, lower: -Infinity, upper: Infinity }, out, 0);
  return { rows, gh, out };
}

test('numeric split search finds the best threshold and missing side of every feature (brute force)', () => {
  const nBins = [5, 9, 3, 40, 17, 2, 7, 12, 4, 3];
  const { rows, gh, out } = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules());
  let best = -Infinity;
  for (let f = 0; f < nFeatures; f++)
    for (let t = 1; t < nBins[f]; t++)
      for (const missingLeft of [false, true]) best = Math.max(best, bruteGain(rows, gh, f, (b) => (b === 0 ? missingLeft : b <= t), 1));
  assert.ok(Math.abs(out[SPLIT_GAIN] - best) < 1e-9, `found ${out[SPLIT_GAIN]}, best ${best}`);
  const f = out[SPLIT_FEATURE];
  const t = out[SPLIT_BIN];
  const left = out[SPLIT_DEFAULT_LEFT] === 1;
  assert.ok(Math.abs(bruteGain(rows, gh, f, (b) => (b === 0 ? left : b <= t), 1) - out[SPLIT_GAIN]) < 1e-9, 'the record describes its split');
  assert.equal(out[SPLIT_CATEGORICAL], 0);
});

test('categorical split search finds the best subset of categories (brute force over all subsets)', () => {
  const nBins = [7, 2, 2, 2, 2, 2, 2, 2, 2, 2];
  const { rows, gh, out } = searchAll(nBins, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules());
  // the other features have one value bin, so feature 0 is the only candidate
  let best = -Infinity;
  for (let subset = 1; subset < 1 << 6; subset++)
    for (const missingLeft of [false, true]) best = Math.max(best, bruteGain(rows, gh, 0, (b) => (b === 0 ? missingLeft : ((subset >> (b - 1)) & 1) === 1), 1));
  assert.equal(out[SPLIT_FEATURE], 0);
  assert.equal(out[SPLIT_CATEGORICAL], 1);
  assert.ok(Math.abs(out[SPLIT_GAIN] - best) < 1e-9, `found ${out[SPLIT_GAIN]}, best ${best}`);
  const mask = out[SPLIT_MASK];
  const left = out[SPLIT_DEFAULT_LEFT] === 1;
  assert.ok(Math.abs(bruteGain(rows, gh, 0, (b) => (b === 0 ? left : ((mask >>> b) & 1) === 1), 1) - best) < 1e-9);
});

test('constraints: min rows and min hessian per side, min gain, and L1 shrink the choice', () => {
  const nBins = [5, 9, 3, 40, 17, 2, 7, 12, 4, 3];
  const free = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules()).out;
  const strict = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules({ minSamples: 180 })).out;
  assert.ok(strict[SPLIT_GAIN] <= free[SPLIT_GAIN]);
  if (strict[SPLIT_FEATURE] >= 0) {
    const cl = strict[6];
    assert.ok(cl >= 180 && n - cl >= 180, `left has ${cl} rows`);
  }
  const none = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules({ minGain: free[SPLIT_GAIN] })).out;
  assert.equal(none[SPLIT_FEATURE], -1, 'no split reaches min gain');
  const l1 = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules({ l1: 5 })).out;
  assert.ok(l1[SPLIT_GAIN] < free[SPLIT_GAIN]);
  const noCount = searchAll(nBins, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rules({ cells: 2 })).out;
  assert.equal(noCount[SPLIT_GAIN], free[SPLIT_GAIN], 'without a count cell the same split is found');
  assert.equal(noCount[SPLIT_GL], free[SPLIT_GL]);
});

test('a level pass over many nodes gives the same bits as building node by node', () => {
  const nBins = [5, 9, 3, 255, 17, 2, 40, 8, 100, 6];
  const { columns, gh } = fixture(3, nBins);
  // four nodes: rows by residue mod 5 (0..3), residue 4 belongs to no node
  const lists = [0, 1, 2, 3].map((k) => Uint32Array.from({ length: n / 5 }, (_, i) => 5 * i + k));
  for (const cells of [2, 4]) {
    const slot = nFeatures * featureCells(cells);
    const byNode = new Float64Array(4 * slot);
    const byLevel = new Float64Array(4 * slot);
    const ordered = new Float64Array(2 * n);
    lists.forEach((rows, k) => {
      gatherGradients(gh, rows, 0, rows.length, ordered);
      (cells === 4 ? buildHistogram4 : buildHistogram2)(columns, n, rows, 0, rows.length, ordered, byNode, k * slot, 0, nFeatures);
    });
    const rows = new Uint32Array(n);
    const base = new Int32Array(n);
    let m = 0;
    for (let r = 0; r < n; r++) {
      if (r % 5 === 4) continue;
      rows[m] = r;
      base[m] = (r % 5) * slot;
      ordered[2 * m] = gh[2 * r];
      ordered[2 * m + 1] = gh[2 * r + 1];
      m++;
    }
    buildHistogramLevel(columns, n, rows, base, m, ordered, byLevel, 0, nFeatures, cells);
    assert.deepEqual(byLevel, byNode, `cells ${cells}`);
  }
});
