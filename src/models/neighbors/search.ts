// Brute-force k-nearest-neighbour search. Every query block is compared with every training block, and each query
// keeps its k best candidates in a max-heap (the worst of the k at the root: a new candidate costs one comparison
// unless it beats it). The chosen k then get exact distances and are sorted by (distance, row): ties go to the
// earlier training row, so results never depend on the block sizes. Isomorphic (no Node imports).
//
// Columns are split once, when the index is built: dense columns (scaled numbers) go through the register-blocked
// kernels of distance.ts; sparse columns (one-hot indicators, mostly 0) are stored as lists of non-zeros per
// training row and only those are visited. On one-hot-heavy data (adult: 6 numeric + ~100 indicator columns, ~14
// non-zeros per row) that is most of the work saved. Euclidean and manhattan distances do not change when a column
// is shifted, so a column where one value dominates (a standardised indicator: 75 % of rows at −0.3, say) is shifted
// by that value ("baseline") and becomes sparse too; cosine distance is not shift-invariant, so there only columns
// dominated by 0 are sparse.

import {
  COSINE,
  dotBlock,
  EUCLIDEAN,
  exactDistance,
  MANHATTAN,
  manhattanBlock,
  sparseDotAdd,
  sparseManhattanAdd,
  type MetricId,
} from './distance.js';

/** queries per block: their rows stay in cache while a training block streams past */
const QUERY_BLOCK = 64;
/** training rows per block */
const TRAIN_BLOCK = 256;
/** a column with at most this share of non-zero training values is handled sparsely */
const SPARSE_DENSITY = 0.25;

export interface NeighborIndex {
  readonly metric: MetricId;
  readonly nTrain: number;
  readonly nCols: number;
  /** prepared training rows (exact distances are computed on these) */
  readonly train: Float64Array; // (nTrain, nCols) row-major
  /** subtracted from each column before ranking (0 for dense columns and for cosine) */
  readonly baseline: Float64Array; // (nCols)
  /** squared norm of each shifted training row (euclidean ranking keys) */
  readonly norms: Float64Array; // (nTrain)
  /** dense columns and the training rows restricted to them */
  readonly denseCols: Int32Array; // (nDense)
  readonly denseTrain: Float64Array; // (nTrain, nDense) row-major
  /** sparse columns and, per training row, its non-zeros among them (col = position in sparseCols) */
  readonly sparseCols: Int32Array; // (nSparse)
  readonly rowPtr: Int32Array; // (nTrain + 1)
  readonly col: Int32Array; // (nnz)
  readonly val: Float64Array; // (nnz)
}

