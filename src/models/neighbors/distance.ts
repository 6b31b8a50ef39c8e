// Blocked distance computations between a block of query rows and a block of training rows, both row-major.
// Euclidean uses |q|² + |t|² − 2 q·t so the inner loop is a dot product; the kernel computes 4 queries × 2 training
// rows at once (8 accumulators), reading each loaded value several times:
//
//            t0   t1          one pass over j = 0..p-1 loads q0..q3[j] and t0,t1[j] (6 loads)
//      q0  [ s00  s01 ]       and does 8 multiply-adds
//      q1  [ s10  s11 ]
//      q2  [ s20  s21 ]
//      q3  [ s30  s31 ]
//
// Manhattan has no such identity and is summed directly with the same blocking. Cosine distance is 1 − q·t on rows
// normalised beforehand. Isomorphic (no Node imports).

export const EUCLIDEAN = 0;
export const MANHATTAN = 1;
export const COSINE = 2;
export type MetricId = typeof EUCLIDEAN | typeof MANHATTAN | typeof COSINE;
export const METRICS = { euclidean: EUCLIDEAN, manhattan: MANHATTAN, cosine: COSINE } as const;

/** squared norm of each row of a row-major (n, p) matrix */
export function rowSquaredNorms(x: Float64Array, n: number, p: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * p;
    for (let j = 0; j < p; j++) s += x[o + j] * x[o + j];
    out[i] = s;
  }
}

/** scale each row to unit length in place (all-zero rows stay zero, at distance 1 from everything) */
export function normalizeRows(x: Float64Array, n: number, p: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let s = 0;
    for (let j = 0; j < p; j++) s += x[o + j] * x[o + j];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < p; j++) x[o + j] *= inv;
  }
}

/**
 * dot[ti * nq + qi] = q_qi · t_(t0 + ti) for qi < nq, ti < nt.
 * q: (nq, p) row-major; t: (nTrain, p) row-major; dot: (nt, nq) (one training row's values for all queries together).
 */
export function dotBlock(q: Float64Array, nq: number, t: Float64Array, t0: number, nt: number, p: number, dot: Float64Array): void {
  let qi = 0;
  for (; qi + 4 <= nq; qi += 4) {
    const a = qi * p;
    const b = a + p;
    const c = b + p;
    const d = c + p;
    let ti = 0;
    for (; ti + 2 <= nt; ti += 2) {
      const u = (t0 + ti) * p;
      const v = u + p;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0; // prettier-ignore
      for (let j = 0; j < p; j++) {
        const tu = t[u + j];
        const tv = t[v + j];
        const qa = q[a + j];
        const qb = q[b + j];
        const qc = q[c + j];
        const qd = q[d + j];
        s00 += qa * tu;
        s01 += qa * tv;
        s10 += qb * tu;
        s11 += qb * tv;
        s20 += qc * tu;
        s21 += qc * tv;
        s30 += qd * tu;
        s31 += qd * tv;
      }
      dot[ti * nq + qi] = s00;
      dot[(ti + 1) * nq + qi] = s01;
      dot[ti * nq + qi + 1] = s10;
      dot[(ti + 1) * nq + qi + 1] = s11;
      dot[ti * nq + qi + 2] = s20;
      dot[(ti + 1) * nq + qi + 2] = s21;
      dot[ti * nq + qi + 3] = s30;
      dot[(ti + 1) * nq + qi + 3] = s31;
    }
    for (; ti < nt; ti++) {
      const u = (t0 + ti) * p;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      for (let j = 0; j < p; j++) {
        const tu = t[u + j];
        s0 += q[a + j] * tu;
        s1 += q[b + j] * tu;
        s2 += q[c + j] * tu;
        s3 += q[d + j] * tu;
      }
      dot[ti * nq + qi] = s0;
      dot[ti * nq + qi + 1] = s1;
      dot[ti * nq + qi + 2] = s2;
      dot[ti * nq + qi + 3] = s3;
    }
  }
  for (; qi < nq; qi++) {
    const a = qi * p;
    for (let ti = 0; ti < nt; ti++) {
      const u = (t0 + ti) * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += q[a + j] * t[u + j];
      dot[ti * nq + qi] = s;
    }
  }
}

