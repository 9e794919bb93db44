import { hash as oneShotHash } from 'node:crypto';
import type { LedgerEntryRow, LedgerEntryTextRow, LedgerStore } from '../../store/ledger-port.ts';
import { errorMessage } from '../../errors.ts';
import { decodeLeaf, decodeLeafText, type StoredEntry } from '../entry.ts';
import { HASH_SIZE, equalBytes, leafHash, type Hash } from '../hash.ts';
import type { Problem } from './audit.ts';

/** One page of the audit's entry scan: the leaf hashes of the entries that passed, in order. */
export interface CheckedPage {
  /** `count` leaf hashes, packed 32 bytes each (the buffer may be longer). */
  hashes: Uint8Array;
  count: number;
  /** The first bad entry, right after the last hash; the scan ends with it. */
  problem?: Problem;
}

function missingEntry(i: number, storedIndex: number): Problem {
  return { kind: 'missing_entry', index: i, message: `entry ${i} is missing (next stored index is ${storedIndex})` };
}

function editedLeaf(i: number): Problem {
  return { kind: 'leaf_hash', index: i, message: `entry ${i}: stored bytes do not hash to the recorded leaf hash (content was edited)` };
}

/** The leaf parses and matches the indexed columns (decode reads the leaf). */
function leafProblem(
  i: number,
  decode: () => StoredEntry,
  actionId: string,
  time: string,
  tenant: string,
  agent: string,
  session: string | null,
  kind: string,
): Problem | undefined {
  try {
    const e = decode();
    if (e.actionId !== actionId || e.time !== time || e.agent !== agent || e.tenant !== tenant || (e.session ?? null) !== session || e.kind !== kind) {
      throw new Error('indexed columns (action id, time, tenant, agent, session, kind) differ from the leaf');
    }
    return undefined;
  } catch (error) {
    return { kind: error instanceof Error && error.name === 'LeafFormatError' ? 'leaf_format' : 'entry_column', index: i, message: `entry ${i}: ${errorMessage(error)}` };
  }
}

/**
 * The per-entry checks of the audit: the stored hash binds the bytes, which parse and match the
 * indexed columns. Returns the leaf hash, or the problem.
 */
export function checkEntry(row: LedgerEntryRow, i: number): Hash | { problem: Problem } {
  if (row.index !== i) return { problem: missingEntry(i, row.index) };
  const hash = leafHash(row.leaf);
  if (!equalBytes(hash, row.leafHash)) return { problem: editedLeaf(i) };
  // canonical form is the writer's job (checked by bundle verification and reads); here the
  // leaf hash already binds the bytes, so parsing for index and columns is enough
  const problem = leafProblem(i, () => decodeLeaf(row.leaf, i, { checkCanonical: false }), row.actionId, row.time, row.tenant, row.agent, row.session, row.kind);
  return problem ? { problem } : hash;
}

const NEEDS_BYTES: unique symbol = Symbol('needs bytes');

/**
 * checkEntry on a text row, writing the leaf hash at out[at]. When the text may not be the exact
 * leaf bytes (not stored as bytes, or not valid UTF-8: the decoder wrote U+FFFD), it leaves the
 * entry to checkEntry on the bytes (NEEDS_BYTES). Otherwise UTF-8 gives the bytes back, so the
 * hash of 0x00 + text is the leaf hash, and the text is what decodeLeaf would parse.
 */
function checkEntryText(row: LedgerEntryTextRow, i: number, out: Buffer, at: number): Problem | undefined | typeof NEEDS_BYTES {
  const index = row[0];
  if (index !== i) return missingEntry(i, index);
  const text = row[7];
  const storedHash = row[8];
  if (text === null || storedHash === null || text.includes('\uFFFD')) return NEEDS_BYTES;
  const hash = oneShotHash('sha256', '\0' + text, 'hex');
  if (hash !== storedHash) return editedLeaf(i);
  const problem = leafProblem(i, () => decodeLeafText(text, i, { checkCanonical: false }), row[1], row[2], row[3], row[4], row[5], row[6]);
  if (problem) return problem;
  out.write(hash, at, 'hex');
  return undefined;
}

async function checkEntryBytes(store: LedgerStore, i: number, out: Buffer, at: number): Promise<Problem | undefined> {
  const checked = checkEntry((await store.getEntry(i))!, i);
  if (!(checked instanceof Uint8Array)) return checked.problem;
  out.set(checked, at);
  return undefined;
}

/**
 * Reads and checks the entries from index `from` while the next one is below `to`, a page of
 * `page` rows at a time, and stops at the first bad one. `size` is the log size the audit reads.
 */
export async function* checkedEntryPages(store: LedgerStore, from: number, to: number, size: number, page: number): AsyncGenerator<CheckedPage> {
  let next = from;
  while (next < to) {
    const batch = await store.scanEntryTexts(next, page);
    if (batch.length === 0) {
      yield { hashes: new Uint8Array(0), count: 0, problem: { kind: 'missing_entry', index: next, message: `entry ${next} is missing (the log ends at ${size - 1})` } };
      return;
    }
    // Buffer.alloc, not allocUnsafe: never a slice of the shared pool, so the audit worker can transfer it
    const hashes = Buffer.alloc(batch.length * HASH_SIZE);
    let count = 0;
    let problem: Problem | undefined;
    for (const row of batch) {
      const i = next + count;
      const checked = checkEntryText(row, i, hashes, count * HASH_SIZE);
      problem = checked === NEEDS_BYTES ? await checkEntryBytes(store, i, hashes, count * HASH_SIZE) : checked;
      if (problem) break;
      count++;
    }
    next += count;
    if (problem) {
      yield { hashes, count, problem };
      return;
    }
    yield { hashes, count };
  }
}
