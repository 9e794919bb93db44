import type { LedgerEntryRow, LedgerStore } from '../../store/ledger-port.ts';
import { errorMessage } from '../../errors.ts';
import { decodeLeaf } from '../entry.ts';
import { equalBytes, leafHash, type Hash } from '../hash.ts';
import type { Problem } from './audit.ts';

/** One page of the audit's entry scan: the leaf hashes of the entries that passed, in order. */
export interface CheckedPage {
  hashes: Hash[];
  /** The first bad entry, right after the last hash; the scan ends with it. */
  problem?: Problem;
}

/**
 * The per-entry checks of the audit: the stored hash binds the bytes, which parse and match the
 * indexed columns. Returns the leaf hash, or the problem.
 */
export function checkEntry(row: LedgerEntryRow, i: number): Hash | { problem: Problem } {
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
export async function* checkedEntryPages(store: LedgerStore, from: number, to: number, size: number, page: number): AsyncGenerator<CheckedPage> {
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
