import type { LedgerCheckpointRow, LedgerStore } from '../../store/ledger-port.ts';
import { errorMessage } from '../../errors.ts';
import { openCheckpoint, type SignedCheckpoint } from '../checkpoint.ts';
import { equalBytes, toHex } from '../hash.ts';
import type { NoteVerifier } from '../note.ts';
import { verifyConsistency } from '../proof.ts';
import { consistencyProofFromStore } from './proofs.ts';
import { checkedEntryPages, type CheckedPage } from './entry-check.ts';
import { WorkerEntryPages } from './parallel-entry-check.ts';
import { TreeCheck } from './tree-check.ts';

export type ProblemKind =
  | 'checkpoint_signature'
  | 'checkpoint_root'
  | 'checkpoint_consistency'
  | 'truncated'
  | 'missing_entry'
  | 'leaf_hash'
  | 'leaf_format'
  | 'entry_column'
  | 'node'
  | 'extra_nodes';

export interface Problem {
  kind: ProblemKind;
  /** First entry index affected, when one can be named. */
  index?: number;
  /** Checkpoint size, for checkpoint problems. */
  checkpointSize?: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  origin: string;
  verifierKey: string;
  /** Entries checked. */
  size: number;
  checkpoints: number;
  latestCheckpoint?: { size: number; root: string };
  /** Entries after the latest checkpoint (checked, but not yet under a signature). */
  uncheckpointed: number;
  /** Lowest entry index named by a problem. */
  firstBadIndex?: number;
  problems: Problem[];
  durationMs: number;
  /** Checkpoints held outside the log (`audit verify --checkpoint`) that were checked against it. */
  pinnedCheckpoints?: number;
}

export interface VerifyOptions {
  origin: string;
  vkey: string;
  verifier: NoteVerifier;
  onProgress?: (done: number, total: number) => void;
  pageSize?: number;
  /**
   * Check entries on a second thread too when the store names its file and the log has at least
   * this many entries (default 100,000; Infinity: never). The report is the same either way.
   */
  parallelMinEntries?: number;
}

const PARALLEL_MIN_ENTRIES = 100_000;
/**
 * Rows per read. Smaller pages keep less alive between collections (a page of entries is a few
 * MB of strings and buffers): 1024 took ~8% less CPU than 4096 over 300k entries, alternated A/B.
 */
const AUDIT_PAGE_ROWS = 1024;
/**
 * Share of the entries this thread checks itself before taking the worker's hashes; it also
 * rebuilds the tree and compares every stored node, so the worker takes the larger part. At a
 * million entries 0.4 gave both threads the same CPU time (~4.5 s each; 0.25 left this one idle).
 */
const THIS_THREAD_SHARE = 0.4;

/** The first index the worker thread checks when an audit of `size` entries in pages of `page` runs on two threads. */
export function parallelSplit(size: number, page: number): number {
  return Math.floor((size * THIS_THREAD_SHARE) / page) * page;
}

/**
 * The leaf hashes of entries 0..size-1, checked (see checkEntry), in pages of `page`: all on this
 * thread, or the first part here and the rest on a worker thread reading the same file.
 */
async function* entryPages(store: LedgerStore, size: number, page: number, parallelMinEntries: number): AsyncGenerator<CheckedPage> {
  const mid = parallelSplit(size, page);
  if (!store.filePath || size < parallelMinEntries || mid === 0 || mid >= size) {
    yield* checkedEntryPages(store, 0, size, size, page);
    return;
  }
  const rest = new WorkerEntryPages(store, store.filePath, mid, size, page);
  try {
    for await (const p of checkedEntryPages(store, 0, mid, size, page)) {
      yield p;
      if (p.problem) return;
    }
    yield* rest.pages();
  } finally {
    await rest.stop();
  }
}

/**
 * Full audit: every checkpoint signature, every leaf rehashed and parsed, every stored interior
 * node recomputed, every checkpoint root recomputed, and consecutive checkpoints proven consistent
 * from the stored nodes. Stops scanning entries at the first bad one.
 */
export async function auditLedger(store: LedgerStore, options: VerifyOptions): Promise<VerifyReport> {
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

  const page = options.pageSize ?? AUDIT_PAGE_ROWS;
  const tree = new TreeCheck(store, checkpoints.map((c) => c.cp).filter((cp) => cp.size > 0), page);
  let entryProblem: Problem | undefined;
  const pages = entryPages(store, size, page, options.parallelMinEntries ?? PARALLEL_MIN_ENTRIES);
  for await (const p of pages) {
    entryProblem = (await tree.add(p.hashes, p.count)) ?? p.problem;
    if (entryProblem) break;
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
