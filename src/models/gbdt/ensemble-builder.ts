// Turns grown trees (bin space, creation order) into the flat TreeEnsemble (raw thresholds, category bitsets,
// siblings adjacent in breadth-first order). Bin thresholds map to raw values exactly: "bin <= t" is "v <= edge_t".
// Trees are appended to growing buffers (doubling), so adding a tree allocates nothing in the common case.

import { binUpperEdge, type FeatureBinning } from './binning.js';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, type TreeEnsemble } from './ensemble.js';
import type { GrownTree } from './grower.js';

export class EnsembleBuilder {
  private readonly nCategories: Int32Array;
  private treeStart: number[] = [0];
  private wordStart: number[] = [0];
  private nNodes = 0;
  private nWords = 0;
  // node arrays (capacity ≥ nNodes), as in TreeEnsemble
  private feature = new Int32Array(1024);
  private flags = new Uint8Array(1024);
  private threshold = new Float64Array(1024);
  private left = new Int32Array(1024);
  private catStart = new Int32Array(1024);
  private cover = new Float64Array(1024);
  private gain = new Float64Array(1024);
  private catBits = new Uint32Array(256);
  // breadth-first renumbering of one tree: new position → old node, and back
  private order = new Int32Array(256);
  private position = new Int32Array(256);

  constructor(
    private readonly bins: readonly FeatureBinning[],
    private readonly nOutputs: number,
    private readonly baseScore: Float64Array,
  ) {
    this.nCategories = Int32Array.from(bins, (b) => (b.categorical ? b.categoryBins.length : 0));
  }

  get nTrees(): number {
    return this.treeStart.length - 1;
  }

  /** Add a tree; `leafValue[n]` is the final (scaled) value of leaf n. */
  add(tree: GrownTree, leafValue: Float64Array): void {
    const m = tree.nNodes;
    this.reserve(this.nNodes + m);
    if (this.order.length < m) {
      this.order = new Int32Array(2 * m);
      this.position = new Int32Array(2 * m);
    }
    const { order, position } = this;
    // breadth-first order puts each pair of children side by side
    let head = 0;
    let tail = 1;
    order[0] = 0;
    while (head < tail) {
      const n = order[head++];
      if (tree.feature[n] >= 0) {
        position[tree.left[n]] = tail;
        order[tail++] = tree.left[n];
        position[tree.right[n]] = tail;
        order[tail++] = tree.right[n];
      }
    }
    const at = this.nNodes;
    for (let p = 0; p < m; p++) {
      const n = order[p];
      const q = at + p;
      const f = tree.feature[n];
      this.cover[q] = tree.cover[n];
      this.catStart[q] = -1;
      if (f < 0) {
        this.feature[q] = -1;
        this.left[q] = -1;
        this.flags[q] = 0;
        this.gain[q] = 0;
        this.threshold[q] = leafValue[n];
        continue;
      }
      this.feature[q] = f;
      this.left[q] = at + position[tree.left[n]];
      this.gain[q] = tree.gain[n];
      this.flags[q] = tree.defaultLeft[n] ? FLAG_DEFAULT_LEFT : 0;
      const fb = this.bins[f];
      if (tree.categorical[n]) {
        // the bitset over category codes: code c goes left when its bin does
        const nCat = fb.categoryBins.length;
        const words = (nCat + 31) >>> 5;
        this.reserveWords(this.nWords + words);
        const first = this.nWords;
        this.catBits.fill(0, first, first + words);
        for (let c = 0; c < nCat; c++) {
          const b = fb.categoryBins[c];
          if ((tree.mask[n * 8 + (b >>> 5)] >>> (b & 31)) & 1) this.catBits[first + (c >>> 5)] |= 1 << (c & 31);
        }
        this.flags[q] |= FLAG_CATEGORICAL;
        this.catStart[q] = first;
        this.threshold[q] = 0;
        this.nWords += words;
      } else this.threshold[q] = binUpperEdge(fb, tree.bin[n]);
    }
    this.nNodes += m;
    this.treeStart.push(this.nNodes);
    this.wordStart.push(this.nWords);
  }

  private reserve(nodes: number): void {
    if (nodes <= this.feature.length) return;
    const size = Math.max(nodes, 2 * this.feature.length);
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.nNodes));
      return b;
    };
    this.feature = grow(this.feature, (n) => new Int32Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.threshold = grow(this.threshold, (n) => new Float64Array(n));
    this.left = grow(this.left, (n) => new Int32Array(n));
    this.catStart = grow(this.catStart, (n) => new Int32Array(n));
    this.cover = grow(this.cover, (n) => new Float64Array(n));
    this.gain = grow(this.gain, (n) => new Float64Array(n));
  }

  private reserveWords(words: number): void {
    if (words <= this.catBits.length) return;
    const b = new Uint32Array(Math.max(words, 2 * this.catBits.length));
    b.set(this.catBits.subarray(0, this.nWords));
    this.catBits = b;
  }

  /** The ensemble of the first `nTrees` trees (all by default), as copies sized to fit. */
  build(nTrees = this.nTrees): TreeEnsemble {
    const nodes = this.treeStart[nTrees];
    const words = this.wordStart[nTrees];
    return {
      nFeatures: this.bins.length,
      nOutputs: this.nOutputs,
      nTrees,
      baseScore: this.baseScore.slice(),
      treeStart: Int32Array.from(this.treeStart.slice(0, nTrees + 1)),
      feature: this.feature.slice(0, nodes),
      flags: this.flags.slice(0, nodes),
      threshold: this.threshold.slice(0, nodes),
      left: this.left.slice(0, nodes),
      catStart: this.catStart.slice(0, nodes),
      catBits: this.catBits.slice(0, words),
      cover: this.cover.slice(0, nodes),
      gain: this.gain.slice(0, nodes),
      nCategories: this.nCategories.slice(),
    };
  }
}
