// The WebAssembly kernels (and the module builder of core/wasm.ts under them) give exactly the bits of their
// JavaScript twins: kernel by kernel on random data, and for whole fits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeArtifact } from '../../../src/core/artifact.js';
import { Rng } from '../../../src/core/rng.js';
import { forRange, I32, op, wasmModule, wasmPages } from '../../../src/core/wasm.js';
import { gbdtTuning } from '../../../src/models/gbdt/booster.js';
import { buildHistogram2, buildHistogram4, buildHistogramLevel, featureCells, gatherGradients } from '../../../src/models/gbdt/histogram.js';
import { wasmKernelBytes, instantiateWasmKernels } from '../../../src/models/gbdt/wasm-kernels.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../../src/models/gbdt/index.js';
import { partitionRows } from '../../../src/models/gbdt/partition.js';
import { expPoly, logisticGradients, softmaxGradients, softmaxHessianFactor } from '../../../src/models/gbdt/loss.js';
import { mixedProblem, multiclassProblem, oneHotProblem, regressionProblem } from './synthetic.js';

test('the module builder assembles a loop that runs', () => {
  // sum(i for i in 0..n) with a counted loop
  const bytes = wasmModule({
    functions: [{ name: 'sum', params: [I32], results: [I32], locals: [I32, I32], body: [forRange(1, op.i32(0), op.get(0), 1, [op.get(2), op.get(1), op.i32Add, op.set(2)]), op.get(2)] }],
  });
  const sum = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.sum as (n: number) => number;
  assert.equal(sum(10), 45);
  assert.equal(sum(0), 0);
});

test('gather, build and level kernels equal the JavaScript kernels bit for bit (2 and 4 cells)', () => {
  const rng = new Rng(1);
  const nRows = 1000;
  const nFeatures = 15; // passes of 8, 4, 2 and 1
  for (const cells of [2, 4]) {
    const slot = nFeatures * featureCells(cells);
    const layout = { columns: 0, index: nRows * nFeatures, gh: nRows * nFeatures + 4 * nRows, ordered: 0, rows: 0, base: 0, hist: 0 };
    layout.ordered = layout.gh + 8 * nRows;
    layout.rows = layout.ordered + 16 * nRows;
    layout.base = layout.rows + 4 * nRows;
    layout.hist = layout.base + 4 * nRows;
    const bytes = layout.hist + 3 * slot * 8;
    const pages = wasmPages(bytes);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const k = instantiateWasmKernels(new WebAssembly.Module(wasmKernelBytes(cells, pages, pages)), memory);
    const buf = memory.buffer as unknown as SharedArrayBuffer;
    const columns = new Uint8Array(buf, layout.columns, nRows * nFeatures);
    const index = new Uint32Array(buf, layout.index, nRows);
    const gh = new Float32Array(buf, layout.gh, 2 * nRows);
    const hist = new Float64Array(buf, layout.hist, 3 * slot);
    for (let i = 0; i < columns.length; i++) columns[i] = rng.int(256);
    for (let i = 0; i < 2 * nRows; i++) gh[i] = rng.normal();
    let m = 0;
    for (let r = 0; r < nRows; r++) if (rng.next() < 0.4) index[m++] = r;

    // one node, features split in two ranges as two threads would
    const ordered = new Float64Array(2 * nRows);
    const expected = new Float64Array(slot);
    gatherGradients(gh, index, 0, m, ordered);
    (cells === 4 ? buildHistogram4 : buildHistogram2)(columns, nRows, index, 0, m, ordered, expected, 0, 0, nFeatures);
    k.gather(layout.gh, layout.index, m, layout.ordered);
    assert.deepEqual(new Float64Array(buf, layout.ordered, 2 * m), ordered.subarray(0, 2 * m), 'gather');
    k.build(layout.columns, nRows, layout.index, m, layout.ordered, layout.hist, 0, 6);
    k.build(layout.columns, nRows, layout.index, m, layout.ordered, layout.hist, 6, nFeatures);
    assert.deepEqual(hist.subarray(0, slot), expected, `build, ${cells} cells`);

    // a level pass: rows split over slots 1 and 2 by parity
    const rows = new Uint32Array(buf, layout.rows, nRows);
    const base = new Int32Array(buf, layout.base, nRows);
    const jsBase = new Int32Array(nRows);
    for (let i = 0; i < m; i++) {
      rows[i] = index[i];
      jsBase[i] = (1 + (index[i] % 2)) * slot;
      base[i] = 8 * jsBase[i];
    }
    const jsHist = new Float64Array(3 * slot);
    gatherGradients(gh, rows, 0, m, ordered);
    buildHistogramLevel(columns, nRows, rows, jsBase, m, ordered, jsHist, 0, nFeatures, cells);
    k.gather(layout.gh, layout.rows, m, layout.ordered);
    k.level(layout.columns, nRows, layout.rows, layout.base, m, layout.ordered, layout.hist, 0, nFeatures);
    assert.deepEqual(hist.subarray(slot), jsHist.subarray(slot), `level, ${cells} cells`);
  }
});

