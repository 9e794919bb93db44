import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUuidV7, newActionId } from '../../src/ledger/action-id.ts';
import { normalizeEntry } from '../../src/ledger/entry.ts';
import { afterCallBody } from '../../src/server/schemas.ts';
import { sampleEntry } from './helpers.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit timestamp, 12-bit rand_a and the variant bits read back from the text form. */
function fields(id: string): { ms: number; randA: number; variant: number; version: number } {
  const hex = id.replaceAll('-', '');
  return {
    ms: Number.parseInt(hex.slice(0, 12), 16),
    version: Number.parseInt(hex[12]!, 16),
    randA: Number.parseInt(hex.slice(13, 16), 16),
    variant: Number.parseInt(hex[16]!, 16) >> 2,
  };
}

test('formatUuidV7 lays out timestamp, version 7, counter, variant 10 and random bytes (RFC 9562 §5.7)', () => {
  // RFC 9562 appendix A.6 test vector: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F at 0x017F22E279B0 ms
  const random = Uint8Array.from([0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]);
  assert.equal(formatUuidV7(0x017f22e279b0, 0xcc3, random), '017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
  const ones = new Uint8Array(8).fill(0xff);
  assert.equal(formatUuidV7(2 ** 48 - 1, 0xfff, ones), 'ffffffff-ffff-7fff-bfff-ffffffffffff');
  assert.equal(formatUuidV7(0, 0, new Uint8Array(8)), '00000000-0000-7000-8000-000000000000');
  assert.equal(formatUuidV7(1, 1, Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0]), 8), '00000000-0001-7001-9234-000000000000');
});

test('newActionId: version/variant bits, current timestamp, strictly increasing and unique over 200,000 ids', () => {
  const before = Date.now();
  const ids = Array.from({ length: 200_000 }, () => newActionId());
  const after = Date.now();
  const seen = new Set<string>();
  let prev = '';
  for (const id of ids) {
    assert.match(id, V7);
    const f = fields(id);
    assert.equal(f.version, 7);
    assert.equal(f.variant, 0b10);
    // the counter may carry the timestamp a few ms ahead of the clock, never behind it
    assert.ok(f.ms >= before && f.ms <= after + 200, `timestamp ${f.ms} outside [${before}, ${after}]`);
    assert.ok(id > prev, `${id} does not sort after ${prev}`);
    prev = id;
    seen.add(id);
  }
  assert.equal(seen.size, ids.length);
});

test('newActionId stays ordered when the clock stands still or steps back, and carries the counter into the timestamp', () => {
  const t = Date.now() + 10_000; // ahead of every earlier id of this process
  const ids = [newActionId(t)];
  for (let i = 0; i < 5000; i++) ids.push(newActionId(t)); // > 4096: the counter must run out
  for (let i = 0; i < 100; i++) ids.push(newActionId(t - 5000)); // clock stepped back
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `id ${i} out of order`);
  const last = fields(ids.at(-1)!);
  assert.ok(last.ms > t && last.ms <= t + 3, 'the timestamp moved on by the counter overflow only');
  assert.equal(fields(ids[0]!).ms, t);
  assert.ok(fields(ids[0]!).randA < 2048, 'a new millisecond starts the counter below 2048');
  const later = newActionId(t + 1000);
  assert.equal(fields(later).ms, t + 1000, 'a later clock reading is used as is');
});

test('generated ids are accepted wherever an action id is validated', () => {
  const id = newActionId();
  assert.equal(normalizeEntry({ ...sampleEntry(1), actionId: id }, 0, { actionId: id, time: new Date().toISOString() }).actionId, id);
  assert.equal(afterCallBody.parse({ actionId: id, result: null }).actionId, id, 'the after-call route (zod uuid) accepts v7');
});
