// Tree traversal for prediction, on raw feature values. Isomorphic: no Node imports.
//
// Speed comes from these choices, measured on 300-tree models:
// - an evaluation layout derived once from the ensemble: one 32-byte record per node (threshold, leaf value,
//   column, left child, category table), so a step touches one cache line, not seven arrays; a leaf points to
//   itself (threshold NaN, so no comparison moves it), so a row can take a fixed number of steps per tree;
// - missing values decided by the row, not the node: a prepared row holds every value twice, NaN read as -∞ in the
//   first copy and as +∞ in the second, and a node whose missing values go right reads the second; so a numeric step
//   is one load and one comparison, child = left + (x > threshold), with no NaN test and no branch (a comparison
//   that goes either way at random would cost a mispredicted branch at every level);
// - a categorical split is a table look-up on the row's category slot that numeric nodes also make, into a block of
//   zeros, so trees that mix both kinds of split take one branch-free step too;
// - in batches, trees up to depth 8 are walked in a second, complete layout (predict-complete.ts) where a child is
//   computed, not loaded, from 16-byte records; when every tree is that shallow, the walk runs in WebAssembly
//   (predict-wasm.ts: no bounds checks, and fast from the first batch; 2.7× the JavaScript walk on adult);
// - eight rows walk the same tree side by side (batch), or one row walks eight trees side by side (single row), so
//   eight independent chains of loads overlap (2-3× over one at a time);
// - one small function per kind of tree and no rarely-run tail loops, so V8 compiles them quickly and never deopts.
// Batch prediction transposes blocks of rows to row-major and runs tree by tree over a block, so a tree's nodes stay
// in cache for all of its rows.

import type { TreeEnsemble } from './ensemble.js';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT } from './ensemble.js';
import { buildCompleteTrees, completeMixedTree, completeNumericTree, type CompleteTrees } from './predict-complete.js';
import { buildWasmWalker, type WasmWalker } from './predict-wasm.js';

/**
 * The ensemble rearranged for fast traversal (derived data, built once per model). Node n's record:
 *   f64[4n] threshold (NaN for leaves and categorical splits)    f64[4n + 1] leaf value (0 elsewhere)
 *   i32[8n + 4] column of the prepared row   i32[8n + 5] left child (itself for a leaf)   i32[8n + 7] catBase
 * A prepared row (see prepareRow) has 2·nFeatures values: feature f with NaN as -∞ in column f and as +∞ in column
 * nFeatures + f, so a numeric split's column is f when its missing values go left and nFeatures + f when they go
 * right, and x > threshold decides both. A categorical split sends a row right when catRight[catBase + slot] = 1,
 * slot = code + 1 for a valid code and 0 for a missing or unknown one (the row's slots sit at the same columns,
 * 0 outside categorical columns); numeric nodes and leaves have catBase 0, a run of zeros as long as any slot.
 * A threshold of +∞ is stored as the largest double and prepared values are clamped to it (see below). The rule
 * holds when no numeric threshold is NaN (`exact`); a model with one (only a damaged or hand-made one) is walked by
 * the plain rule of `childOf` instead.
 */
export interface Evaluator {
  readonly e: TreeEnsemble;
  readonly f64: Float64Array; // (nNodes, 4)
  readonly i32: Int32Array; // (nNodes, 8), the same bytes
  readonly catRight: Uint8Array; // (maxSlot + 1 + Σ (nCategories + 1))
  readonly depth: Int32Array; // (nTrees) steps from the root to the deepest leaf
  readonly treeHasCategorical: Uint8Array; // (nTrees) trees without categorical splits take the shorter step
  readonly hasCategorical: boolean; // some tree splits on a categorical feature
  readonly exact: boolean; // no numeric threshold is NaN: the fast walks give the plain rule's leaves
  readonly groupDepth: Int32Array; // (ceil(nTrees / 8)) the deepest of each run of eight trees (single-row walks)
  readonly rowScratch: Float64Array; // (2 · nFeatures) one prepared row's values
  readonly rowSlots: Int32Array; // (2 · nFeatures) and its slots
  readonly complete: CompleteTrees; // the shallow trees again, laid out complete (batch walks)
  readonly wasm: WasmWalker | null; // the batch walks in WebAssembly (null where it is missing, or not `exact`)
}

