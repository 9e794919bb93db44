/**
 * The audit as it was before the batched tree check and the text reads of entries (commit
 * 7c0d7d4), on one thread: the reference the differential audit test compares reports against.
 */
import { errorMessage } from '../../../src/errors.ts';
import { openCheckpoint, type SignedCheckpoint } from '../../../src/ledger/checkpoint.ts';
import { CompactRange, type FrontierNode } from '../../../src/ledger/compact-range.ts';
import type { NoteVerifier } from '../../../src/ledger/note.ts';
import { verifyConsistency } from '../../../src/ledger/proof.ts';
import { consistencyProofFromStore } from '../../../src/ledger/service/proofs.ts';
import type { Problem, VerifyOptions, VerifyReport } from '../../../src/ledger/service/audit.ts';
import type { LedgerCheckpointRow, LedgerEntryRow, LedgerNodeRow, LedgerStore } from '../../../src/store/ledger-port.ts';
import { decodeLeaf } from '../../../src/ledger/entry.ts';
import { equalBytes, leafHash, toHex, type Hash } from '../../../src/ledger/hash.ts';

const AUDIT_PAGE_ROWS = 1024;
const NEEDS_READ: unique symbol = Symbol('needs read');

/** Reads one level of stored interior nodes in order, a page at a time. */
class NodeCursor {
  private buf: LedgerNodeRow[] = [];
  private pos = 0;
  private next = 0;
  constructor(private readonly store: LedgerStore, private readonly level: number, private readonly page: number) {}
  /** The next node, or undefined at the end; takeBuffered() first, as most calls need no read. */
  async take(): Promise<LedgerNodeRow | undefined> {
    if (this.pos >= this.buf.length) {
      this.buf = await this.store.scanNodes(this.level, this.next, this.page);
      this.pos = 0;
      if (this.buf.length === 0) return undefined;
      this.next = this.buf[this.buf.length - 1]!.index + 1;
    }
    return this.buf[this.pos++];
  }

  /** The next node when it is already read, without the cost of a promise; NEEDS_READ otherwise. */
  takeBuffered(): LedgerNodeRow | typeof NEEDS_READ {
    return this.pos < this.buf.length ? this.buf[this.pos++]! : NEEDS_READ;
  }
}

/**
 * Full audit: every checkpoint signature, every leaf rehashed and parsed, every stored interior
 * node recomputed, every checkpoint root recomputed, and consecutive checkpoints proven consistent
 * from the stored nodes. Stops scanning entries at the first bad one.
 */
export async function auditLedgerV1(store: LedgerStore, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const problems: Problem[] = [];
  const rows = await store.listCheckpoints();
  const checkpoints: Array<{ row: LedgerCheckpointRow; cp: SignedCheckpoint }> = [];
  for (const row of rows) {
    try {
      const cp = openCheckpoint(row.note, [options.verifier], options.origin);
      if (cp.size !== row.size || !equalBytes(cp.root, row.root)) throw new Error('stored size/root columns differ from the signed note');
      checkpoints.push({ row, cp });
    } catch (error) {
      problems.push({ kind: 'checkpoint_signature', checkpointSize: row.size, message: `checkpoint at size ${row.size}: ${errorMessage(error)}` });
    }
  }
  const size = await store.size();
  const latest = checkpoints[checkpoints.length - 1]?.cp;
  if (latest && latest.size > size) {
    problems.push({ kind: 'truncated', index: size, message: `the log has ${size} entries but a signed checkpoint covers ${latest.size}: entries from index ${size} were removed` });
  }

  const tree = new CompactRange();
  const cursors = new Map<number, NodeCursor>();
  const page = options.pageSize ?? AUDIT_PAGE_ROWS;
  let cpPos = 0;
  while (cpPos < checkpoints.length && checkpoints[cpPos]!.cp.size === 0) cpPos++;
  const emitted: FrontierNode[] = [];
  let entryProblem: Problem | undefined;
  const pages = checkedEntryPages(store, 0, size, size, page);
  scan: for await (const p of pages) {
    for (const hash of p.hashes) {
      emitted.length = 0;
      tree.append(hash, (n) => emitted.push(n));
      for (const n of emitted) {
        let cursor = cursors.get(n.level);
        if (!cursor) cursors.set(n.level, (cursor = new NodeCursor(store, n.level, page)));
        const buffered = cursor.takeBuffered();
        const stored = buffered === NEEDS_READ ? await cursor.take() : buffered;
        const first = n.index * 2 ** n.level;
        if (!stored || stored.index !== n.index || !equalBytes(stored.hash, n.hash)) {
          entryProblem = {
            kind: 'node',
            index: first,
            message: `tree node level ${n.level} index ${n.index} (entries ${first}..${first + 2 ** n.level - 1}) ${stored && stored.index === n.index ? 'does not match its entries' : 'is missing'}`,
          };
          break scan;
        }
      }
      while (cpPos < checkpoints.length && checkpoints[cpPos]!.cp.size === tree.size) {
        const cp = checkpoints[cpPos++]!.cp;
        if (!equalBytes(tree.root(), cp.root)) {
          entryProblem = { kind: 'checkpoint_root', checkpointSize: cp.size, message: `the entries 0..${cp.size - 1} no longer hash to the root signed at size ${cp.size}` };
          break scan;
        }
      }
    }
    if (p.problem) {
      entryProblem = p.problem;
      break;
    }
    options.onProgress?.(tree.size, size);
  }
  if (entryProblem) problems.push(entryProblem);

  if (!entryProblem) {
    const counts = await store.countNodes();
    for (const [level, n] of counts) {
      const want = Math.floor(size / 2 ** level);
      if (n !== want) problems.push({ kind: 'extra_nodes', message: `level ${level} holds ${n} tree nodes, expected ${want}` });
    }
  }

  for (let k = 1; k < checkpoints.length; k++) {
    const a = checkpoints[k - 1]!.cp;
    const b = checkpoints[k]!.cp;
    if (a.size === 0 || b.size > size) continue;
    try {
      const proof = await consistencyProofFromStore(store, a.size, b.size);
      verifyConsistency(a.size, b.size, proof, a.root, b.root);
    } catch (error) {
      problems.push({ kind: 'checkpoint_consistency', checkpointSize: b.size, message: `checkpoints ${a.size} -> ${b.size} are not consistent: ${errorMessage(error)}` });
      break;
    }
  }

  const indexes = problems.map((p) => p.index).filter((i): i is number => i !== undefined);
  return {
    ok: problems.length === 0,
    origin: options.origin,
    verifierKey: options.vkey,
    size,
    checkpoints: rows.length,
    ...(latest ? { latestCheckpoint: { size: latest.size, root: toHex(latest.root) } } : {}),
    uncheckpointed: Math.max(0, size - (latest?.size ?? 0)),
    ...(indexes.length > 0 ? { firstBadIndex: Math.min(...indexes) } : {}),
    problems,
    durationMs: Math.round(performance.now() - started),
  };
}

