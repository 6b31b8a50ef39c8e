// Mini-batch training of a NetworkShape with Adam, L2 on the weights, and early stopping: scikit-learn's MLP
// recipe (Glorot-uniform start, the same Adam step, the same "no improvement for nIterNoChange epochs" rule).
// Each batch's gradient comes from batch-kernel.ts, on worker threads when the work is large enough; the result is
// the same for any number of threads. Deterministic: the rng decides the start and the shuffles. Node-only (fit).

import { throwIfAborted, type FitProgress } from '../../core/learner.js';
import { sharedWorkerPool, siblingModuleUrl, type PoolSession } from '../../core/pool.js';
import type { Rng } from '../../core/rng.js';
import { CHUNKS, OP_BATCH, setup, type BatchShared } from './batch-kernel.js';
import { adam, initialParams, meanLoss, type TrainRows } from './gradient.js';
import { layout, type NetworkShape } from './network.js';
import type { MLPParams } from './params.js';

/** rows × parameters per epoch below which worker threads cost more than they save */
export const PARALLEL_MIN_WORK = 20_000_000;

export interface TrainResult {
  readonly params: Float64Array;
  readonly epochs: number;
  /** training loss per epoch (mean over rows, with the L2 term as scikit-learn reports it) */
  readonly lossCurve: number[];
  /** validation loss per epoch (early stopping) */
  readonly validationCurve: number[];
}

function sharedCopy(a: Float64Array | Int32Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(a.byteLength);
  new (a.constructor as { new (b: SharedArrayBuffer): Float64Array | Int32Array })(buffer).set(a);
  return buffer;
}

/** `threads` > 1 runs each batch on that many threads (at most CHUNKS); the model does not depend on it. */
export async function trainNetwork(
  shape: NetworkShape,
  p: Readonly<MLPParams>,
  train: TrainRows,
  validation: TrainRows | null,
  rng: Rng,
  hooks: { signal?: AbortSignal; onProgress?: (p: FitProgress) => void },
  threads: number,
): Promise<TrainResult> {
  const { sizes } = shape;
  const L = sizes.length - 1;
  const { w: wOff, b: bOff, total } = layout(sizes);
  const B = Math.min(p.batchSize, train.n);
  const shared: BatchShared = {
    shape,
    n: train.n,
    maxBatch: B,
    x: sharedCopy(train.x),
    yClass: train.yClass ? sharedCopy(train.yClass) : null,
    yValue: train.yValue ? sharedCopy(train.yValue) : null,
    weight: train.weight ? sharedCopy(train.weight) : null,
    order: sharedCopy(Int32Array.from({ length: train.n }, (_, i) => i)),
    params: sharedCopy(initialParams(shape, rng)),
    chunkGrad: new SharedArrayBuffer(CHUNKS * total * 8),
    chunkLoss: new SharedArrayBuffer(CHUNKS * 8),
    batch: new SharedArrayBuffer(8),
  };
  const params = new Float64Array(shared.params);
  const order = new Int32Array(shared.order);
  const chunkGrad = new Float64Array(shared.chunkGrad);
  const chunkLoss = new Float64Array(shared.chunkLoss);
  const batch = new Int32Array(shared.batch);
  const parts = Math.min(threads, CHUNKS);
  let session: PoolSession | null = null;
  let local: ((op: number, part: number, parts: number) => void) | null = null;
  if (parts > 1) session = await sharedWorkerPool().attach(siblingModuleUrl(import.meta.url, 'batch-kernel'), shared, parts);
  else local = setup(shared);
  try {
    const grad = new Float64Array(total);
    const m1 = new Float64Array(total); // Adam first moments
    const m2 = new Float64Array(total); // Adam second moments
    const lossCurve: number[] = [];
    const validationCurve: number[] = [];
    let weightSum = 0;
    for (let i = 0; i < train.n; i++) weightSum += train.weight ? train.weight[i] : 1;
    let best = Infinity;
    let bestParams: Float64Array | null = null;
    let noImprovement = 0;
    let step = 0;
    let epoch = 0;
    while (epoch < p.maxEpochs) {
      throwIfAborted(hooks.signal);
      if (p.shuffle) rng.shuffle(order);
      let epochLoss = 0;
      for (let s = 0; s < train.n; s += B) {
        const bs = Math.min(B, train.n - s);
        batch[0] = s;
        batch[1] = bs;
        if (session) session.run(OP_BATCH);
        else (local as (op: number, part: number, parts: number) => void)(OP_BATCH, 0, 1);
        // Σ chunk gradients in chunk order, + α W / bs on the weights
        grad.set(chunkGrad.subarray(0, total));
        for (let c = 1; c < CHUNKS; c++) {
          const o = c * total;
          for (let i = 0; i < total; i++) grad[i] += chunkGrad[o + i];
        }
        let sq = 0;
        for (let l = 1; l <= L; l++) {
          for (let i = wOff[l - 1]; i < bOff[l - 1]; i++) {
            sq += params[i] * params[i];
            grad[i] += (p.alpha * params[i]) / bs;
          }
        }
        // scikit-learn's epoch loss: Σ over batches of (mean batch loss + ½ α Σ W² / bs) · bs, divided by n
        let dataLoss = 0;
        for (let c = 0; c < CHUNKS; c++) dataLoss += chunkLoss[c];
        epochLoss += dataLoss + 0.5 * p.alpha * sq;
        step++;
        adam(params, grad, m1, m2, step, p);
      }
      epoch++;
      const trainLoss = epochLoss / weightSum;
      lossCurve.push(trainLoss);
      let monitored = trainLoss;
      if (validation) {
        monitored = meanLoss(shape, params, validation, 512);
        validationCurve.push(monitored);
      }
      hooks.onProgress?.({ unit: 'epoch', done: epoch, total: p.maxEpochs, metric: { name: validation ? 'validation loss' : 'loss', value: monitored } });
      if (monitored > best - p.tol) noImprovement++;
      else noImprovement = 0;
      if (monitored < best) {
        best = monitored;
        if (validation) bestParams = params.slice();
      }
      if (noImprovement > p.nIterNoChange) break;
    }
    return { params: bestParams ?? params.slice(), epochs: epoch, lossCurve, validationCurve };
  } finally {
    await session?.detach();
  }
}
