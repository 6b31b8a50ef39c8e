// Gradient/hessian histograms: for one node, the sums of (gradient, hessian[, count]) of its rows per feature and bin.
// Built for the smaller child only; the larger one is its parent minus the smaller (the subtraction trick):
//
//   parent hist ─┬─ build(smaller child rows)  ──► small slot
//                └─ parent -= small  (in place) ──► the parent's slot now holds the larger child
//
// Layout of one slot: (stride features, 256 bins, cells) float64, cells = 2 (g, h) or 3 (g, h, count). Every feature
// gets 256 bins so offsets are shifts; bins are read four at a time as one uint32 of the row-major bin matrix
// (measured 1.5× faster than byte loads, and 2.5× faster than gathering from column-major bins).

export const HIST_BINS = 256;

/** float64s per feature in a slot */
export const featureCells = (cells: number): number => HIST_BINS * cells;

/**
 * Add rows index[start..end) into the slot at `offset`, for the 32-bit words [w0, w1) of each row (features 4·w0 ..
 * 4·w1 - 1). `bins` is the row-major bin matrix read as words (nRows × strideWords); `gh` holds (g, h) per row.
 * The slot region of those features must be zero (or hold sums to add to).
 */
export function buildHistogram2(
  bins: Uint32Array,
  strideWords: number,
  gh: Float32Array,
  index: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
  offset: number,
  w0: number,
  w1: number,
): void {
  // one word = 4 features × 256 bins × 2 cells = 2048 float64s; (v >>> 7) & 510 is 2 × byte 1, and so on
  for (let i = start; i < end; i++) {
    const r = index[i];
    const g = gh[2 * r];
    const h = gh[2 * r + 1];
    const base = r * strideWords;
    for (let w = w0; w < w1; w++) {
      const v = bins[base + w];
      const hb = offset + w * 2048;
      let b = hb + ((v & 255) << 1);
      hist[b] += g;
      hist[b + 1] += h;
      b = hb + 512 + ((v >>> 7) & 510);
      hist[b] += g;
      hist[b + 1] += h;
      b = hb + 1024 + ((v >>> 15) & 510);
      hist[b] += g;
      hist[b + 1] += h;
      b = hb + 1536 + ((v >>> 23) & 510);
      hist[b] += g;
      hist[b + 1] += h;
    }
  }
}

/** As buildHistogram2, with a third cell per bin counting rows (needed when leaves have a minimum row count). */
export function buildHistogram3(
  bins: Uint32Array,
  strideWords: number,
  gh: Float32Array,
  index: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
  offset: number,
  w0: number,
  w1: number,
): void {
  // one word = 4 features × 256 bins × 3 cells = 3072 float64s
  for (let i = start; i < end; i++) {
    const r = index[i];
    const g = gh[2 * r];
    const h = gh[2 * r + 1];
    const base = r * strideWords;
    for (let w = w0; w < w1; w++) {
      const v = bins[base + w];
      const hb = offset + w * 3072;
      let b = hb + (v & 255) * 3;
      hist[b] += g;
      hist[b + 1] += h;
      hist[b + 2] += 1;
      b = hb + 768 + ((v >>> 8) & 255) * 3;
      hist[b] += g;
      hist[b + 1] += h;
      hist[b + 2] += 1;
      b = hb + 1536 + ((v >>> 16) & 255) * 3;
      hist[b] += g;
      hist[b + 1] += h;
      hist[b + 2] += 1;
      b = hb + 2304 + (v >>> 24) * 3;
      hist[b] += g;
      hist[b + 1] += h;
      hist[b + 2] += 1;
    }
  }
}

/** parent -= small over the words [w0, w1): the parent's slot becomes the larger sibling's histogram. */
export function subtractHistogram(hist: Float64Array, parentOffset: number, smallOffset: number, w0: number, w1: number, cells: number): void {
  const perWord = 4 * featureCells(cells);
  const from = w0 * perWord;
  const to = w1 * perWord;
  for (let i = from; i < to; i++) hist[parentOffset + i] -= hist[smallOffset + i];
}

/** Zero the words [w0, w1) of the slot at `offset`. */
export function clearHistogram(hist: Float64Array, offset: number, w0: number, w1: number, cells: number): void {
  const perWord = 4 * featureCells(cells);
  hist.fill(0, offset + w0 * perWord, offset + w1 * perWord);
}