test('the partition kernel equals partitionRows', () => {
  const rng = new Rng(4);
  const n = 777;
  const pages = wasmPages(n * 13 + 256 + 64);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const k = instantiateWasmKernels(new WebAssembly.Module(wasmKernelBytes(2, pages, pages)), memory);
  const buf = memory.buffer as unknown as SharedArrayBuffer;
  const at = { column: 0, index: 784, scratch: 784 + 4 * n, lut: 784 + 8 * n };
  const column = new Uint8Array(buf, at.column, n);
  const index = new Uint32Array(buf, at.index, n);
  const lut = new Uint8Array(buf, at.lut, 256);
  for (let i = 0; i < n; i++) {
    column[i] = rng.int(256);
    index[i] = i;
  }
  for (let b = 0; b < 256; b++) lut[b] = rng.int(2);
  const jsIndex = index.slice();
  const left = k.partition(at.column, at.index, at.scratch, 100, 700, at.lut);
  const jsLeft = partitionRows(column, 0, jsIndex, new Uint32Array(n), 100, 700, lut, 0);
  assert.equal(left, jsLeft);
  assert.deepEqual(index.slice(), jsIndex);
});

test('the log-loss gradient kernel equals logisticGradients bit for bit, and expPoly is accurate', () => {
  const rng = new Rng(5);
  const n = 1000; // a multiple of 4
  const pages = wasmPages(n * 24 + 64);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const k = instantiateWasmKernels(new WebAssembly.Module(wasmKernelBytes(2, pages, pages)), memory);
  const buf = memory.buffer as unknown as SharedArrayBuffer;
  const raw = new Float64Array(buf, 0, n);
  const y = new Float64Array(buf, 8 * n, n);
  const gh = new Float32Array(buf, 16 * n, 2 * n);
  for (let i = 0; i < n; i++) {
    raw[i] = i < 8 ? [0, 800, -800, 708.5, -708.5, 1e-300, 37, -37][i] : rng.normal() * 10;
    y[i] = rng.int(2);
  }
  k.logistic(0, 8 * n, 16 * n, 0, n);
  const expected = new Float32Array(2 * n);
  logisticGradients(raw, y, null, expected, 0, n);
  assert.deepEqual(gh.slice(), expected);
  for (let i = 0; i < n; i++) {
    const z = Math.max(Math.min(raw[i], 700), -700);
    assert.ok(Math.abs(expPoly(z) / Math.exp(z) - 1) < 1e-9, `exp(${z})`);
  }
});

test('fits with the WebAssembly kernels and with the JavaScript kernels give identical model bytes', async () => {
  const cases = [
    { data: mixedProblem(2, 3000, 30), make: () => new GradientBoostingClassifier({ rounds: 6 }) }, // counts (4 cells)
    { data: oneHotProblem(4, 3000), make: () => new GradientBoostingClassifier({ rounds: 6, rowSubsample: 0.8 }) }, // bundles
    { data: multiclassProblem(5, 2001), make: () => new GradientBoostingClassifier({ rounds: 4 }) }, // softmax, odd rows
    {
      data: regressionProblem(3, 3000, 9),
      make: () => new GradientBoostingRegressor({ rounds: 4, growth: 'depthwise', maxDepth: 5, maxLeaves: null, minSamplesLeaf: 1 }),
    },
  ];
  const saved = { ...gbdtTuning };
  try {
    gbdtTuning.levelPassMinBytes = 0;
    for (const c of cases) {
      gbdtTuning.wasm = true;
      const a = encodeArtifact((await c.make().fit(c.data)).toArtifact());
      gbdtTuning.wasm = false;
      const b = encodeArtifact((await c.make().fit(c.data)).toArtifact());
      assert.ok(a.length === b.length && a.every((v, i) => v === b[i]));
    }
  } finally {
    Object.assign(gbdtTuning, saved);
  }
});

test('the softmax gradient kernel equals softmaxGradients bit for bit', () => {
  const rng = new Rng(6);
  const n = 300; // even
  const K = 5;
  const pages = wasmPages(n * K * 8 + n * 8 + n * K * 8 + K * 16 + 64);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const k = instantiateWasmKernels(new WebAssembly.Module(wasmKernelBytes(2, pages, pages)), memory);
  const buf = memory.buffer as unknown as SharedArrayBuffer;
  const at = { raw: 0, y: 8 * n * K, gh: 8 * n * K + 8 * n, scratch: 16 * n * K + 8 * n };
  const raw = new Float64Array(buf, at.raw, n * K);
  const y = new Float64Array(buf, at.y, n);
  const gh = new Float32Array(buf, at.gh, 2 * n * K);
  for (let i = 0; i < n * K; i++) raw[i] = i < K ? [0, 900, -900, 3, 3][i] : rng.normal() * 5;
  for (let i = 0; i < n; i++) y[i] = rng.int(K);
  k.softmax(at.raw, at.y, at.gh, 0, n, K, n, at.scratch, softmaxHessianFactor(K));
  const expected = new Float32Array(2 * n * K);
  softmaxGradients(raw, y, null, expected, n, K, 0, n, new Float64Array(K));
  assert.deepEqual(gh.slice(), expected);
});
