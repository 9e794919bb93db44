/**
 * Note keys in the text encodings of golang.org/x/mod/sumdb/note and C2SP signed-note:
 *   verifier key: <name>+<hex key ID>+base64(type || public key)
 *   signer key:   PRIVATE+KEY+<name>+<hex key ID>+base64(type || 32-byte seed)
 * Type 0x01 keys sign notes (checkpoints); type 0x04 keys make tlog-cosignature/v1 cosignatures.
 */
import type { KeyObject } from 'node:crypto';
import { fromBase64, toBase64 } from './hash.ts';
import { ed25519FromSeed, ed25519Generate, ed25519PublicKeyObject, ed25519Sign, ed25519Verify } from './ed25519.ts';
import {
  NoteError,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  computeKeyId,
  isValidKeyName,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './note.ts';

export type KeyType = typeof SIG_TYPE_ED25519 | typeof SIG_TYPE_COSIGNATURE_V1;

export interface SignerKey {
  name: string;
  type: KeyType;
  keyId: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

export interface VerifierKey {
  name: string;
  type: KeyType;
  keyId: string;
  publicKey: Uint8Array;
  key: KeyObject;
}

function checkType(type: number): KeyType {
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) throw new NoteError(`unsupported key type 0x${type.toString(16)}`);
  return type;
}

export function signerKeyFromSeed(name: string, seed: Uint8Array, type: KeyType = SIG_TYPE_ED25519): SignerKey {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  const kp = ed25519FromSeed(seed);
  return { name, type, keyId: computeKeyId(name, type, kp.publicKey), seed: kp.seed, publicKey: kp.publicKey, privateKey: kp.privateKey };
}

export function generateSignerKey(name: string, type: KeyType = SIG_TYPE_ED25519): SignerKey {
  return signerKeyFromSeed(name, ed25519Generate().seed, type);
}

/** Splits on the first parts-1 '+' signs: names cannot contain '+', base64 key data can. */
function splitKey(text: string, parts: number): string[] {
  const fields: string[] = [];
  let rest = text.trim();
  for (let i = 0; i < parts - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) throw new NoteError('malformed key');
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  return fields;
}

export function parseSignerKey(text: string): SignerKey {
  const [p, k, name, id, data] = splitKey(text, 5) as [string, string, string, string, string];
  if (p !== 'PRIVATE' || k !== 'KEY') throw new NoteError('malformed signer key: missing PRIVATE+KEY prefix');
  const raw = decodeKeyData(data);
  const key = signerKeyFromSeed(name, raw.subarray(1), checkType(raw[0]!));
  if (key.keyId !== id.toLowerCase()) throw new NoteError('signer key ID does not match its name and key');
  return key;
}

export function formatSignerKey(key: SignerKey): string {
  return `PRIVATE+KEY+${key.name}+${key.keyId}+${toBase64(Buffer.concat([Buffer.from([key.type]), key.seed]))}`;
}

function decodeKeyData(data: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = fromBase64(data);
  } catch {
    throw new NoteError('malformed key: bad base64');
  }
  if (raw.byteLength !== 33) throw new NoteError('malformed key: wrong length');
  return raw;
}

export function parseVerifierKey(text: string): VerifierKey {
  const [name, id, data] = splitKey(text, 3) as [string, string, string];
  if (!isValidKeyName(name)) throw new NoteError('malformed verifier key: bad name');
  const raw = decodeKeyData(data);
  const type = checkType(raw[0]!);
  const publicKey = raw.subarray(1);
  const keyId = computeKeyId(name, type, publicKey);
  if (keyId !== id.toLowerCase()) throw new NoteError('verifier key ID does not match its name and key');
  return { name, type, keyId, publicKey, key: ed25519PublicKeyObject(publicKey) };
}

export function formatVerifierKey(key: { name: string; type: KeyType; keyId: string; publicKey: Uint8Array }): string {
  return `${key.name}+${key.keyId}+${toBase64(Buffer.concat([Buffer.from([key.type]), key.publicKey]))}`;
}

export function verifierOf(key: SignerKey): VerifierKey {
  return { name: key.name, type: key.type, keyId: key.keyId, publicKey: key.publicKey, key: ed25519PublicKeyObject(key.publicKey) };
}

/** A plain Ed25519 (type 0x01) note signer. */
export function noteSigner(key: SignerKey): NoteSigner {
  if (key.type !== SIG_TYPE_ED25519) throw new NoteError('not an Ed25519 note key (type 0x01)');
  return {
    name: key.name,
    keyId: key.keyId,
    sign(text: string): NoteSignature {
      return { name: key.name, keyId: key.keyId, signature: ed25519Sign(key.privateKey, Buffer.from(text, 'utf8')) };
    },
  };
}

export function noteVerifier(key: VerifierKey): NoteVerifier {
  if (key.type !== SIG_TYPE_ED25519) throw new NoteError('not an Ed25519 note key (type 0x01)');
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, signature) => ed25519Verify(key.key, Buffer.from(text, 'utf8'), signature),
  };
}
