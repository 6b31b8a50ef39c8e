// k-nearest neighbours on small hand-checked cases: the vote, the weights, the metrics, ties, missing values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainSet } from '../../../src/core/learner.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../../src/models/neighbors/index.js';
import { COSINE, dotBlock, EUCLIDEAN, exactDistance, MANHATTAN, manhattanBlock, normalizeRows, sparseDotAdd } from '../../../src/models/neighbors/distance.js';
import { buildIndex, kNearest } from '../../../src/models/neighbors/search.js';
import { Rng } from '../../../src/core/rng.js';
import { accuracy, blobs, matrixFromRows, numericFeatures } from '../tree/fixtures.js';

const line: TrainSet = {
  x: matrixFromRows([[0], [1], [2], [3], [10], [11]]),
  features: numericFeatures(1),
  y: Float64Array.from([0, 0, 0, 1, 1, 1]),
  nClasses: 2,
};

test('uniform vote: the share of each class among the k nearest', async () => {
  const model = await new KNeighborsClassifier({ nNeighbors: 3 }).fit(line);
  const q = matrixFromRows([[0.4], [2.6], [10.4]]);
  // 2.6: rows 3 (class 1), 2 and 1 (class 0); 10.4: rows 4, 5 and 3, all class 1
  assert.deepEqual([...model.predictProba(q)], [1, 0, 2 / 3, 1 / 3, 0, 1]);
  assert.deepEqual([...model.predict(q)], [0, 0, 1]);
});

test('distance weights: 1/d, and an exact match takes the whole vote', async () => {
  const model = await new KNeighborsRegressor({ nNeighbors: 2, weights: 'distance' }).fit({ ...line, y: Float64Array.from([0, 10, 20, 30, 100, 110]) });
  // 0.25 from row 0 (y 0) and 0.75 from row 1 (y 10): weights 4 and 4/3
  assert.ok(Math.abs(model.predict(matrixFromRows([[0.25]]))[0] - (4 * 0 + (4 / 3) * 10) / (4 + 4 / 3)) < 1e-12);
  assert.equal(model.predict(matrixFromRows([[3]]))[0], 30);
});

test('ties at the k-th distance go to the earlier training row', async () => {
  // rows 1 and 3 are both at distance 1 from 2... query 2 is row 2 itself; k = 2 takes row 2 and then row 1
  const model = await new KNeighborsRegressor({ nNeighbors: 2 }).fit({ ...line, y: Float64Array.from([0, 10, 20, 30, 40, 50]) });
  assert.equal(model.predict(matrixFromRows([[2]]))[0], 15);
});

test('k larger than the training set uses every row; sample weights scale votes and weight 0 drops a row', async () => {
  const model = await new KNeighborsRegressor({ nNeighbors: 50 }).fit({ ...line, y: Float64Array.from([1, 2, 3, 4, 5, 6]) });
  assert.equal(model.predict(matrixFromRows([[0]]))[0], 3.5);
  const weighted = await new KNeighborsRegressor({ nNeighbors: 2 }).fit({
    ...line,
    y: Float64Array.from([1, 2, 3, 4, 5, 6]),
    sampleWeight: Float64Array.from([0, 3, 1, 1, 1, 1]),
  });
  // row 0 is gone: the two nearest to 0 are rows 1 (weight 3) and 2 (weight 1)
  assert.equal(weighted.predict(matrixFromRows([[0]]))[0], (3 * 2 + 3) / 4);
});

test('manhattan and cosine metrics rank neighbours by their own distance', async () => {
  const data: TrainSet = { x: matrixFromRows([[3, 0], [2, 2], [10, 1]]), features: numericFeatures(2), y: Float64Array.from([0, 1, 2]), nClasses: 3 };
  const q = matrixFromRows([[0, 0]]);
  // euclidean: (2,2) at 2.83 beats (3,0) at 3; manhattan: (3,0) at 3 beats (2,2) at 4
  assert.deepEqual([...(await new KNeighborsClassifier({ nNeighbors: 1 }).fit(data)).predict(q)], [1]);
  assert.deepEqual([...(await new KNeighborsClassifier({ nNeighbors: 1, metric: 'manhattan' }).fit(data)).predict(q)], [0]);
  // cosine ignores length: (20, 2.2) points almost exactly where (10, 1) does, though (2, 2) is nearer in space
  assert.deepEqual([...(await new KNeighborsClassifier({ nNeighbors: 1, metric: 'cosine' }).fit(data)).predict(matrixFromRows([[20, 2.2]]))], [2]);
});

test('missing values are filled with the training column means, in training and prediction', async () => {
  const data: TrainSet = { x: matrixFromRows([[0, 0], [NaN, 10], [4, 10]]), features: numericFeatures(2), y: Float64Array.from([1, 2, 3]) };
  const model = await new KNeighborsRegressor({ nNeighbors: 1 }).fit(data);
  // column 0's mean is 2: row 1 becomes (2, 10); the query (NaN, 10) becomes (2, 10) too
  assert.equal(model.predict(matrixFromRows([[NaN, 10]]))[0], 2);
});