/** Split the columns into dense and sparse and lay the training rows out for both kernels. */
export function buildIndex(metric: MetricId, train: Float64Array, nTrain: number, nCols: number): NeighborIndex {
  const baseline = new Float64Array(nCols);
  const isSparse = new Uint8Array(nCols);
  const nonBase = new Int32Array(nCols); // rows away from the baseline, per sparse column
  for (let j = 0; j < nCols; j++) {
    // Boyer–Moore majority vote: the only value that can fill more than half the rows, then its count
    let candidate = 0;
    let votes = 0;
    for (let i = 0; i < nTrain; i++) {
      const v = train[i * nCols + j];
      if (votes === 0) {
        candidate = v;
        votes = 1;
      } else votes += v === candidate ? 1 : -1;
    }
    if (metric === COSINE) candidate = 0;
    let count = 0;
    for (let i = 0; i < nTrain; i++) if (train[i * nCols + j] === candidate) count++;
    if (nTrain - count <= SPARSE_DENSITY * nTrain) {
      isSparse[j] = 1;
      baseline[j] = candidate;
      nonBase[j] = nTrain - count;
    }
  }
  const dense: number[] = [];
  const sparse: number[] = [];
  for (let j = 0; j < nCols; j++) (isSparse[j] ? sparse : dense).push(j);
  const denseCols = Int32Array.from(dense);
  const sparseCols = Int32Array.from(sparse);
  const nDense = denseCols.length;
  const denseTrain = new Float64Array(nTrain * nDense);
  let nnz = 0;
  for (const j of sparse) nnz += nonBase[j];
  const rowPtr = new Int32Array(nTrain + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  const norms = new Float64Array(nTrain);
  let e = 0;
  for (let i = 0; i < nTrain; i++) {
    const o = i * nCols;
    for (let d = 0; d < nDense; d++) denseTrain[i * nDense + d] = train[o + denseCols[d]];
    for (let s = 0; s < sparseCols.length; s++) {
      const v = train[o + sparseCols[s]] - baseline[sparseCols[s]];
      if (v !== 0) {
        col[e] = s;
        val[e++] = v;
      }
    }
    rowPtr[i + 1] = e;
    let n2 = 0;
    for (let j = 0; j < nCols; j++) n2 += (train[o + j] - baseline[j]) ** 2;
    norms[i] = n2;
  }
  return { metric, nTrain, nCols, train, baseline, norms, denseCols, denseTrain, sparseCols, rowPtr, col, val };
}

/**
 * The k nearest training rows of each query row: indices[q*k + r] and distances[q*k + r] for r = 0..k-1, nearest
 * first. `queries` is row-major (nQueries, nCols), prepared like the training rows (imputed, normalised for cosine).
 */
export function kNearest(index: NeighborIndex, queries: Float64Array, nQueries: number, k: number, indices: Int32Array, distances: Float64Array): void {
  const { nTrain, nCols: p, denseCols, sparseCols, baseline } = index;
  const nDense = denseCols.length;
  const nSparse = sparseCols.length;
  const keys = new Float64Array(TRAIN_BLOCK * QUERY_BLOCK); // (training rows, queries) ranking keys
  const qDense = new Float64Array(QUERY_BLOCK * nDense); // (queries, nDense) row-major
  const qSparseT = new Float64Array(nSparse * QUERY_BLOCK); // (nSparse, queries): transposed
  const heapKey = new Float64Array(QUERY_BLOCK * k); // (queries, k) max-heaps
  const heapIdx = new Int32Array(QUERY_BLOCK * k);
  const heapSize = new Int32Array(QUERY_BLOCK);
  const worst = new Float64Array(QUERY_BLOCK); // key a candidate must beat (Infinity until the heap is full)
  for (let q0 = 0; q0 < nQueries; q0 += QUERY_BLOCK) {
    const nq = Math.min(QUERY_BLOCK, nQueries - q0);
    for (let qi = 0; qi < nq; qi++) {
      const o = (q0 + qi) * p;
      for (let d = 0; d < nDense; d++) qDense[qi * nDense + d] = queries[o + denseCols[d]];
      for (let s = 0; s < nSparse; s++) qSparseT[s * nq + qi] = queries[o + sparseCols[s]] - baseline[sparseCols[s]];
    }
    heapSize.fill(0);
    worst.fill(Infinity);
    for (let t0 = 0; t0 < nTrain; t0 += TRAIN_BLOCK) {
      const nt = Math.min(TRAIN_BLOCK, nTrain - t0);
      rankingKeys(index, qDense, qSparseT, nq, t0, nt, keys);
      for (let ti = 0; ti < nt; ti++) {
        const o = ti * nq;
        for (let qi = 0; qi < nq; qi++) {
          const key = keys[o + qi];
          // strictly better only: on a tie the earlier training row stays
          if (key < worst[qi]) worst[qi] = offer(heapKey, heapIdx, heapSize, qi, k, key, t0 + ti);
        }
      }
    }
    for (let qi = 0; qi < nq; qi++) finish(index, queries, (q0 + qi) * p, qi, heapIdx, heapSize[qi], k, indices, distances, (q0 + qi) * k);
  }
}

/**
 * Keys that order training rows like their distance to each query: euclidean |t|² − 2 q·t (|q|² is the same for every
 * candidate of a query), cosine −q·t, manhattan the distance less the query's constant sparse part.
 */
function rankingKeys(index: NeighborIndex, qDense: Float64Array, qSparseT: Float64Array, nq: number, t0: number, nt: number, keys: Float64Array): void {
  const nDense = index.denseCols.length;
  if (nDense === 0) keys.fill(0, 0, nt * nq);
  if (index.metric === MANHATTAN) {
    if (nDense > 0) manhattanBlock(qDense, nq, index.denseTrain, t0, nt, nDense, keys);
    sparseManhattanAdd(qSparseT, nq, index.rowPtr, index.col, index.val, t0, nt, keys);
    return;
  }
  if (nDense > 0) dotBlock(qDense, nq, index.denseTrain, t0, nt, nDense, keys);
  sparseDotAdd(qSparseT, nq, index.rowPtr, index.col, index.val, t0, nt, keys);
  if (index.metric === EUCLIDEAN) {
    const norms = index.norms;
    for (let ti = 0; ti < nt; ti++) {
      const n2 = norms[t0 + ti];
      for (let qi = 0; qi < nq; qi++) keys[ti * nq + qi] = n2 - 2 * keys[ti * nq + qi];
    }
  } else if (index.metric === COSINE) {
    for (let i = 0; i < nt * nq; i++) keys[i] = -keys[i];
  }
}

/** Add a candidate to query qi's heap; returns the key the next candidate must beat. */
function offer(heapKey: Float64Array, heapIdx: Int32Array, heapSize: Int32Array, qi: number, k: number, key: number, row: number): number {
  const h = qi * k;
  const size = heapSize[qi];
  if (size < k) {
    // sift up
    let pos = size;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (heapKey[h + parent] >= key) break;
      heapKey[h + pos] = heapKey[h + parent];
      heapIdx[h + pos] = heapIdx[h + parent];
      pos = parent;
    }
    heapKey[h + pos] = key;
    heapIdx[h + pos] = row;
    heapSize[qi] = size + 1;
    return size + 1 < k ? Infinity : heapKey[h];
  }
  // replace the worst (the root) and sift down
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= k) break;
    if (child + 1 < k && heapKey[h + child + 1] > heapKey[h + child]) child++;
    if (heapKey[h + child] <= key) break;
    heapKey[h + pos] = heapKey[h + child];
    heapIdx[h + pos] = heapIdx[h + child];
    pos = child;
  }
  heapKey[h + pos] = key;
  heapIdx[h + pos] = row;
  return heapKey[h];
}

/** Exact distances for the chosen rows, sorted by (distance, row); written at output offset `o`. */
function finish(
  index: NeighborIndex,
  queries: Float64Array,
  qo: number,
  qi: number,
  heapIdx: Int32Array,
  size: number,
  k: number,
  indices: Int32Array,
  distances: Float64Array,
  o: number,
): void {
  const p = index.nCols;
  for (let r = 0; r < size; r++) {
    const t = heapIdx[qi * k + r];
    const d = exactDistance(index.metric, queries, qo, index.train, t * p, p);
    // insertion into the sorted prefix [o, o + r)
    let pos = r;
    while (pos > 0 && (distances[o + pos - 1] > d || (distances[o + pos - 1] === d && indices[o + pos - 1] > t))) {
      distances[o + pos] = distances[o + pos - 1];
      indices[o + pos] = indices[o + pos - 1];
      pos--;
    }
    distances[o + pos] = d;
    indices[o + pos] = t;
  }
}
