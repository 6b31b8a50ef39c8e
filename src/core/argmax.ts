// The likeliest class of each row of a (rows × classes) row-major array: the first index on ties, as numpy's
// argmax. Every classifier's predict, the pipeline and the metrics share this one rule, so ties break the same way
// everywhere.

/** the index of the largest of values[i·k .. i·k + k) */
export function argmaxAt(values: ArrayLike<number>, i: number, k: number): number {
  const o = i * k;
  let best = 0;
  for (let c = 1; c < k; c++) if (values[o + c] > values[o + best]) best = c;
  return best;
}

/** argmaxAt for every row of a (values.length / k) × k array */
export function argmaxRows(values: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(values.length / k);
  for (let i = 0; i < out.length; i++) out[i] = argmaxAt(values, i, k);
  return out;
}