export function buildEvaluator(e: TreeEnsemble): Evaluator {
  const n = e.feature.length;
  const nf = e.nFeatures;
  let zeros = 1; // catRight[0 .. zeros) stays 0: every slot a numeric node or a leaf can read
  for (let f = 0; f < nf; f++) zeros = Math.max(zeros, e.nCategories[f] + 1);
  let catSize = zeros;
  for (let m = 0; m < n; m++) if (e.feature[m] >= 0 && e.flags[m] & FLAG_CATEGORICAL) catSize += e.nCategories[e.feature[m]] + 1;
  const records = new ArrayBuffer(32 * Math.max(1, n));
  const f64 = new Float64Array(records);
  const i32 = new Int32Array(records);
  const ev = {
    e,
    f64,
    i32,
    catRight: new Uint8Array(catSize),
    depth: new Int32Array(e.nTrees),
    treeHasCategorical: new Uint8Array(e.nTrees),
    hasCategorical: false,
    exact: true,
    groupDepth: new Int32Array(Math.ceil(e.nTrees / 8)),
    rowScratch: new Float64Array(2 * nf),
    rowSlots: new Int32Array(2 * nf),
    complete: null as unknown as CompleteTrees, // laid out below, from the finished records
    wasm: null as WasmWalker | null,
  };
  const nodeDepth = new Int32Array(n);
  let catAt = zeros;
  for (let t = 0; t < e.nTrees; t++) {
    let max = 0;
    for (let m = e.treeStart[t]; m < e.treeStart[t + 1]; m++) {
      if (m === e.treeStart[t]) nodeDepth[m] = 0;
      if (nodeDepth[m] > max) max = nodeDepth[m];
      if (e.feature[m] < 0) {
        f64[4 * m] = NaN;
        f64[4 * m + 1] = e.threshold[m];
        i32[8 * m + 5] = m;
        continue;
      }
      const f = e.feature[m];
      const missingRight = e.flags[m] & FLAG_DEFAULT_LEFT ? 0 : 1;
      i32[8 * m + 5] = e.left[m];
      if (e.flags[m] & FLAG_CATEGORICAL) {
        const nCat = e.nCategories[f];
        f64[4 * m] = NaN;
        i32[8 * m + 4] = f;
        i32[8 * m + 7] = catAt;
        ev.treeHasCategorical[t] = 1;
        ev.catRight[catAt] = missingRight;
        for (let c = 0; c < nCat; c++) ev.catRight[catAt + 1 + c] = ((e.catBits[e.catStart[m] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
        catAt += nCat + 1;
      } else {
        // a threshold of +∞ (every value left, a missing one by its default: binning's "missing or not" split) is
        // stored as the largest double, so the +∞ copy of a missing value can still go right; prepared rows clamp a
        // real +∞ value to it, which keeps the plain rule (x ≤ +∞ goes left)
        const t = e.threshold[m];
        f64[4 * m] = t === Infinity ? Number.MAX_VALUE : t;
        i32[8 * m + 4] = f + missingRight * nf;
        if (Number.isNaN(t)) ev.exact = false;
      }
      nodeDepth[e.left[m]] = nodeDepth[e.left[m] + 1] = nodeDepth[m] + 1;
    }
    ev.depth[t] = max;
    if (max > ev.groupDepth[t >>> 3]) ev.groupDepth[t >>> 3] = max;
    if (ev.treeHasCategorical[t]) ev.hasCategorical = true;
  }
  ev.complete = buildCompleteTrees(ev);
  if (ev.exact && e.nTrees > 0 && typeof WebAssembly === 'object') {
    try {
      ev.wasm = buildWasmWalker(ev, PREDICT_BLOCK_ROWS);
    } catch {
      // a page whose Content-Security-Policy forbids WebAssembly, or no room for its memory: the JavaScript walks
      ev.wasm = null;
    }
  }
  return ev;
}

/** The child of categorical split `n` for raw value x: codes outside the dictionary (and NaN) take the missing side. */
function categoricalChild(e: TreeEnsemble, n: number, x: number): number {
  const c = x | 0;
  const f = e.feature[n];
  if (c === x && c >= 0 && c < e.nCategories[f]) return e.left[n] + (((e.catBits[e.catStart[n] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1);
  return e.left[n] + (e.flags[n] & FLAG_DEFAULT_LEFT ? 0 : 1);
}

/** The child of internal node `n` that the row of raw values at rows[base ..] goes to (the plain, readable rule). */
export function childOf(e: TreeEnsemble, n: number, rows: Float64Array, base: number): number {
  const x = rows[base + e.feature[n]];
  if (e.flags[n] & FLAG_CATEGORICAL) return categoricalChild(e, n, x);
  return e.left[n] + (x <= e.threshold[n] ? 0 : x > e.threshold[n] ? 1 : e.flags[n] & FLAG_DEFAULT_LEFT ? 0 : 1);
}

/** The leaf node of tree `root` reached by the row of raw values at rows[base .. base + nFeatures). */
export function findLeaf(e: TreeEnsemble, root: number, rows: Float64Array, base: number): number {
  let n = root;
  while (e.feature[n] >= 0) n = childOf(e, n, rows, base);
  return n;
}

/**
 * A prepared row (2·nFeatures columns at o): values[o + f] is feature f with NaN read as -∞, values[o + nFeatures + f]
 * the same with NaN as +∞; slots[o + f] is, for a categorical column, code + 1 for a valid code and 0 for a missing or
 * unknown one, and 0 elsewhere (slots[o + nFeatures ..] are 0). The row is src[srcOffset + f·srcStride].
 */
export function prepareRow(e: TreeEnsemble, src: Float64Array, srcOffset: number, srcStride: number, values: Float64Array, slots: Int32Array, o: number): void {
  const nf = e.nFeatures;
  for (let f = 0; f < nf; f++) {
    const x = src[srcOffset + f * srcStride];
    values[o + f] = x === x ? Math.min(x, Number.MAX_VALUE) : -Infinity;
    values[o + nf + f] = x === x ? Math.min(x, Number.MAX_VALUE) : Infinity;
    slots[o + f] = slotOf(x, e.nCategories[f]);
    slots[o + nf + f] = 0;
  }
}

/** The slot of a categorical value (see prepareRow); 0 for a numeric feature (nCat = 0). */
function slotOf(x: number, nCat: number): number {
  if (nCat === 0 || !(x >= 0 && x < nCat)) return 0;
  const c = Math.floor(x);
  return c === x ? c + 1 : 0;
}

/**
 * Add every tree's leaf value for the m prepared rows of a row-major block (values and slots, m × 2·nFeatures each, m
 * a multiple of 8) into out[outOffset + i·nOutputs + k]. The caller fills `out` with the base scores first.
 */
export function accumulateBlock(ev: Evaluator, block: Float64Array, slots: Int32Array, m: number, out: Float64Array, outOffset: number): void {
  const { e } = ev;
  for (let t = 0; t < e.nTrees; t++) {
    const o = outOffset + (t % e.nOutputs);
    const complete = ev.complete.nodeBase[t] >= 0;
    if (ev.treeHasCategorical[t]) {
      if (complete) completeMixedTree(ev, t, block, slots, m, out, o);
      else mixedTree(ev, t, block, slots, m, out, o);
    } else if (complete) completeNumericTree(ev, t, block, m, out, o);
    else numericTree(ev, t, block, m, out, o);
  }
}

/** Tree t over the block, eight rows at a time, for a tree with numeric splits only. */
function numericTree(ev: Evaluator, t: number, block: Float64Array, m: number, out: Float64Array, o: number): void {
  const { f64, i32, e } = ev;
  const nf2 = 2 * e.nFeatures;
  const k = e.nOutputs;
  const root = e.treeStart[t];
  const steps = ev.depth[t];
  for (let i = 0; i < m; i += 8) {
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    let n4 = root;
    let n5 = root;
    let n6 = root;
    let n7 = root;
    const b0 = i * nf2;
    for (let s = 0; s < steps; s++) {
      n0 = i32[8 * n0 + 5] + +(block[b0 + i32[8 * n0 + 4]] > f64[4 * n0]);
      n1 = i32[8 * n1 + 5] + +(block[b0 + nf2 + i32[8 * n1 + 4]] > f64[4 * n1]);
      n2 = i32[8 * n2 + 5] + +(block[b0 + 2 * nf2 + i32[8 * n2 + 4]] > f64[4 * n2]);
      n3 = i32[8 * n3 + 5] + +(block[b0 + 3 * nf2 + i32[8 * n3 + 4]] > f64[4 * n3]);
      n4 = i32[8 * n4 + 5] + +(block[b0 + 4 * nf2 + i32[8 * n4 + 4]] > f64[4 * n4]);
      n5 = i32[8 * n5 + 5] + +(block[b0 + 5 * nf2 + i32[8 * n5 + 4]] > f64[4 * n5]);
      n6 = i32[8 * n6 + 5] + +(block[b0 + 6 * nf2 + i32[8 * n6 + 4]] > f64[4 * n6]);
      n7 = i32[8 * n7 + 5] + +(block[b0 + 7 * nf2 + i32[8 * n7 + 4]] > f64[4 * n7]);
    }
    const r = o + i * k;
    out[r] += f64[4 * n0 + 1];
    out[r + k] += f64[4 * n1 + 1];
    out[r + 2 * k] += f64[4 * n2 + 1];
    out[r + 3 * k] += f64[4 * n3 + 1];
    out[r + 4 * k] += f64[4 * n4 + 1];
    out[r + 5 * k] += f64[4 * n5 + 1];
    out[r + 6 * k] += f64[4 * n6 + 1];
    out[r + 7 * k] += f64[4 * n7 + 1];
  }
}

/** Tree t over the block, eight rows at a time, any kind of split. */
function mixedTree(ev: Evaluator, t: number, block: Float64Array, slots: Int32Array, m: number, out: Float64Array, o: number): void {
  const { f64, i32, catRight, e } = ev;
  const nf2 = 2 * e.nFeatures;
  const k = e.nOutputs;
  const root = e.treeStart[t];
  const steps = ev.depth[t];
  for (let i = 0; i < m; i += 8) {
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    let n4 = root;
    let n5 = root;
    let n6 = root;
    let n7 = root;
    const b0 = i * nf2;
    for (let s = 0; s < steps; s++) {
      const a0 = b0 + i32[8 * n0 + 4];
      const a1 = b0 + nf2 + i32[8 * n1 + 4];
      const a2 = b0 + 2 * nf2 + i32[8 * n2 + 4];
      const a3 = b0 + 3 * nf2 + i32[8 * n3 + 4];
      const a4 = b0 + 4 * nf2 + i32[8 * n4 + 4];
      const a5 = b0 + 5 * nf2 + i32[8 * n5 + 4];
      const a6 = b0 + 6 * nf2 + i32[8 * n6 + 4];
      const a7 = b0 + 7 * nf2 + i32[8 * n7 + 4];
      n0 = i32[8 * n0 + 5] + (+(block[a0] > f64[4 * n0]) | catRight[i32[8 * n0 + 7] + slots[a0]]);
      n1 = i32[8 * n1 + 5] + (+(block[a1] > f64[4 * n1]) | catRight[i32[8 * n1 + 7] + slots[a1]]);
      n2 = i32[8 * n2 + 5] + (+(block[a2] > f64[4 * n2]) | catRight[i32[8 * n2 + 7] + slots[a2]]);
      n3 = i32[8 * n3 + 5] + (+(block[a3] > f64[4 * n3]) | catRight[i32[8 * n3 + 7] + slots[a3]]);
      n4 = i32[8 * n4 + 5] + (+(block[a4] > f64[4 * n4]) | catRight[i32[8 * n4 + 7] + slots[a4]]);
      n5 = i32[8 * n5 + 5] + (+(block[a5] > f64[4 * n5]) | catRight[i32[8 * n5 + 7] + slots[a5]]);
      n6 = i32[8 * n6 + 5] + (+(block[a6] > f64[4 * n6]) | catRight[i32[8 * n6 + 7] + slots[a6]]);
      n7 = i32[8 * n7 + 5] + (+(block[a7] > f64[4 * n7]) | catRight[i32[8 * n7 + 7] + slots[a7]]);
    }
    const r = o + i * k;
    out[r] += f64[4 * n0 + 1];
    out[r + k] += f64[4 * n1 + 1];
    out[r + 2 * k] += f64[4 * n2 + 1];
    out[r + 3 * k] += f64[4 * n3 + 1];
    out[r + 4 * k] += f64[4 * n4 + 1];
    out[r + 5 * k] += f64[4 * n5 + 1];
    out[r + 6 * k] += f64[4 * n6 + 1];
    out[r + 7 * k] += f64[4 * n7 + 1];
  }
}

/** The leaf of tree `root` for one prepared row (values and slots at base), branch-free (the leaf test aside). */
function leafOf(ev: Evaluator, root: number, values: Float64Array, slots: Int32Array, base: number): number {
  const { f64, i32, catRight } = ev;
  let n = root;
  while (i32[8 * n + 5] !== n) {
    const a = base + i32[8 * n + 4];
    n = i32[8 * n + 5] + (+(values[a] > f64[4 * n]) | catRight[i32[8 * n + 7] + slots[a]]);
  }
  return n;
}

/**
 * Raw scores of one row (nFeatures values at row[rowOffset + f·stride], stride 1 for a row-major row, nRows for a row
 * of a column-major matrix) into out[outOffset .. + nOutputs). Allocates nothing (the prepared copy of the row goes to
 * the evaluator's scratch, so this is not re-entrant). Eight trees are walked side by side. Leaf values are added in
 * tree order, as in batch prediction, so both give the same bits.
 */
export function rawScoresOfRow(ev: Evaluator, row: Float64Array, rowOffset: number, out: Float64Array, outOffset: number, stride = 1): void {
  const { f64, i32, catRight, e } = ev;
  const k = e.nOutputs;
  const x = ev.rowScratch;
  const slots = ev.rowSlots;
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseScore[j];
  if (!ev.exact) {
    for (let f = 0; f < e.nFeatures; f++) x[f] = row[rowOffset + f * stride];
    for (let t = 0; t < e.nTrees; t++) out[outOffset + (t % k)] += e.threshold[findLeaf(e, e.treeStart[t], x, 0)];
    return;
  }
  prepareRow(e, row, rowOffset, stride, x, slots, 0);
  const start = e.treeStart;
  let t = 0;
  for (; t + 8 <= e.nTrees; t += 8) {
    let n0 = start[t];
    let n1 = start[t + 1];
    let n2 = start[t + 2];
    let n3 = start[t + 3];
    let n4 = start[t + 4];
    let n5 = start[t + 5];
    let n6 = start[t + 6];
    let n7 = start[t + 7];
    const steps = ev.groupDepth[t >>> 3];
    for (let s = 0; s < steps; s++) {
      const a0 = i32[8 * n0 + 4];
      const a1 = i32[8 * n1 + 4];
      const a2 = i32[8 * n2 + 4];
      const a3 = i32[8 * n3 + 4];
      const a4 = i32[8 * n4 + 4];
      const a5 = i32[8 * n5 + 4];
      const a6 = i32[8 * n6 + 4];
      const a7 = i32[8 * n7 + 4];
      n0 = i32[8 * n0 + 5] + (+(x[a0] > f64[4 * n0]) | catRight[i32[8 * n0 + 7] + slots[a0]]);
      n1 = i32[8 * n1 + 5] + (+(x[a1] > f64[4 * n1]) | catRight[i32[8 * n1 + 7] + slots[a1]]);
      n2 = i32[8 * n2 + 5] + (+(x[a2] > f64[4 * n2]) | catRight[i32[8 * n2 + 7] + slots[a2]]);
      n3 = i32[8 * n3 + 5] + (+(x[a3] > f64[4 * n3]) | catRight[i32[8 * n3 + 7] + slots[a3]]);
      n4 = i32[8 * n4 + 5] + (+(x[a4] > f64[4 * n4]) | catRight[i32[8 * n4 + 7] + slots[a4]]);
      n5 = i32[8 * n5 + 5] + (+(x[a5] > f64[4 * n5]) | catRight[i32[8 * n5 + 7] + slots[a5]]);
      n6 = i32[8 * n6 + 5] + (+(x[a6] > f64[4 * n6]) | catRight[i32[8 * n6 + 7] + slots[a6]]);
      n7 = i32[8 * n7 + 5] + (+(x[a7] > f64[4 * n7]) | catRight[i32[8 * n7 + 7] + slots[a7]]);
    }
    out[outOffset + (t % k)] += f64[4 * n0 + 1];
    out[outOffset + ((t + 1) % k)] += f64[4 * n1 + 1];
    out[outOffset + ((t + 2) % k)] += f64[4 * n2 + 1];
    out[outOffset + ((t + 3) % k)] += f64[4 * n3 + 1];
    out[outOffset + ((t + 4) % k)] += f64[4 * n4 + 1];
    out[outOffset + ((t + 5) % k)] += f64[4 * n5 + 1];
    out[outOffset + ((t + 6) % k)] += f64[4 * n6 + 1];
    out[outOffset + ((t + 7) % k)] += f64[4 * n7 + 1];
  }
  for (; t < e.nTrees; t++) out[outOffset + (t % k)] += f64[4 * leafOf(ev, start[t], x, slots, 0) + 1];
}

/** The slots (see prepareRow) of one row of a column-major matrix into slots[o ..]. */
function prepareSlots(e: TreeEnsemble, data: Float64Array, row: number, nRows: number, slots: Int32Array, o: number): void {
  for (let f = 0; f < e.nFeatures; f++) {
    const nCat = e.nCategories[f];
    slots[o + f] = nCat === 0 ? 0 : slotOf(data[f * nRows + row], nCat);
  }
}

/** Rows per block in batch prediction: a block's values and slots (128 rows × a few dozen features) stay in cache. */
export const PREDICT_BLOCK_ROWS = 128;

/**
 * Raw scores (n × nOutputs, row-major) of a column-major matrix. Whole groups of eight rows go block by block through
 * the tree-by-tree walk; the last nRows mod 8 rows (all of a batch under eight) take the single-row walk, which costs
 * in JavaScript about what one row of a block does (a padded group would cost eight rows' time); in WebAssembly see
 * wasmScores. All walks add the same leaves in the same order to the same base score, so every row gets the bits it
 * would get alone, whatever the batch size.
 */
export function rawScores(ev: Evaluator, data: Float64Array, nRows: number): Float64Array {
  const e = ev.e;
  const nf = e.nFeatures;
  const w = 2 * nf; // prepared row width
  const k = e.nOutputs;
  const out = new Float64Array(nRows * k);
  if (ev.wasm) return wasmScores(ev, ev.wasm, data, nRows, out);
  const blocked = ev.exact ? nRows & ~7 : 0; // rows walked in blocks
  const blockRows = Math.min(PREDICT_BLOCK_ROWS, blocked);
  const block = new Float64Array(blockRows * w); // (blockRows, 2·nFeatures) the prepared rows' values
  const slots = new Int32Array(blockRows * w); // (blockRows, 2·nFeatures) and slots (only categorical columns written)
  for (let start = 0; start < blocked; start += PREDICT_BLOCK_ROWS) {
    const m = Math.min(PREDICT_BLOCK_ROWS, blocked - start); // a multiple of 8
    for (let f = 0; f < nf; f++) {
      const col = f * nRows + start;
      for (let i = 0; i < m; i++) {
        const x = data[col + i];
        block[i * w + f] = x === x ? Math.min(x, Number.MAX_VALUE) : -Infinity;
        block[i * w + nf + f] = x === x ? Math.min(x, Number.MAX_VALUE) : Infinity;
      }
    }
    if (ev.hasCategorical) for (let i = 0; i < m; i++) prepareSlots(e, data, start + i, nRows, slots, i * w);
    for (let i = start; i < start + m; i++) for (let j = 0; j < k; j++) out[i * k + j] = e.baseScore[j];
    accumulateBlock(ev, block, slots, m, out, start * k);
  }
  for (let i = blocked; i < nRows; i++) rawScoresOfRow(ev, data, i, out, i * k, nRows);
  return out;
}

/** Rows left over after the groups of eight up to which the single-row walk beats a padded group in WebAssembly. */
const WASM_ROW_TAIL = 2;

/**
 * rawScores with the blocks walked in WebAssembly (the same prepared rows, records and order of additions). A last
 * group of more than WASM_ROW_TAIL rows is padded to eight (padding rows keep whatever the block held: valid values
 * and slots whose outputs are dropped), since an eight-row group costs about two or three single-row walks.
 */
function wasmScores(ev: Evaluator, wasm: WasmWalker, data: Float64Array, nRows: number, out: Float64Array): Float64Array {
  const e = ev.e;
  const nf = e.nFeatures;
  const w = 2 * nf;
  const k = e.nOutputs;
  const { values, slots } = wasm;
  const walked = nRows % 8 > WASM_ROW_TAIL ? nRows : nRows & ~7; // rows walked in blocks
  for (let start = 0; start < walked; start += PREDICT_BLOCK_ROWS) {
    const m = Math.min(PREDICT_BLOCK_ROWS, walked - start);
    const padded = (m + 7) & ~7;
    for (let f = 0; f < nf; f++) {
      const col = f * nRows + start;
      const nCat = e.nCategories[f];
      for (let i = 0; i < m; i++) {
        const x = data[col + i];
        values[i * w + f] = x === x ? Math.min(x, Number.MAX_VALUE) : -Infinity;
        values[i * w + nf + f] = x === x ? Math.min(x, Number.MAX_VALUE) : Infinity;
        if (nCat > 0) slots[2 * (i * w + f)] = slotOf(x, nCat);
      }
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) wasm.out[i * k + j] = e.baseScore[j];
    for (let t = 0; t < e.nTrees; t++) {
      const o = wasm.outAddr + 8 * (t % k);
      if (wasm.complete[t]) wasm.walk(wasm.rootAddr[t], ev.depth[t], wasm.c[t], wasm.d[t], wasm.rows, padded, 8 * w, wasm.delta, o, 8 * k);
      else wasm.walkLinked(wasm.rootAddr[t], ev.depth[t], wasm.rows, padded, 8 * w, wasm.delta, o, 8 * k);
    }
    out.set(wasm.out.subarray(0, m * k), start * k);
  }
  for (let i = walked; i < nRows; i++) rawScoresOfRow(ev, data, i, out, i * k, nRows);
  return out;
}
