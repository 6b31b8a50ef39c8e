// A tree under construction: growable flat node arrays (capacity doubles, so the builder never allocates per node),
// and the compact GrownTree they are trimmed to when the tree is done.

/**
 * One fitted tree as flat arrays. Node ids are pre-order: a split node's left child is the next node (id + 1), so
 * only the right child is stored, and every child id is larger than its parent's.
 */
export interface GrownTree {
  readonly nNodes: number;
  readonly nLeaves: number;
  readonly nOutputs: number;
  /** split feature, or -1 for a leaf */
  readonly feature: Int32Array; // (nNodes)
  /** a row goes left when x[feature] <= threshold */
  readonly threshold: Float64Array; // (nNodes)
  /** 1 when a missing value goes left */
  readonly missingLeft: Uint8Array; // (nNodes)
  /** right child (the left child is id + 1); for a leaf, the leaf's row in `value` */
  readonly right: Int32Array; // (nNodes)
  /** leaf outputs: class probabilities (classification) or the mean target (regression) */
  readonly value: Float64Array; // (nLeaves, nOutputs)
  /** weighted impurity decrease per feature, normalised to sum 1 (all zero for a single-leaf tree) */
  readonly importance: Float64Array; // (nCols)
}

export class TreeBuffer {
  nNodes = 0;
  nLeaves = 0;
  private capacity: number;
  private leafCapacity: number;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  right: Int32Array;
  value: Float64Array;

  constructor(
    readonly nOutputs: number,
    initialCapacity = 64,
  ) {
    this.capacity = initialCapacity;
    this.leafCapacity = initialCapacity;
    this.feature = new Int32Array(initialCapacity);
    this.threshold = new Float64Array(initialCapacity);
    this.missingLeft = new Uint8Array(initialCapacity);
    this.right = new Int32Array(initialCapacity);
    this.value = new Float64Array(initialCapacity * nOutputs);
  }

  reset(): void {
    this.nNodes = 0;
    this.nLeaves = 0;
  }

  /** Append a node (a leaf until `setSplit`), returning its id. */
  addNode(): number {
    if (this.nNodes === this.capacity) this.growNodes();
    const id = this.nNodes++;
    this.feature[id] = -1;
    this.right[id] = -1;
    return id;
  }

  setSplit(id: number, feature: number, threshold: number, missingLeft: boolean): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.missingLeft[id] = missingLeft ? 1 : 0;
  }

  /** Make `id` a leaf and return the offset of its output row in `value` for the caller to fill. */
  setLeaf(id: number): number {
    if (this.nLeaves === this.leafCapacity) {
      this.leafCapacity *= 2;
      const v = new Float64Array(this.leafCapacity * this.nOutputs);
      v.set(this.value);
      this.value = v;
    }
    const leaf = this.nLeaves++;
    this.feature[id] = -1;
    this.threshold[id] = 0;
    this.missingLeft[id] = 0;
    this.right[id] = leaf;
    return leaf * this.nOutputs;
  }

  private growNodes(): void {
    this.capacity *= 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.feature = grow(this.feature, (n) => new Int32Array(n));
    this.threshold = grow(this.threshold, (n) => new Float64Array(n));
    this.missingLeft = grow(this.missingLeft, (n) => new Uint8Array(n));
    this.right = grow(this.right, (n) => new Int32Array(n));
  }

  /** Trimmed copies of the arrays (the buffer can be reset and reused for the next tree). */
  finish(importance: Float64Array): GrownTree {
    const n = this.nNodes;
    return {
      nNodes: n,
      nLeaves: this.nLeaves,
      nOutputs: this.nOutputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      missingLeft: this.missingLeft.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, this.nLeaves * this.nOutputs),
      importance,
    };
  }
}
