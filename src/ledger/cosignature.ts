/**
 * C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature): a witness signs
 *   "cosignature/v1\ntime <unix seconds>\n" || checkpoint text
 * and publishes the note signature key ID[4] || u64be timestamp || Ed25519 signature[64],
 * with key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4].
 */
import { ed25519Sign, ed25519Verify } from './ed25519.ts';
import type { SignerKey, VerifierKey } from './keys.ts';
import { NoteError, SIG_TYPE_COSIGNATURE_V1, parseNote, type NoteSignature } from './note.ts';

export function cosignedMessage(checkpointText: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new NoteError('invalid cosignature timestamp');
  return `cosignature/v1\ntime ${timestamp}\n${checkpointText}`;
}

export interface Cosignature {
  name: string;
  keyId: string;
  timestamp: number;
  signature: Uint8Array;
}

/** Decodes the bytes after the key ID of a cosignature line (u64 timestamp || 64-byte signature). */
export function decodeCosignature(sig: NoteSignature): Cosignature {
  if (sig.signature.byteLength !== 8 + 64) throw new NoteError('not a cosignature/v1: wrong length');
  const view = Buffer.from(sig.signature.buffer, sig.signature.byteOffset, 8);
  const ts = view.readBigUInt64BE(0);
  if (ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new NoteError('cosignature timestamp out of range');
  return { name: sig.name, keyId: sig.keyId, timestamp: Number(ts), signature: sig.signature.subarray(8) };
}

export function cosign(checkpointText: string, key: SignerKey, timestamp: number): NoteSignature {
  if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new NoteError('not a cosignature key (type 0x04)');
  const sig = ed25519Sign(key.privateKey, Buffer.from(cosignedMessage(checkpointText, timestamp), 'utf8'));
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  return { name: key.name, keyId: key.keyId, signature: new Uint8Array(Buffer.concat([ts, sig])) };
}

/** Verifies the cosignature of `key` on a checkpoint note; returns its timestamp. */
export function verifyCosignature(note: string, key: VerifierKey): number {
  if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new NoteError('not a cosignature key (type 0x04)');
  const parsed = parseNote(note);
  const line = parsed.signatures.find((s) => s.name === key.name && s.keyId === key.keyId);
  if (!line) throw new NoteError(`no cosignature by ${key.name}+${key.keyId}`);
  const c = decodeCosignature(line);
  if (!ed25519Verify(key.key, Buffer.from(cosignedMessage(parsed.text, c.timestamp), 'utf8'), c.signature)) {
    throw new NoteError(`invalid cosignature by ${key.name}+${key.keyId}`);
  }
  return c.timestamp;
}
