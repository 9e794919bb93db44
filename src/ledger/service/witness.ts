import { GatehouseError, errorMessage } from '../../errors.ts';
import type { LedgerStore } from '../../store/ledger-port.ts';
import { openCheckpoint } from '../checkpoint.ts';
import { cosign } from '../cosignature.ts';
import { toHex, type Hash } from '../hash.ts';
import { formatVerifierKey, verifierOf, type SignerKey } from '../keys.ts';
import { addSignatures, formatSignatureLine, type NoteVerifier } from '../note.ts';
import { WitnessRefusal, checkWitnessUpdate } from '../witness.ts';

export interface WitnessResult {
  origin: string;
  size: number;
  root: string;
  /** Size of the checkpoint cosigned before this one (undefined on first contact). */
  previousSize?: number;
  /** The log's checkpoint with this witness's cosignature line added. */
  cosignedCheckpoint: string;
  cosignatureLine: string;
  witnessKey: string;
}

/**
 * Cosigns a log checkpoint after checking it against the last checkpoint this witness cosigned
 * for the same origin (state kept in the witness's own store). `getProof(from, to)` supplies the
 * consistency proof; it is only called when the size grew.
 */
export async function witnessCheckpoint(options: {
  state: LedgerStore;
  witnessKey: SignerKey;
  logVerifier: NoteVerifier;
  checkpoint: string;
  getProof: (from: number, to: number) => Promise<Hash[]>;
  now?: () => Date;
}): Promise<WitnessResult> {
  let cp;
  try {
    cp = openCheckpoint(options.checkpoint, [options.logVerifier]);
  } catch (error) {
    throw new GatehouseError('LEDGER_TAMPERED', `the log checkpoint does not verify with the log key: ${errorMessage(error)}`);
  }
  const previous = await options.state.getWitnessState(cp.origin);
  try {
    const proof = previous && previous.size > 0 && cp.size > previous.size ? await options.getProof(previous.size, cp.size) : undefined;
    checkWitnessUpdate(previous, cp, proof);
  } catch (error) {
    if (error instanceof WitnessRefusal) {
      throw new GatehouseError('LEDGER_TAMPERED', `refusing to cosign: ${error.message}`, {
        details: previous ? [{ where: `cosigned ${previous.size}`, message: `root ${toHex(previous.root)}` }] : [],
      });
    }
    throw error;
  }
  const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const sig = cosign(cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1), options.witnessKey, timestamp);
  const cosigned = addSignatures(cp.note, [sig]);
  if (!previous || previous.size !== cp.size) {
    await options.state.putWitnessState({ origin: cp.origin, size: cp.size, root: cp.root, note: cosigned, updatedAt: new Date(timestamp * 1000).toISOString() });
  }
  return {
    origin: cp.origin,
    size: cp.size,
    root: toHex(cp.root),
    ...(previous ? { previousSize: previous.size } : {}),
    cosignedCheckpoint: cosigned,
    cosignatureLine: formatSignatureLine(sig).trimEnd(),
    witnessKey: formatVerifierKey(verifierOf(options.witnessKey)),
  };
}
