/**
 * Integer helpers for tree sizes and indexes. Sizes go beyond 2^32 (the real CT vectors have
 * ~10^9 leaves and the format allows up to 2^53), so JavaScript's 32-bit bitwise operators are
 * never used on them: BigInt where bits are needed, plain arithmetic elsewhere.
 */

export function assertIndex(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}

/** Largest power of two strictly smaller than n (n >= 2). */
export function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function bitLength(x: number): number {
  return BigInt(x).toString(2).length - (x === 0 ? 1 : 0);
}

export function popCount(x: number): number {
  let n = 0;
  for (const c of BigInt(x).toString(2)) if (c === '1') n++;
  return n;
}

export function trailingZeros(x: number): number {
  if (x === 0) return 64;
  let n = 0;
  let v = BigInt(x);
  while ((v & 1n) === 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

export function xor(a: number, b: number): number {
  return Number(BigInt(a) ^ BigInt(b));
}

export function shiftRight(x: number, bits: number): number {
  return Math.floor(x / 2 ** bits);
}

/** Bit i of x (0 = least significant). */
export function bit(x: number, i: number): number {
  return Math.floor(x / 2 ** i) % 2;
}

/** Coordinates of a perfect subtree: `level` (0 = leaf) and `index` among the nodes of that level. */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * Splits [begin, end) into maximal aligned perfect subtrees, left to right. For the ranges that
 * occur in RFC 9162 trees and proofs the Merkle root of the range is the right fold of these.
 */
export function decomposeRange(begin: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  while (begin < end) {
    let size = 1;
    let level = 0;
    while (begin % (size * 2) === 0 && begin + size * 2 <= end) {
      size *= 2;
      level++;
    }
    out.push({ level, index: begin / size });
    begin += size;
  }
  return out;
}

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}
