import { errorMessage } from '../../errors.ts';
import { openCheckpoint } from '../checkpoint.ts';
import { fromHex, toHex } from '../hash.ts';
import type { NoteVerifier } from '../note.ts';
import { verifyConsistency } from '../proof.ts';
import type { Problem } from './audit.ts';

/** What a pinned-checkpoint check needs of a ledger (Ledger satisfies it). */
export interface PinnedCheckpointLedger {
  readonly origin: string;
  proveConsistency(from: number, to: number): Promise<{ root1: string; root2: string; proof: string[] }>;
}

export interface PinnedCheckpoint {
  /** Where the note came from (a file name), for messages. */
  source: string;
  note: string;
}

/**
 * Checks the stored log against a checkpoint held outside it (saved by `audit checkpoint`, a
 * witness's copy, an exported bundle's): the note must be signed by this log, and the entries the
 * audit found must still hash to the root it signed. This is what catches a truncation that also
 * deleted the later checkpoints, which an audit of the database alone cannot see.
 *
 * `auditedSize` is the number of entries the full audit checked (not the size the stored tree
 * nodes claim, which a truncation may have left behind).
 */
export async function checkPinnedCheckpoint(
  ledger: PinnedCheckpointLedger,
  verifier: NoteVerifier,
  pinned: PinnedCheckpoint,
  auditedSize: number,
): Promise<Problem | undefined> {
  let cp;
  try {
    cp = openCheckpoint(pinned.note, [verifier], ledger.origin);
  } catch (error) {
    return { kind: 'checkpoint_signature', message: `pinned checkpoint ${pinned.source}: ${errorMessage(error)}` };
  }
  const signed = `pinned checkpoint ${pinned.source} (size ${cp.size})`;
  if (cp.size > auditedSize) {
    return {
      kind: 'truncated',
      index: auditedSize,
      checkpointSize: cp.size,
      message: `${signed} was signed by this log, but the log now holds ${auditedSize} entries: entries from index ${auditedSize} were removed`,
    };
  }
  if (cp.size === 0) return undefined;
  try {
    const { root1, root2, proof } = await ledger.proveConsistency(cp.size, auditedSize);
    if (root1 !== toHex(cp.root)) {
      return { kind: 'checkpoint_root', checkpointSize: cp.size, message: `${signed}: the stored entries 0..${cp.size - 1} no longer hash to the root it signed` };
    }
    verifyConsistency(cp.size, auditedSize, proof.map(fromHex), cp.root, fromHex(root2));
  } catch (error) {
    return { kind: 'checkpoint_consistency', checkpointSize: cp.size, message: `${signed} is not consistent with the stored log: ${errorMessage(error)}` };
  }
  return undefined;
}
