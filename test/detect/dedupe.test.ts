// dedupe and secrets' overlap filter against the quadratic forms they replaced for long lists
// (test/detect/reference/dedupe-v1.ts): the same findings, the same objects, in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupe } from '../../src/detect/util.ts';
import { dropOverlapsWithSpecific } from '../../src/detect/secrets.ts';
import { detectPii, detectSecrets } from '../../src/detect/index.ts';
import type { Finding } from '../../src/detect/types.ts';
import { dedupe as dedupeBefore, dropOverlapsWithSpecific as dropBefore } from './reference/dedupe-v1.ts';
import { rng } from './differential-corpus.ts';

const TYPES = ['email', 'phone', 'aws_access_key', 'generic_high_entropy', 'password', 'bearer_token', 'jwt'];

/** Lists with few keys and a short span range, so containment, ties and duplicates are common. */
function randomFindings(r: () => number, n: number): Finding[] {
  const span = 1 + Math.floor(r() * 60);
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor(r() * span);
    out.push({
      detector: r() < 0.8 ? 'pii' : 'secrets',
      type: TYPES[Math.floor(r() * (r() < 0.5 ? 2 : TYPES.length))]!,
      path: r() < 0.85 ? '$' : '$.a',
      start,
      end: start + 1 + Math.floor(r() * 12),
      confidence: 1,
      evidence: String(i),
    });
  }
  return out;
}

test('dedupe keeps the same findings in the same order as the insertion-sort form, short and long lists', (t) => {
  const r = rng(2026);
  let lists = 0;
  let compared = 0;
  for (let i = 0; i < 20_000; i++) {
    const n = i % 10 === 0 ? 25 + Math.floor(r() * 400) : Math.floor(r() * 40);
    const list = randomFindings(r, n);
    const before = dedupeBefore([...list]);
    const after = dedupe([...list]);
    assert.equal(after.length, before.length, `list ${i} (${n} findings)`);
    for (let k = 0; k < before.length; k++) assert.equal(after[k], before[k], `list ${i}, finding ${k}`);
    lists++;
    compared += n;
  }
  t.diagnostic(`${lists} lists, ${compared} findings compared`);
});

test("secrets' overlap filter gives what the `some` form gives, on dedupe's output", (t) => {
  const r = rng(6962);
  let lists = 0;
  for (let i = 0; i < 20_000; i++) {
    const n = i % 10 === 0 ? 25 + Math.floor(r() * 300) : 2 + Math.floor(r() * 30);
    const sorted = dedupe(randomFindings(r, n));
    assert.deepEqual(dropOverlapsWithSpecific([...sorted]), dropBefore([...sorted]), `list ${i} (${sorted.length} findings)`);
    lists++;
  }
  t.diagnostic(`${lists} lists compared`);
});

test('a text dense with findings is deduplicated like the sum of its parts', () => {
  const line = 'mail jane.doe@example.org, card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE password=hunter2xyz; ';
  const one = { pii: detectPii(line).length, secrets: detectSecrets(line).length };
  assert.ok(one.pii > 0 && one.secrets > 0);
  const many = line.repeat(2000);
  assert.equal(detectPii(many).length, one.pii * 2000);
  assert.equal(detectSecrets(many).length, one.secrets * 2000);
});