/** One page of the audit's entry scan: the leaf hashes of the entries that passed, in order. */
interface CheckedPage {
  hashes: Hash[];
  /** The first bad entry, right after the last hash; the scan ends with it. */
  problem?: Problem;
}

/**
 * The per-entry checks of the audit: the stored hash binds the bytes, which parse and match the
 * indexed columns. Returns the leaf hash, or the problem.
 */
function checkEntry(row: LedgerEntryRow, i: number): Hash | { problem: Problem } {
  if (row.index !== i) return { problem: { kind: 'missing_entry', index: i, message: `entry ${i} is missing (next stored index is ${row.index})` } };
  const hash = leafHash(row.leaf);
  if (!equalBytes(hash, row.leafHash)) {
    return { problem: { kind: 'leaf_hash', index: i, message: `entry ${i}: stored bytes do not hash to the recorded leaf hash (content was edited)` } };
  }
  try {
    // canonical form is the writer's job (checked by bundle verification and reads); here the
    // leaf hash already binds the bytes, so parsing for index and columns is enough
    const e = decodeLeaf(row.leaf, i, { checkCanonical: false });
    if (e.actionId !== row.actionId || e.time !== row.time || e.agent !== row.agent || e.tenant !== row.tenant || (e.session ?? null) !== row.session || e.kind !== row.kind) {
      throw new Error('indexed columns (action id, time, tenant, agent, session, kind) differ from the leaf');
    }
  } catch (error) {
    return { problem: { kind: error instanceof Error && error.name === 'LeafFormatError' ? 'leaf_format' : 'entry_column', index: i, message: `entry ${i}: ${errorMessage(error)}` } };
  }
  return hash;
}

/**
 * Reads and checks the entries from index `from` while the next one is below `to`, a page of
 * `page` rows at a time, and stops at the first bad one. `size` is the log size the audit reads.
 */
async function* checkedEntryPages(store: LedgerStore, from: number, to: number, size: number, page: number): AsyncGenerator<CheckedPage> {
  let next = from;
  while (next < to) {
    const batch = await store.scanEntries(next, page);
    if (batch.length === 0) {
      yield { hashes: [], problem: { kind: 'missing_entry', index: next, message: `entry ${next} is missing (the log ends at ${size - 1})` } };
      return;
    }
    const hashes: Hash[] = [];
    for (const row of batch) {
      const checked = checkEntry(row, next + hashes.length);
      if (!(checked instanceof Uint8Array)) {
        yield { hashes, problem: checked.problem };
        return;
      }
      hashes.push(checked);
    }
    next += hashes.length;
    yield { hashes };
  }
}
