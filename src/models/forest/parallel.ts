// Grows a forest's trees on the shared worker pool (Node only, fit time). The training data goes to the threads as
// SharedArrayBuffers (copied once unless it already lives in one); trees come back as records (tree-record.ts) and
// are put in seed order, so the forest equals the one the serial path (grow.ts) grows.

import { sharedWorkerPool, siblingModuleUrl } from '../../core/pool.js';
import type { GrownTree } from '../tree/grown-tree.js';
import { OP_GROW, type ForestShared } from './grow-kernel.js';
import type { ForestPlan } from './grow.js';
import { maxRecordBytes, readTreeRecord } from './tree-record.js';

/** Each thread's output region holds at least this many bytes (several trees per dispatch). */
const MIN_REGION_BYTES = 16 * 1024 * 1024;
/** Below this many rows × trees, auto mode (nThreads = 0) stays on the calling thread: dispatch would cost more. */
export const PARALLEL_MIN_WORK = 200_000;

type Shareable = Float64Array | Int32Array | Uint8Array;

/** The array's memory as a SharedArrayBuffer: its own when it already is one (and the array spans it), else a copy. */
function shared(a: Shareable): SharedArrayBuffer {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a.buffer;
  const buffer = new SharedArrayBuffer(a.byteLength);
  new (a.constructor as { new (b: SharedArrayBuffer): Shareable })(buffer).set(a);
  return buffer;
}

/** Grow one tree per seed on `parts` threads (the caller's included); `afterRound(received)` runs between dispatches. */
export async function growTreesParallel(
  plan: ForestPlan,
  seeds: readonly number[],
  parts: number,
  afterRound?: (received: number) => void,
): Promise<GrownTree[]> {
  const d = plan.data;
  const nOutputs = d.nClasses > 0 ? d.nClasses : 1;
  const regionBytes = Math.max(MIN_REGION_BYTES, maxRecordBytes(d.nRows, nOutputs, d.nCols));
  const written = new SharedArrayBuffer(4 * parts);
  const out = new SharedArrayBuffer(parts * regionBytes);
  const job: ForestShared = {
    nRows: d.nRows,
    nCols: d.nCols,
    nClasses: d.nClasses,
    x: shared(d.x),
    bins: d.bins ? shared(d.bins) : null,
    binning: d.binning,
    yClass: d.yClass ? shared(d.yClass) : null,
    yValue: d.yValue ? shared(d.yValue) : null,
    baseWeight: shared(plan.baseWeight),
    seeds: shared(Float64Array.from(seeds)),
    grow: plan.grow,
    bootstrap: plan.bootstrap,
    nDraws: plan.nDraws,
    balancedSubsample: plan.balancedSubsample,
    next: new SharedArrayBuffer(4),
    written,
    out,
    regionBytes,
  };
  const session = await sharedWorkerPool().attach(siblingModuleUrl(import.meta.url, 'grow-kernel'), job, parts);
  try {
    const trees: GrownTree[] = new Array(seeds.length);
    const counts = new Int32Array(written);
    let received = 0;
    while (received < seeds.length) {
      session.run(OP_GROW);
      let arrived = 0;
      for (let part = 0; part < parts; part++) {
        let offset = part * regionBytes;
        for (let c = 0; c < counts[part]; c++) {
          const record = readTreeRecord(out, offset, nOutputs, d.nCols);
          trees[record.treeIndex] = record.tree;
          offset = record.next;
          arrived++;
        }
      }
      if (arrived === 0) throw new Error('forest workers returned no tree');
      received += arrived;
      afterRound?.(received);
    }
    return trees;
  } finally {
    await session.detach();
  }
}
