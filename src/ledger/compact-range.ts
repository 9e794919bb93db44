import { emptyRoot, nodeHash, type Hash } from './hash.ts';
import { decomposeRange, type NodeId } from './tree-math.ts';

export interface FrontierNode extends NodeId {
  hash: Hash;
}

/**
 * The incremental state of an append-only RFC 6962 tree: the roots of the perfect subtrees that
 * cover [0, size), largest first. Appending a leaf merges equal-sized neighbours and reports every
 * completed interior node, which the store keeps so proofs never need the whole tree.
 */
export class CompactRange {
  private nodes: FrontierNode[];
  private count: number;

  constructor(size = 0, nodes: FrontierNode[] = []) {
    const expected = decomposeRange(0, size);
    if (expected.length !== nodes.length || expected.some((n, i) => n.level !== nodes[i]!.level || n.index !== nodes[i]!.index)) {
      throw new RangeError(`frontier does not match tree size ${size}`);
    }
    this.count = size;
    this.nodes = nodes.map((n) => ({ ...n }));
  }

  /** The node ids whose hashes rebuild the state of a tree of `size` leaves. */
  static frontierIds(size: number): NodeId[] {
    return decomposeRange(0, size);
  }

  get size(): number {
    return this.count;
  }

  clone(): CompactRange {
    return new CompactRange(this.count, this.nodes);
  }

  frontier(): FrontierNode[] {
    return this.nodes.map((n) => ({ ...n }));
  }

  /** Appends one leaf hash; `onNode` receives each interior node (level >= 1) completed by it. */
  append(leaf: Hash, onNode?: (node: FrontierNode) => void): void {
    let cur: FrontierNode = { level: 0, index: this.count, hash: leaf };
    this.count++;
    for (;;) {
      const last = this.nodes[this.nodes.length - 1];
      if (last === undefined || last.level !== cur.level) break;
      this.nodes.pop();
      cur = { level: cur.level + 1, index: last.index / 2, hash: nodeHash(last.hash, cur.hash) };
      onNode?.(cur);
    }
    this.nodes.push(cur);
  }

  root(): Hash {
    return foldRight(this.nodes.map((n) => n.hash));
  }
}

/** Root of a range given the hashes of its decomposition, left to right. */
export function foldRight(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return emptyRoot();
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}
