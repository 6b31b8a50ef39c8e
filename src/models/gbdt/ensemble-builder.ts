// Turns grown trees (bin space, creation order) into the flat TreeEnsemble (raw thresholds, category bitsets,
// siblings adjacent in breadth-first order). Bin thresholds map to raw values exactly: "bin <= t" is "v <= edge_t".

import { binUpperEdge, type FeatureBinning } from './binning.js';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, type TreeEnsemble } from './ensemble.js';
import type { GrownTree } from './grower.js';

interface FlatTree {
  feature: Int32Array;
  flags: Uint8Array;
  threshold: Float64Array;
  left: Int32Array; // relative to the tree's first node
  catStart: Int32Array; // relative to the tree's first category word
  catBits: Uint32Array;
  cover: Float64Array;
  gain: Float64Array;
}

export class EnsembleBuilder {
  private readonly trees: FlatTree[] = [];
  private readonly nCategories: Int32Array;

  constructor(
    private readonly bins: readonly FeatureBinning[],
    private readonly nOutputs: number,
    private readonly baseScore: Float64Array,
  ) {
    this.nCategories = Int32Array.from(bins, (b) => (b.categorical ? b.categoryBins.length : 0));
  }

  get nTrees(): number {
    return this.trees.length;
  }

  /** Add a tree; `leafValue[n]` is the final (scaled) value of leaf n. */
  add(tree: GrownTree, leafValue: Float64Array): void {
    const m = tree.nNodes;
    // breadth-first order puts each pair of children side by side
    const order = new Int32Array(m); // new position → old node
    const position = new Int32Array(m); // old node → new position
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
    const flat: FlatTree = {
      feature: new Int32Array(m),
      flags: new Uint8Array(m),
      threshold: new Float64Array(m),
      left: new Int32Array(m),
      catStart: new Int32Array(m).fill(-1),
      catBits: new Uint32Array(0),
      cover: new Float64Array(m),
      gain: new Float64Array(m),
    };
    const words: number[] = [];
    for (let p = 0; p < m; p++) {
      const n = order[p];
      const f = tree.feature[n];
      flat.cover[p] = tree.cover[n];
      if (f < 0) {
        flat.feature[p] = -1;
        flat.left[p] = -1;
        flat.threshold[p] = leafValue[n];
        continue;
      }
      flat.feature[p] = f;
      flat.left[p] = position[tree.left[n]];
      flat.gain[p] = tree.gain[n];
      flat.flags[p] = tree.defaultLeft[n] ? FLAG_DEFAULT_LEFT : 0;
      const fb = this.bins[f];
      if (tree.categorical[n]) {
        flat.flags[p] |= FLAG_CATEGORICAL;
        flat.catStart[p] = words.length;
        const nCat = fb.categoryBins.length;
        const first = words.length;
        for (let w = 0; w < (nCat + 31) >>> 5; w++) words.push(0);
        for (let c = 0; c < nCat; c++) {
          const b = fb.categoryBins[c];
          if ((tree.mask[n * 8 + (b >>> 5)] >>> (b & 31)) & 1) words[first + (c >>> 5)] |= 1 << (c & 31);
        }
      } else flat.threshold[p] = binUpperEdge(fb, tree.bin[n]);
    }
    flat.catBits = Uint32Array.from(words, (w) => w >>> 0);
    this.trees.push(flat);
  }

  /** The ensemble of the first `nTrees` trees (all by default). */
  build(nTrees = this.trees.length): TreeEnsemble {
    const trees = this.trees.slice(0, nTrees);
    let nNodes = 0;
    let nWords = 0;
    for (const t of trees) {
      nNodes += t.feature.length;
      nWords += t.catBits.length;
    }
    const e = {
      nFeatures: this.bins.length,
      nOutputs: this.nOutputs,
      nTrees: trees.length,
      baseScore: this.baseScore.slice(),
      treeStart: new Int32Array(trees.length + 1),
      feature: new Int32Array(nNodes),
      flags: new Uint8Array(nNodes),
      threshold: new Float64Array(nNodes),
      left: new Int32Array(nNodes),
      catStart: new Int32Array(nNodes),
      catBits: new Uint32Array(nWords),
      cover: new Float64Array(nNodes),
      gain: new Float64Array(nNodes),
      nCategories: this.nCategories.slice(),
    };
    let at = 0;
    let wordAt = 0;
    trees.forEach((t, i) => {
      e.treeStart[i] = at;
      const m = t.feature.length;
      e.feature.set(t.feature, at);
      e.flags.set(t.flags, at);
      e.threshold.set(t.threshold, at);
      e.cover.set(t.cover, at);
      e.gain.set(t.gain, at);
      for (let p = 0; p < m; p++) {
        e.left[at + p] = t.left[p] < 0 ? -1 : t.left[p] + at;
        e.catStart[at + p] = t.catStart[p] < 0 ? -1 : t.catStart[p] + wordAt;
      }
      e.catBits.set(t.catBits, wordAt);
      at += m;
      wordAt += t.catBits.length;
    });
    e.treeStart[trees.length] = at;
    return e;
  }
}
