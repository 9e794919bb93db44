/**
 * C2SP signed-note (https://c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank
 * line, then one or more lines "— <key name> base64(key ID[4] || signature)". Key IDs are
 * SHA-256(name || 0x0A || type || public key)[:4]; type 0x01 is Ed25519, 0x04 an Ed25519
 * cosignature (c2sp.org/tlog-cosignature).
 */
import { fromBase64, sha256, toBase64, toHex } from './hash.ts';

export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

const EM_DASH_PREFIX = '\u2014 ';
// in /u mode a surrogate class only matches unpaired surrogates
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export class NoteError extends Error {
  override name = 'NoteError';
}

export interface NoteSignature {
  name: string;
  /** 4-byte key ID as 8 lowercase hex digits. */
  keyId: string;
  /** The signature bytes after the key ID. */
  signature: Uint8Array;
}

export interface Note {
  /** The signed text, ending in "\n". */
  text: string;
  signatures: NoteSignature[];
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f\u007f]/u.test(name);
}

export function computeKeyId(name: string, type: number, publicKey: Uint8Array): string {
  const data = Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), publicKey]);
  return toHex(sha256(data).subarray(0, 4));
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('note text must end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(text)) throw new NoteError('note text contains control characters');
  if (LONE_SURROGATE.test(text)) throw new NoteError('note text is not valid UTF-8');
}

/** Parses a signed note without verifying it. */
export function parseNote(message: string): Note {
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no blank line before the signatures');
  const text = message.slice(0, split + 1);
  checkText(text);
  const block = message.slice(split + 2);
  if (!block.endsWith('\n') || block.length < 2) throw new NoteError('malformed note: no signature lines');
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    if (!line.startsWith(EM_DASH_PREFIX)) throw new NoteError('malformed signature line');
    const rest = line.slice(EM_DASH_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = rest.slice(0, space);
    if (space <= 0 || !isValidKeyName(name)) throw new NoteError('malformed signature line: bad key name');
    let raw: Uint8Array;
    try {
      raw = fromBase64(rest.slice(space + 1));
    } catch {
      throw new NoteError('malformed signature line: bad base64');
    }
    if (raw.byteLength < 5) throw new NoteError('malformed signature line: too short');
    signatures.push({ name, keyId: toHex(raw.subarray(0, 4)), signature: raw.subarray(4) });
  }
  return { text, signatures };
}

export function formatSignatureLine(sig: NoteSignature): string {
  const raw = Buffer.concat([Buffer.from(sig.keyId, 'hex'), sig.signature]);
  return `${EM_DASH_PREFIX}${sig.name} ${toBase64(raw)}\n`;
}

export function formatNote(note: Note): string {
  checkText(note.text);
  if (note.signatures.length === 0) throw new NoteError('a note needs at least one signature');
  return note.text + '\n' + note.signatures.map(formatSignatureLine).join('');
}

/** Signs and verifies note text under one key name + key ID. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: string;
  sign(text: string): NoteSignature;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: string;
  verify(text: string, signature: Uint8Array): boolean;
}

export interface OpenedNote extends Note {
  /** Signatures made by one of the given verifiers and valid. */
  verified: NoteSignature[];
}

/**
 * Verifies a note as Go's note.Open does: signatures from unknown keys are ignored, a signature
 * from a known key that fails is an error, and at least one known key must have signed.
 */
export function openNote(message: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseNote(message);
  const verified: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((x) => x.name === sig.name && x.keyId === sig.keyId);
    if (!v) continue;
    if (!v.verify(note.text, sig.signature)) throw new NoteError(`invalid signature by ${sig.name}+${sig.keyId}`);
    verified.push(sig);
  }
  if (verified.length === 0) throw new NoteError('note has no signature from a known key');
  return { ...note, verified };
}

export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  return formatNote({ text, signatures: signers.map((s) => s.sign(text)) });
}

/** Adds signature lines to an already signed note (e.g. a witness cosignature). */
export function addSignatures(message: string, extra: readonly NoteSignature[]): string {
  const note = parseNote(message);
  const keep = note.signatures.filter((s) => !extra.some((e) => e.name === s.name && e.keyId === s.keyId));
  return formatNote({ text: note.text, signatures: [...keep, ...extra] });
}
