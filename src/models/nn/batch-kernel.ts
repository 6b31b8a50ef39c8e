// The MLP's data-parallel step: each mini-batch is cut into CHUNKS fixed row ranges, every chunk's data gradient and
// loss go to its own slot, and the caller sums the slots in chunk order. The cut does not depend on the number of
// threads, so 1 thread and N threads (any N up to CHUNKS) compute the same sums, bit for bit. This module is also
// what pool workers load (see ../../core/pool.ts); the calling thread runs the same kernel. No Node imports.

import { backward, backwardScratch, outputLoss, type TrainRows } from './gradient.js';
import { forward, layout, type NetworkShape } from './network.js';

/** row ranges per batch: up to this many threads can share a batch */
export const CHUNKS = 4;
export const OP_BATCH = 1;

/** Training state in shared memory (SharedArrayBuffers) plus small plain values copied to each thread. */
export interface BatchShared {
  readonly shape: NetworkShape;
  readonly n: number;
  readonly maxBatch: number;
  readonly x: SharedArrayBuffer; // Float64 (n, nInputs) row-major, prepared
  readonly yClass: SharedArrayBuffer | null; // Int32 (n)
  readonly yValue: SharedArrayBuffer | null; // Float64 (n)
  readonly weight: SharedArrayBuffer | null; // Float64 (n)
  /** this epoch's row order */
  readonly order: SharedArrayBuffer; // Int32 (n)
  /** the current parameters (updated by the caller between batches) */
  readonly params: SharedArrayBuffer; // Float64 (nParams)
  /** per chunk: the data gradient of its rows (scaled by the whole batch size) */
  readonly chunkGrad: SharedArrayBuffer; // Float64 (CHUNKS, nParams)
  /** per chunk: the summed weighted data loss of its rows */
  readonly chunkLoss: SharedArrayBuffer; // Float64 (CHUNKS)
  /** [first position in `order`, rows in the batch] */
  readonly batch: SharedArrayBuffer; // Int32 (2)
}

export function setup(shared: BatchShared): (op: number, part: number, parts: number) => void {
  const { shape } = shared;
  const { sizes } = shape;
  const L = sizes.length - 1;
  const nIn = sizes[0];
  const total = layout(sizes).total;
  const rows: TrainRows = {
    n: shared.n,
    x: new Float64Array(shared.x),
    yClass: shared.yClass ? new Int32Array(shared.yClass) : null,
    yValue: shared.yValue ? new Float64Array(shared.yValue) : null,
    weight: shared.weight ? new Float64Array(shared.weight) : null,
  };
  const order = new Int32Array(shared.order);
  const params = new Float64Array(shared.params);
  const chunkGrad = new Float64Array(shared.chunkGrad);
  const chunkLoss = new Float64Array(shared.chunkLoss);
  const batch = new Int32Array(shared.batch);
  // this thread's buffers, sized for the largest chunk
  const rowsMax = Math.ceil(shared.maxBatch / CHUNKS);
  const xb = new Float64Array(rowsMax * nIn); // (chunk rows, nIn)
  const acts = sizes.map((u) => new Float64Array(rowsMax * u));
  const deltas = sizes.map((u) => new Float64Array(rowsMax * u));
  const scratch = backwardScratch(sizes, rowsMax);

  return (op: number, part: number, parts: number): void => {
    if (op !== OP_BATCH) throw new Error(`unknown MLP op ${op}`);
    const start = batch[0];
    const bs = batch[1];
    for (let c = part; c < CHUNKS; c += parts) {
      const c0 = Math.floor((c * bs) / CHUNKS);
      const m = Math.floor(((c + 1) * bs) / CHUNKS) - c0;
      const grad = chunkGrad.subarray(c * total, (c + 1) * total);
      if (m === 0) {
        grad.fill(0);
        chunkLoss[c] = 0;
        continue;
      }
      for (let r = 0; r < m; r++) {
        const i = order[start + c0 + r];
        xb.set(rows.x.subarray(i * nIn, (i + 1) * nIn), r * nIn);
      }
      const logits = forward(shape, params, xb, m, acts, true);
      chunkLoss[c] = outputLoss(shape, logits, m, rows, order, start + c0, deltas[L], bs);
      backward(shape, params, grad, xb, acts, deltas, m, 0, scratch);
    }
  };
}
