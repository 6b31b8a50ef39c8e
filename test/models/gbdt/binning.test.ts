// Binning: exact bins for few distinct values, quantile bins otherwise (ties never straddle bins), missing in bin 0,
// categorical codes, and the bin → raw-threshold rule the saved model relies on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/core/rng.js';
import { binColumn, binOf, binUpperEdge, categoricalBins, fitBinning, MISSING_BIN, numericBins } from '../../../src/models/gbdt/binning.js';

test('few distinct values get one bin each, with edges midway between neighbours', () => {
  const b = numericBins(Float64Array.of(1, 1, 2, 2, 2, 4).sort(), 255);
  assert.equal(b.nBins, 2 + 2);
  assert.deepEqual([...b.edges], [1.5, 3]);
  assert.equal(binOf(b, 1), 1);
  assert.equal(binOf(b, 1.5), 1, 'an edge value belongs to the bin below (v <= edge)');
  assert.equal(binOf(b, 2), 2);
  assert.equal(binOf(b, 100), 3);
  assert.equal(binOf(b, NaN), MISSING_BIN);
  assert.equal(binUpperEdge(b, 2), 3);
  assert.equal(binUpperEdge(b, 3), Infinity);
});

test('many values get at most maxBins quantile bins of similar size; a heavy value keeps its own bin', () => {
  const rng = new Rng(3);
  const values = new Float64Array(10000);
  for (let i = 0; i < values.length; i++) values[i] = i < 3000 ? 7 : rng.normal() * 10;
  const b = numericBins(values.slice().sort(), 16);
  assert.ok(b.nBins - 1 <= 16, `${b.nBins - 1} value bins`);
  const counts = new Float64Array(b.nBins);
  for (const v of values) counts[binOf(b, v)]++;
  const heavy = binOf(b, 7);
  assert.equal(counts[heavy] >= 3000, true);
  // the bin holding 7 holds little else: 7 does not straddle an edge and its neighbours got their own bins
  assert.ok(counts[heavy] < 3000 + 700, `bin of the heavy value holds ${counts[heavy]}`);
  for (let k = 1; k < b.nBins; k++) if (k !== heavy) assert.ok(counts[k] > 100 && counts[k] < 1400, `bin ${k} holds ${counts[k]}`);
  for (let k = 1; k < b.edges.length; k++) assert.ok(b.edges[k] > b.edges[k - 1], 'edges increase');
});

test('categorical codes map to their own bins; beyond maxBins the rarest share the last one; bad codes are missing', () => {
  const small = categoricalBins(Float64Array.of(0, 1, 2), 3, 255);
  assert.equal(small.nBins, 4);
  assert.equal(binOf(small, 2), 3);
  assert.equal(binOf(small, 3), MISSING_BIN, 'a code past the dictionary is missing');
  assert.equal(binOf(small, 1.5), MISSING_BIN);
  assert.equal(binOf(small, -1), MISSING_BIN);
  const column = Float64Array.of(0, 0, 0, 1, 1, 2, 3, 4, 4, 4, 4);
  const wide = categoricalBins(column, 5, 3);
  assert.equal(wide.nBins, 4);
  // most frequent: 4 (4 rows), then 0 (3 rows); the rest share bin 3
  assert.equal(binOf(wide, 4), 1);
  assert.equal(binOf(wide, 0), 2);
  assert.equal(binOf(wide, 1), 3);
  assert.equal(binOf(wide, 2), 3);
  assert.equal(binOf(wide, 3), 3);
});

test('binColumn writes the same bins to the column-major matrix as binOf', () => {
  const rng = new Rng(5);
  const n = 500;
  const data = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    data[i] = rng.next() < 0.1 ? NaN : rng.normal();
    data[n + i] = rng.int(6);
  }
  const x = { nRows: n, nCols: 2, data };
  const features = [
    { name: 'a', kind: 'numeric' as const },
    { name: 'c', kind: 'categorical' as const, nCategories: 6 },
  ];
  const bins = fitBinning(x, features, { maxBins: 32, sampleSize: 200, rng: new Rng(1) });
  const columns = new Uint8Array(n * 2);
  for (let j = 0; j < 2; j++) binColumn(bins[j], x, j, 0, n, columns, j * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) assert.equal(columns[j * n + i], binOf(bins[j], data[j * n + i]));
  for (const v of [-Infinity, Infinity, bins[0].edges[0], bins[0].edges[5], bins[0].edges[5] + 1e-12]) {
    const one = { nRows: 1, nCols: 1, data: Float64Array.of(v) };
    const out = new Uint8Array(1);
    binColumn(bins[0], one, 0, 0, 1, out, 0);
    assert.equal(out[0], binOf(bins[0], v), `value ${v}`);
  }
  assert.equal(bins[0].nBins - 1, 32, 'sampled edges still use the bin budget');
});
