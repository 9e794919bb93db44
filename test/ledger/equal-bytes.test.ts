import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { equalBytes } from '../../src/ledger/hash.ts';

/** The byte loop equalBytes used before it called Buffer.compare. */
function loopEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same bytes as a Buffer, a plain Uint8Array, or a view into a larger buffer. */
function variants(bytes: Uint8Array): Uint8Array[] {
  const big = Buffer.alloc(bytes.length + 16, 0xaa);
  big.set(bytes, 7);
  return [Buffer.from(bytes), new Uint8Array(bytes), big.subarray(7, 7 + bytes.length), new Uint8Array(big.buffer, big.byteOffset + 7, bytes.length)];
}

test('equalBytes agrees with the byte loop on equal, one-bit-off, shorter and longer inputs of every array kind', () => {
  let compared = 0;
  for (let round = 0; round < 300; round++) {
    const len = round % 5 === 0 ? round % 3 : 32 + (round % 40) - 20; // includes empty and 1-2 byte inputs
    const a = randomBytes(len);
    const others: Uint8Array[] = [Buffer.from(a), randomBytes(len), Buffer.concat([a, Buffer.from([0])]), a.subarray(0, Math.max(0, len - 1))];
    if (len > 0) {
      const flipped = Buffer.from(a);
      flipped[round % len] = flipped[round % len]! ^ (1 << (round % 8));
      others.push(flipped);
    }
    for (const x of variants(a)) {
      for (const other of others) {
        for (const y of variants(other)) {
          assert.equal(equalBytes(x, y), loopEqual(x, y));
          assert.equal(equalBytes(y, x), loopEqual(y, x));
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 10_000);
});