test('the blocked kernels agree with plain loops, over block edges and mixed dense/sparse columns', () => {
  const rng = new Rng(3);
  const nq = 7;
  const nt = 5;
  const p = 9;
  const q = Float64Array.from({ length: nq * p }, () => rng.normal());
  const t = Float64Array.from({ length: nt * p }, () => (rng.next() < 0.5 ? 0 : rng.normal()));
  const dot = new Float64Array(nt * nq);
  const man = new Float64Array(nt * nq);
  dotBlock(q, nq, t, 0, nt, p, dot);
  manhattanBlock(q, nq, t, 0, nt, p, man);
  for (let a = 0; a < nq; a++)
    for (let b = 0; b < nt; b++) {
      let d = 0;
      let m = 0;
      for (let j = 0; j < p; j++) {
        d += q[a * p + j] * t[b * p + j];
        m += Math.abs(q[a * p + j] - t[b * p + j]);
      }
      assert.ok(Math.abs(dot[b * nq + a] - d) < 1e-12 && Math.abs(man[b * nq + a] - m) < 1e-12);
    }
  // CSR over all columns equals the dense dot
  const qT = new Float64Array(p * nq);
  for (let a = 0; a < nq; a++) for (let j = 0; j < p; j++) qT[j * nq + a] = q[a * p + j];
  const sparse = new Float64Array(nt * nq);
  // every column of t is ~50 % zero, above the sparse threshold: build a CSR by hand
  const rowPtr = new Int32Array(nt + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let b = 0; b < nt; b++) {
    for (let j = 0; j < p; j++) {
      if (t[b * p + j] === 0) continue;
      col.push(j);
      val.push(t[b * p + j]);
    }
    rowPtr[b + 1] = col.length;
  }
  sparseDotAdd(qT, nq, rowPtr, Int32Array.from(col), Float64Array.from(val), 0, nt, sparse);
  for (let i = 0; i < sparse.length; i++) assert.ok(Math.abs(sparse[i] - dot[i]) < 1e-12);
});

test('the search equals sorting every distance, with dense, zero-sparse and shifted-sparse columns, for each metric', () => {
  const rng = new Rng(4);
  const nq = 70; // more than one query block
  const nt = 600; // several training blocks
  const p = 6;
  // columns: 0-1 dense normal; 2 mostly 0 (one-hot); 3 mostly −0.3 (a standardised indicator); 4-5 dense
  const value = (j: number): number => (j === 2 ? (rng.next() < 0.85 ? 0 : 1) : j === 3 ? (rng.next() < 0.8 ? -0.3 : 2.5) : rng.normal());
  const t = Float64Array.from({ length: nt * p }, (_, i) => value(i % p));
  const q = Float64Array.from({ length: nq * p }, (_, i) => value(i % p));
  for (const metric of [EUCLIDEAN, MANHATTAN, COSINE] as const) {
    const train = t.slice();
    const queries = q.slice();
    if (metric === COSINE) {
      normalizeRows(train, nt, p);
      normalizeRows(queries, nq, p);
    }
    const index = buildIndex(metric, train, nt, p);
    assert.ok(index.sparseCols.length >= (metric === COSINE ? 0 : 2), 'columns 2 and 3 are handled sparsely');
    const k = 5;
    const idx = new Int32Array(nq * k);
    const dist = new Float64Array(nq * k);
    kNearest(index, queries, nq, k, idx, dist);
    for (let a = 0; a < nq; a++) {
      const all = Array.from({ length: nt }, (_, b) => [exactDistance(metric, queries, a * p, train, b * p, p), b]).sort((u, v) => u[0] - v[0] || u[1] - v[1]);
      for (let r = 0; r < k; r++) {
        assert.equal(idx[a * k + r], all[r][1], `metric ${metric}, query ${a}, rank ${r}`);
        assert.equal(dist[a * k + r], all[r][0]);
      }
    }
  }
});

test('on blobs with one-hot columns the classifier is accurate, and every query block size gives the same answer', async () => {
  const base = blobs(4, 3000, 3, 4, 1.2);
  // add 6 indicator columns (sparse path) derived from noise
  const n = base.x.nRows;
  const rng = new Rng(5);
  const extra = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) extra[(rng.int(6)) * n + i] = 1;
  const x = new Float64Array(n * 10);
  x.set(base.x.data);
  x.set(extra, n * 4);
  const data: TrainSet = { ...base, x: { nRows: n, nCols: 10, data: x }, features: numericFeatures(10) };
  const model = await new KNeighborsClassifier({ nNeighbors: 7 }).fit(data);
  const all = model.predict(data.x);
  assert.ok(accuracy(all, data.y) > 0.9);
  // predicting rows one at a time gives the same answers as in one batch
  for (const i of [0, 63, 64, 65, 1023, 1024, 2999]) {
    const row = { nRows: 1, nCols: 10, data: Float64Array.from({ length: 10 }, (_, j) => x[j * n + i]) };
    assert.equal(model.predict(row)[0], all[i]);
  }
});
