/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
 *   <origin>\n<decimal tree size>\n<base64 root hash>\n[extension lines]
 * signed as a signed note by the log key.
 */
import { HASH_SIZE, fromBase64, toBase64, type Hash } from './hash.ts';
import { NoteError, openNote, parseNote, signNote, type NoteSigner, type NoteVerifier } from './note.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin.length === 0 || cp.origin.includes('\n')) throw new NoteError('invalid checkpoint origin');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new NoteError('invalid checkpoint size');
  if (cp.root.byteLength !== HASH_SIZE) throw new NoteError('checkpoint root must be 32 bytes');
  const ext = cp.extensions.map((e) => {
    if (e.length === 0 || e.includes('\n')) throw new NoteError('invalid checkpoint extension line');
    return e + '\n';
  });
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.root)}\n${ext.join('')}`;
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('checkpoint needs origin, size and root lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteError('checkpoint origin is empty');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeLine)) throw new NoteError('checkpoint size is not a decimal without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new NoteError('checkpoint size is too large');
  let root: Hash;
  try {
    root = fromBase64(rootLine);
  } catch {
    throw new NoteError('checkpoint root is not base64');
  }
  if (root.byteLength !== HASH_SIZE) throw new NoteError('checkpoint root is not 32 bytes');
  if (extensions.some((e) => e.length === 0)) throw new NoteError('checkpoint has an empty extension line');
  return { origin, size, root, extensions };
}

export interface SignedCheckpoint extends Checkpoint {
  /** The full signed note (text, blank line, signature lines). */
  note: string;
}

export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): SignedCheckpoint {
  return { ...cp, note: signNote(formatCheckpoint(cp), [signer]) };
}

/** Parses and verifies a signed checkpoint; optionally pins its origin. */
export function openCheckpoint(note: string, verifiers: readonly NoteVerifier[], origin?: string): SignedCheckpoint {
  const opened = openNote(note, verifiers);
  const cp = parseCheckpoint(opened.text);
  if (origin !== undefined && cp.origin !== origin) {
    throw new NoteError(`checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(origin)}`);
  }
  return { ...cp, note };
}

/** Parses a signed checkpoint without checking any signature. */
export function readCheckpointNote(note: string): SignedCheckpoint {
  return { ...parseCheckpoint(parseNote(note).text), note };
}