/** out[ti * nq + qi] = Σ_j |q_qi[j] − t_(t0 + ti)[j]|, blocked 4 queries at a time like dotBlock */
export function manhattanBlock(q: Float64Array, nq: number, t: Float64Array, t0: number, nt: number, p: number, out: Float64Array): void {
  let qi = 0;
  for (; qi + 4 <= nq; qi += 4) {
    const a = qi * p;
    const b = a + p;
    const c = b + p;
    const d = c + p;
    for (let ti = 0; ti < nt; ti++) {
      const u = (t0 + ti) * p;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      for (let j = 0; j < p; j++) {
        const tu = t[u + j];
        s0 += Math.abs(q[a + j] - tu);
        s1 += Math.abs(q[b + j] - tu);
        s2 += Math.abs(q[c + j] - tu);
        s3 += Math.abs(q[d + j] - tu);
      }
      out[ti * nq + qi] = s0;
      out[ti * nq + qi + 1] = s1;
      out[ti * nq + qi + 2] = s2;
      out[ti * nq + qi + 3] = s3;
    }
  }
  for (; qi < nq; qi++) {
    const a = qi * p;
    for (let ti = 0; ti < nt; ti++) {
      const u = (t0 + ti) * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += Math.abs(q[a + j] - t[u + j]);
      out[ti * nq + qi] = s;
    }
  }
}

/** The exact distance between two rows (used to refine the k chosen neighbours' distances). */
export function exactDistance(metric: MetricId, q: Float64Array, qo: number, t: Float64Array, to: number, p: number): number {
  let s = 0;
  if (metric === EUCLIDEAN) {
    for (let j = 0; j < p; j++) {
      const d = q[qo + j] - t[to + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }
  if (metric === MANHATTAN) {
    for (let j = 0; j < p; j++) s += Math.abs(q[qo + j] - t[to + j]);
    return s;
  }
  for (let j = 0; j < p; j++) s += q[qo + j] * t[to + j];
  return Math.max(0, 1 - s);
}

/**
 * Sparse columns: out[ti * nq + qi] += Σ over the non-zeros (j, v) of training row t0 + ti of v · q_qi[j].
 * The queries' sparse columns are transposed, qT (nSparse, nq), so the innermost loop runs over queries contiguously;
 * the training rows are CSR (rowPtr, col, val) over the sparse columns only.
 */
export function sparseDotAdd(
  qT: Float64Array,
  nq: number,
  rowPtr: Int32Array,
  col: Int32Array,
  val: Float64Array,
  t0: number,
  nt: number,
  out: Float64Array,
): void {
  for (let ti = 0; ti < nt; ti++) {
    const o = ti * nq;
    const end = rowPtr[t0 + ti + 1];
    for (let e = rowPtr[t0 + ti]; e < end; e++) {
      const v = val[e];
      const qo = col[e] * nq;
      for (let qi = 0; qi < nq; qi++) out[o + qi] += v * qT[qo + qi];
    }
  }
}

/**
 * Sparse columns for manhattan: where training row t is zero, |q_j − 0| = |q_j| is the same for every training row,
 * so it is left out of the ranking key; each non-zero (j, v) adds |q_j − v| − |q_j|.
 */
export function sparseManhattanAdd(
  qT: Float64Array,
  nq: number,
  rowPtr: Int32Array,
  col: Int32Array,
  val: Float64Array,
  t0: number,
  nt: number,
  out: Float64Array,
): void {
  for (let ti = 0; ti < nt; ti++) {
    const o = ti * nq;
    const end = rowPtr[t0 + ti + 1];
    for (let e = rowPtr[t0 + ti]; e < end; e++) {
      const v = val[e];
      const qo = col[e] * nq;
      for (let qi = 0; qi < nq; qi++) {
        const a = qT[qo + qi];
        out[o + qi] += Math.abs(a - v) - Math.abs(a);
      }
    }
  }
}
