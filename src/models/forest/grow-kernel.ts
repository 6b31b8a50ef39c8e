// The kernel module worker threads load to grow forest trees in parallel (see ../../core/pool.ts). Every thread,
// the caller's included, pulls tree indices from a shared counter, grows each tree from its own seed exactly as the
// serial path does (grow.ts), and writes it as a record into its own region of the output buffer. A region takes
// trees while a worst-case tree still fits; the caller copies the records out and runs the op again until every
// tree has arrived. Which thread grows which tree changes nothing: tree t depends only on seed t.

import { Rng } from '../../core/rng.js';
import type { Binning } from '../tree/binning.js';
import { TreeBuilder, type GrowParams, type TreeData } from '../tree/builder.js';
import { prepareBootstrapWeights, type ForestPlan } from './grow.js';
import { maxRecordBytes, writeTreeRecord } from './tree-record.js';

export const OP_GROW = 1;

/** Everything a thread needs, as SharedArrayBuffers (shared memory) and small plain values (copied). */
export interface ForestShared {
  readonly nRows: number;
  readonly nCols: number;
  readonly nClasses: number;
  readonly x: SharedArrayBuffer; // Float64 (nCols, nRows)
  readonly bins: SharedArrayBuffer | null; // Uint8 (nCols, nRows)
  /** small per-feature arrays, copied to each thread */
  readonly binning: Binning | null;
  readonly yClass: SharedArrayBuffer | null; // Int32 (nRows)
  readonly yValue: SharedArrayBuffer | null; // Float64 (nRows)
  readonly baseWeight: SharedArrayBuffer; // Float64 (nRows)
  readonly seeds: SharedArrayBuffer; // Float64 (nTrees)
  readonly grow: GrowParams;
  readonly bootstrap: boolean;
  readonly nDraws: number;
  readonly balancedSubsample: boolean;
  /** next tree index to grow */
  readonly next: SharedArrayBuffer; // Int32 (1)
  /** records written by each part in the last run */
  readonly written: SharedArrayBuffer; // Int32 (parts)
  /** parts × regionBytes of tree records */
  readonly out: SharedArrayBuffer;
  readonly regionBytes: number;
}

export function setup(shared: ForestShared): (op: number, part: number, parts: number) => void {
  const data: TreeData = {
    nRows: shared.nRows,
    nCols: shared.nCols,
    x: new Float64Array(shared.x),
    bins: shared.bins ? new Uint8Array(shared.bins) : null,
    binning: shared.binning,
    yClass: shared.yClass ? new Int32Array(shared.yClass) : null,
    yValue: shared.yValue ? new Float64Array(shared.yValue) : null,
    nClasses: shared.nClasses,
  };
  const plan: ForestPlan = {
    data,
    grow: shared.grow,
    baseWeight: new Float64Array(shared.baseWeight),
    bootstrap: shared.bootstrap,
    nDraws: shared.nDraws,
    balancedSubsample: shared.balancedSubsample,
  };
  const seeds = new Float64Array(shared.seeds);
  const next = new Int32Array(shared.next);
  const written = new Int32Array(shared.written);
  const nOutputs = shared.nClasses > 0 ? shared.nClasses : 1;
  const worstCase = maxRecordBytes(shared.nRows, nOutputs, shared.nCols);
  let builder: TreeBuilder | null = null; // per thread, made on first use and reused for every tree
  const weight = new Float64Array(shared.nRows);
  const scratch = { counts: new Float64Array(shared.nRows), classFactor: new Float64Array(Math.max(1, shared.nClasses)) };

  return (op: number, part: number): void => {
    if (op !== OP_GROW) throw new Error(`unknown forest op ${op}`);
    builder ??= new TreeBuilder(data, plan.grow);
    const regionStart = part * shared.regionBytes;
    const regionEnd = regionStart + shared.regionBytes;
    let offset = regionStart;
    let count = 0;
    while (regionEnd - offset >= worstCase) {
      const t = Atomics.add(next, 0, 1);
      if (t >= seeds.length) break;
      const rng = new Rng(seeds[t]);
      prepareBootstrapWeights(plan, rng, weight, scratch);
      offset = writeTreeRecord(shared.out, offset, t, builder.grow(weight, rng));
      count++;
    }
    written[part] = count;
  };
}
