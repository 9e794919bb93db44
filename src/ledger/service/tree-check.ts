import { hash as oneShotHash } from 'node:crypto';
import type { LedgerNodeRun, LedgerStore } from '../../store/ledger-port.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import { foldRight, type FrontierNode } from '../compact-range.ts';
import { HASH_SIZE, equalBytes, type Hash } from '../hash.ts';
import type { Problem } from './audit.ts';
import { replayTreeCheck } from './tree-replay.ts';

/**
 * Stored nodes read per level and query, at least: the upper levels gain only a few nodes per run
 * of leaves, and a query per level and run cost more than the rest of the tree check.
 */
const READ_AHEAD_NODES = 4096;

/** One level of the interior nodes a run of leaves completes: indexes first..first+count-1, packed. */
interface BuiltLevel {
  level: number;
  first: number;
  count: number;
  hashes: Buffer;
}

/**
 * The audit's tree check: rebuilds the tree from the leaf hashes, compares every interior node
 * with the stored one and every checkpoint root with the signed one. It works a run of leaves at
 * a time, level by level in packed buffers, and reads each level's stored nodes of the run as one
 * buffer (a Buffer per node and per hash cost more than the hashing). When anything in a run
 * differs, the run is replayed leaf by leaf (replayTreeCheck), which names the same first problem
 * as a check that never batched; a run that passes the replay carries on.
 */
export class TreeCheck {
  private treeSize = 0;
  /** carries[L]: the last node of level L while it waits for its right sibling (floor(size / 2^L) odd). */
  private carries: Array<Buffer | undefined> = [];
  /** runs[L]: stored nodes of level L read ahead (a run: their indexes are consecutive integers). */
  private readonly runs: Array<LedgerNodeRun | undefined> = [];
  private next = 0;
  /** 0x01 and the two children of the node being hashed (RFC 6962 interior node input). */
  private readonly input = Buffer.alloc(1 + 2 * HASH_SIZE, 1);

  /** `checkpoints`: signed checkpoints of sizes >= 1, ascending. */
  constructor(
    private readonly store: LedgerStore,
    private readonly checkpoints: readonly SignedCheckpoint[],
    private readonly page: number,
  ) {}

  get size(): number {
    return this.treeSize;
  }

  /** Appends `count` packed leaf hashes; returns the first problem they show, if any. */
  async add(hashes: Uint8Array, count: number): Promise<Problem | undefined> {
    let done = 0;
    while (done < count) {
      // a run ends at the next checkpoint, so that its root is the fold of the carries
      const cp = this.checkpoints[this.next];
      const end = cp && cp.size <= this.treeSize + count - done ? cp.size : this.treeSize + count - done;
      const n = end - this.treeSize;
      const run = hashes.subarray(done * HASH_SIZE, (done + n) * HASH_SIZE);
      const checkpoint = cp?.size === end ? cp : undefined;
      if (!(await this.checkRun(run, n, checkpoint))) {
        const replayed = await replayTreeCheck(this.store, this.page, this.treeSize, this.frontier(), run, n, checkpoint);
        if ('problem' in replayed) return replayed.problem;
        this.treeSize = end;
        this.carries = [];
        for (const node of replayed.frontier) this.carries[node.level] = Buffer.from(node.hash);
      }
      if (checkpoint) this.next++;
      done += n;
    }
    return undefined;
  }

  private frontier(): FrontierNode[] {
    const out: FrontierNode[] = [];
    for (let level = this.carries.length - 1; level >= 0; level--) {
      const hash = this.carries[level];
      if (hash) out.push({ level, index: Math.floor(this.treeSize / 2 ** level) - 1, hash });
    }
    return out;
  }

  /** Checks a run of leaves in bulk; true (and the tree grown) when every node and the root match. */
  private async checkRun(leaves: Uint8Array, n: number, checkpoint: SignedCheckpoint | undefined): Promise<boolean> {
    const carries = this.carries.slice();
    const built = this.buildLevels(leaves, this.treeSize, this.treeSize + n, carries);
    for (const b of built) {
      const stored = await this.storedHashes(b.level, b.first, b.count);
      if (!stored || !equalBytes(stored, b.hashes)) return false;
    }
    if (checkpoint && !equalBytes(rootOf(carries), checkpoint.root)) return false;
    this.carries = carries;
    this.treeSize += n;
    return true;
  }

  /**
   * The hashes of stored nodes first..first+count-1 of a level, packed, when the rows that
   * scanNodes(level, first, count) returns are exactly those nodes; undefined otherwise. Any run
   * read from an index at or below `first` that covers them holds those rows, so it is kept and
   * read ahead.
   */
  private async storedHashes(level: number, first: number, count: number): Promise<Uint8Array | undefined> {
    let run = this.runs[level];
    if (!run || first < run.first || first + count > run.first + run.count) {
      run = (await this.store.scanNodeRun(level, first, Math.max(count, READ_AHEAD_NODES))) ?? (await this.store.scanNodeRun(level, first, count));
      this.runs[level] = run;
      if (!run || run.first !== first || run.count < count) return undefined;
    }
    const at = (first - run.first) * HASH_SIZE;
    return run.hashes.subarray(at, at + count * HASH_SIZE);
  }

  /**
   * The interior nodes completed by leaves [start, end), level by level; updates `carries` to the
   * frontier at `end`.
   */
  private buildLevels(leaves: Uint8Array, start: number, end: number, carries: Array<Buffer | undefined>): BuiltLevel[] {
    const input = this.input;
    const built: BuiltLevel[] = [];
    // nodes of `level` with indexes [lo, hi), packed (level 0: the leaves)
    let nodes = Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength);
    let lo = start;
    let hi = end;
    for (let level = 0; hi > lo; level++) {
      const first = Math.floor(lo / 2);
      const count = Math.floor(hi / 2) - first;
      const parents = Buffer.allocUnsafe(count * HASH_SIZE);
      for (let k = 0; k < count; k++) {
        const left = 2 * (first + k) - lo; // position in `nodes`; -1: the carry
        if (left < 0) {
          carries[level]!.copy(input, 1);
          nodes.copy(input, 1 + HASH_SIZE, 0, HASH_SIZE);
        } else {
          nodes.copy(input, 1, left * HASH_SIZE, (left + 2) * HASH_SIZE);
        }
        // a hex string costs less than a Buffer per hash
        parents.write(oneShotHash('sha256', input, 'hex'), k * HASH_SIZE, 'hex');
      }
      carries[level] = hi % 2 === 1 ? Buffer.from(nodes.subarray((hi - 1 - lo) * HASH_SIZE, (hi - lo) * HASH_SIZE)) : undefined;
      if (count > 0) built.push({ level: level + 1, first, count, hashes: parents });
      nodes = parents;
      lo = first;
      hi = first + count;
    }
    return built;
  }
}

/** Root of the tree whose frontier is `carries` (largest subtree first in the fold). */
function rootOf(carries: ReadonlyArray<Buffer | undefined>): Hash {
  const hashes: Hash[] = [];
  for (let level = carries.length - 1; level >= 0; level--) if (carries[level]) hashes.push(carries[level]!);
  return foldRight(hashes);
}
