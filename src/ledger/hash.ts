import { createHash, hash as oneShotHash } from 'node:crypto';

/** RFC 6962 / RFC 9162 hashing with SHA-256. Hashes are raw 32-byte Uint8Arrays. */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;


/** SHA-256 of the empty string: the root of the empty tree. */
export function emptyRoot(): Hash {
  return createHash('sha256').digest();
}

/** SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Hash {
  const input = Buffer.allocUnsafe(leaf.length + 1);
  input[0] = 0x00;
  input.set(leaf, 1);
  return oneShotHash('sha256', input, 'buffer');
}

/** SHA-256(0x01 || left || right). Children need not be 32 bytes (the hasher vectors use shorter ones). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  // one-shot hashing of one buffer is about a third cheaper than streaming three updates
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return oneShotHash('sha256', input, 'buffer');
}

export function sha256(data: Uint8Array | string): Hash {
  return createHash('sha256').update(data).digest();
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX = /^(?:[0-9a-f]{2})*$/i;

/** Strict hex decoding (Buffer.from silently stops at the first bad character). */
export function fromHex(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new TypeError('invalid hex string');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 with padding (Buffer.from ignores garbage, which a verifier must not). */
export function fromBase64(text: string): Uint8Array {
  if (!B64.test(text)) throw new TypeError('invalid base64 string');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  // native: a JS byte loop over a mix of Buffers, Uint8Arrays and subarrays is megamorphic, ~3x slower
  return Buffer.compare(a, b) === 0;
}
