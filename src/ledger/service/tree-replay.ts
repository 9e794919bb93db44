import type { LedgerNodeRow, LedgerStore } from '../../store/ledger-port.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import { CompactRange, type FrontierNode } from '../compact-range.ts';
import { HASH_SIZE, equalBytes } from '../hash.ts';
import type { Problem } from './audit.ts';

/**
 * Reads one level of stored interior nodes in order, a page at a time, starting after the first
 * `consumed` nodes of the level. Its reads are those of a cursor that had already read those
 * nodes (pages of `page` rows from index 0, each from the index after the last), which is what
 * makes a replay name the same problem as a scan of the whole level would.
 */
class NodeCursor {
  private buf: LedgerNodeRow[] = [];
  private pos = 0;
  private next: number;
  private skip: number;
  constructor(private readonly store: LedgerStore, private readonly level: number, private readonly page: number, consumed: number) {
    this.skip = consumed % page;
    this.next = consumed - this.skip;
  }

  async take(): Promise<LedgerNodeRow | undefined> {
    if (this.pos >= this.buf.length) {
      this.buf = await this.store.scanNodes(this.level, this.next, this.page);
      this.pos = this.skip;
      this.skip = 0;
      if (this.buf.length === 0) return undefined;
      this.next = this.buf[this.buf.length - 1]!.index + 1;
    }
    return this.buf[this.pos++];
  }
}

/**
 * The audit's tree check one leaf at a time: appends `count` packed leaf hashes to the tree of
 * `size` leaves with this frontier, compares each completed interior node with the stored one in
 * order and, when the tree reaches the checkpoint's size, its root with the signed one. Returns
 * the first problem, or the new frontier when there is none.
 */
export async function replayTreeCheck(
  store: LedgerStore,
  page: number,
  size: number,
  frontier: FrontierNode[],
  hashes: Uint8Array,
  count: number,
  checkpoint: SignedCheckpoint | undefined,
): Promise<{ problem: Problem } | { frontier: FrontierNode[] }> {
  const tree = new CompactRange(size, frontier);
  const cursors = new Map<number, NodeCursor>();
  const emitted: FrontierNode[] = [];
  for (let k = 0; k < count; k++) {
    emitted.length = 0;
    tree.append(hashes.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE), (n) => emitted.push(n));
    for (const n of emitted) {
      let cursor = cursors.get(n.level);
      if (!cursor) cursors.set(n.level, (cursor = new NodeCursor(store, n.level, page, n.index)));
      const stored = await cursor.take();
      const first = n.index * 2 ** n.level;
      if (!stored || stored.index !== n.index || !equalBytes(stored.hash, n.hash)) {
        return {
          problem: {
            kind: 'node',
            index: first,
            message: `tree node level ${n.level} index ${n.index} (entries ${first}..${first + 2 ** n.level - 1}) ${stored && stored.index === n.index ? 'does not match its entries' : 'is missing'}`,
          },
        };
      }
    }
    if (checkpoint && checkpoint.size === tree.size && !equalBytes(tree.root(), checkpoint.root)) {
      return {
        problem: { kind: 'checkpoint_root', checkpointSize: checkpoint.size, message: `the entries 0..${checkpoint.size - 1} no longer hash to the root signed at size ${checkpoint.size}` },
      };
    }
  }
  return { frontier: tree.frontier() };
}
