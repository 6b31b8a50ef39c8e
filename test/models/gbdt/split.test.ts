// Histograms and split search against brute force: the packed-word kernels equal a plain per-row sum, subtraction
// gives the sibling, the numeric scan finds the best threshold and missing side, and the categorical scan finds
// the best subset (sorting by gradient/hessian ratio is optimal for this gain, Fisher 1958).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/core/rng.js';
import { buildHistogram2, buildHistogram3, featureCells, subtractHistogram } from '../../../src/models/gbdt/histogram.js';
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
const nFeatures = 6; // stride 8 bytes = 2 words
const stride = 8;

function fixture(seed: number, nBins: number[]) {
  const rng = new Rng(seed);
  const rows = new Uint8Array(n * stride);
  const gh = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nFeatures; f++) rows[i * stride + f] = rng.next() < 0.1 ? 0 : 1 + rng.int(nBins[f] - 1);
    gh[2 * i] = rng.normal();
    gh[2 * i + 1] = 0.1 + rng.next();
  }
  return { rows, words: new Uint32Array(rows.buffer), gh };
}

test('the packed kernels equal a per-row sum, with and without the count cell; subtraction gives the sibling', () => {
  const nBins = [5, 9, 3, 255, 17, 2];
  const { rows, words, gh } = fixture(1, nBins);
  const index = Uint32Array.from({ length: n }, (_, i) => i);
  for (const cells of [2, 3]) {
    const slot = 2 * 4 * featureCells(cells);
    const hist = new Float64Array(3 * slot);
    const build = cells === 3 ? buildHistogram3 : buildHistogram2;
    build(words, 2, gh, index, 0, n, hist, 0, 0, 2); // all rows → slot 0
    build(words, 2, gh, index, 0, 150, hist, slot, 0, 2); // first 150 → slot 1
    build(words, 2, gh, index, 150, n, hist, 2 * slot, 0, 2); // the rest → slot 2
    const expected = new Float64Array(slot);
    for (let i = 0; i < n; i++)
      for (let f = 0; f < nFeatures; f++) {
        const o = f * featureCells(cells) + rows[i * stride + f] * cells;
        expected[o] += gh[2 * i];
        expected[o + 1] += gh[2 * i + 1];
        if (cells === 3) expected[o + 2] += 1;
      }
    // (the two padding features of the second word collect every row in their missing bin; nobody reads them)
    for (let i = 0; i < nFeatures * featureCells(cells); i++) assert.ok(Math.abs(hist[i] - expected[i]) < 1e-9, `cells ${cells}, cell ${i}`);
    subtractHistogram(hist, 0, slot, 0, 2, cells);
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
  cells: 3,
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
    if (goesLeft(rows[i * stride + f])) {
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
  const { rows, words, gh } = fixture(seed, nBins);
  const index = Uint32Array.from({ length: n }, (_, i) => i);
  const hist = new Float64Array(2 * 4 * featureCells(r.cells));
  (r.cells === 3 ? buildHistogram3 : buildHistogram2)(words, 2, gh, index, 0, n, hist, 0, 0, 2);
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += gh[2 * i];
    H += gh[2 * i + 1];
  }
  const finder = new SplitFinder(r, { nBins: Int32Array.from(nBins), categorical: Uint8Array.from(categorical), monotone: new Int8Array(nFeatures) });
  const out = new Float64Array(SPLIT_FIELDS);
  finder.find(hist, 0, 0, nFeatures, new Uint8Array(nFeatures).fill(1), { G, H, C: n, lower: -Infinity, upper: Infinity }, out, 0);
  return { rows, gh, out };
}

test('numeric split search finds the best threshold and missing side of every feature (brute force)', () => {
  const nBins = [5, 9, 3, 40, 17, 2];
  const { rows, gh, out } = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules());
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
  const nBins = [7, 2, 2, 2, 2, 2];
  const { rows, gh, out } = searchAll(nBins, [1, 0, 0, 0, 0, 0], rules());
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
  const nBins = [5, 9, 3, 40, 17, 2];
  const free = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules()).out;
  const strict = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules({ minSamples: 180 })).out;
  assert.ok(strict[SPLIT_GAIN] <= free[SPLIT_GAIN]);
  if (strict[SPLIT_FEATURE] >= 0) {
    const cl = strict[6];
    assert.ok(cl >= 180 && n - cl >= 180, `left has ${cl} rows`);
  }
  const none = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules({ minGain: free[SPLIT_GAIN] })).out;
  assert.equal(none[SPLIT_FEATURE], -1, 'no split reaches min gain');
  const l1 = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules({ l1: 5 })).out;
  assert.ok(l1[SPLIT_GAIN] < free[SPLIT_GAIN]);
  const noCount = searchAll(nBins, [0, 0, 0, 0, 0, 0], rules({ cells: 2 })).out;
  assert.equal(noCount[SPLIT_GAIN], free[SPLIT_GAIN], 'without a count cell the same split is found');
  assert.equal(noCount[SPLIT_GL], free[SPLIT_GL]);
});
