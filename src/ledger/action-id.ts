import { randomFillSync } from 'node:crypto';

/**
 * Ledger action ids: RFC 9562 UUIDv7 (48-bit Unix ms timestamp, version 7, variant 10, random
 * rest). Ids minted later sort later, so the ledger's action_id index grows at its right edge
 * instead of dirtying a random B-tree page per append (as v4 ids did).
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Formats a UUIDv7 from a millisecond timestamp, a 12-bit counter (rand_a) and 8 random bytes
 * (rand_b: the top two bits are replaced by the variant). Pure.
 */
export function formatUuidV7(unixMs: number, counter: number, random: Uint8Array, offset = 0): string {
  const hi = Math.floor(unixMs / 0x1000000); // top 24 of the 48 bits
  const lo = unixMs % 0x1000000;
  const h = (n: number) => HEX[n & 0xff]!;
  return (
    h(hi >>> 16) + h(hi >>> 8) + h(hi) + h(lo >>> 16) + '-' + h(lo >>> 8) + h(lo) + '-' +
    h(0x70 | ((counter >>> 8) & 0x0f)) + h(counter) + '-' +
    h(0x80 | (random[offset]! & 0x3f)) + h(random[offset + 1]!) + '-' +
    h(random[offset + 2]!) + h(random[offset + 3]!) + h(random[offset + 4]!) + h(random[offset + 5]!) + h(random[offset + 6]!) + h(random[offset + 7]!)
  );
}

const BYTES_PER_ID = 10; // 8 for rand_b, 2 to seed the counter
const pool = new Uint8Array(256 * BYTES_PER_ID);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

/**
 * A new UUIDv7. Within one process ids are strictly increasing: in the same millisecond (or if the
 * clock steps back) the 12-bit counter goes up, and when it runs out the timestamp moves on by 1 ms
 * (RFC 9562 §6.2, methods 1 and 3). The counter restarts at a random value below 2048 each new ms.
 */
export function newActionId(now: number = Date.now()): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const offset = poolAt;
  poolAt += BYTES_PER_ID;
  if (now > lastMs) {
    lastMs = now;
    counter = ((pool[offset + 8]! << 8) | pool[offset + 9]!) & 0x7ff;
  } else if (counter < 0xfff) {
    counter++;
  } else {
    lastMs++;
    counter = 0;
  }
  return formatUuidV7(lastMs, counter, pool, offset);
}
