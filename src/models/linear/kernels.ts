// The two dense products every linear fit spends its time in, on a column-major (nCols, nRows) matrix:
//   z += X·w   (accumulate a linear predictor)      g = Xᵀ·r   (gradient of a loss from per-row residuals)
// Readable form:
//   for j: for i: z[i] += w[j] * x[j*n + i]          for j: g[j] = Σ_i r[i] * x[j*n + i]
// Both walk four columns per pass over the rows, so z (or r) is read and written a quarter as often; that is
// what bounds these loops (memory traffic, not arithmetic). Results equal the readable form up to rounding.

/** z[i] += Σ_j w[wOffset + j] · x[j·n + i], for j in [0, p) */
export function accumulateXw(x: Float64Array, n: number, p: number, w: Float64Array, wOffset: number, z: Float64Array): void {
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const w0 = w[wOffset + j];
    const w1 = w[wOffset + j + 1];
    const w2 = w[wOffset + j + 2];
    const w3 = w[wOffset + j + 3];
    if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0) continue;
    const o0 = j * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let i = 0; i < n; i++) z[i] += w0 * x[o0 + i] + w1 * x[o1 + i] + w2 * x[o2 + i] + w3 * x[o3 + i];
  }
  for (; j < p; j++) {
    const wj = w[wOffset + j];
    if (wj === 0) continue;
    const o = j * n;
    for (let i = 0; i < n; i++) z[i] += wj * x[o + i];
  }
}

/** g[gOffset + j] = Σ_i r[i] · x[j·n + i], for j in [0, p) */
export function multiplyXtr(x: Float64Array, n: number, p: number, r: Float64Array, g: Float64Array, gOffset: number): void {
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const o0 = j * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      g0 += ri * x[o0 + i];
      g1 += ri * x[o1 + i];
      g2 += ri * x[o2 + i];
      g3 += ri * x[o3 + i];
    }
    g[gOffset + j] = g0;
    g[gOffset + j + 1] = g1;
    g[gOffset + j + 2] = g2;
    g[gOffset + j + 3] = g3;
  }
  for (; j < p; j++) {
    const o = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i] * x[o + i];
    g[gOffset + j] = s;
  }
}
