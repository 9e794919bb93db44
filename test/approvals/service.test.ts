import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindingDigest } from '../../src/approvals/binding.ts';
import type { TransitionEvent } from '../../src/approvals/service.ts';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { manualClock, memoryService, mergeCall, mergeRequest, serviceOn } from './helpers.ts';

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

test('request creates a pending approval bound to the exact call', async () => {
  const clock = manualClock();
  const { service } = memoryService({ now: clock.now });
  const a = await service.request(mergeRequest);
  assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(a.status, 'pending');
  assert.equal(a.createdAt, new Date(clock.now()).toISOString());
  assert.equal(Date.parse(a.expiresAt) - Date.parse(a.createdAt), 30 * 60_000);
  assert.equal(a.bindingDigest, bindingDigest({ ...mergeCall, expiresAt: a.expiresAt }));
  assert.equal(a.session, 'sess-9');
  assert.deepEqual(await service.get(a.id), a);
});

test('request rejects incomplete or nonsensical input', async () => {
  const { service } = memoryService();
  await assert.rejects(service.request({ ...mergeRequest, tool: '' }), code('INPUT_INVALID'));
  await assert.rejects(service.request({ ...mergeRequest, timeoutMs: 0 }), code('INPUT_INVALID'));
  await assert.rejects(service.request({ ...mergeRequest, timeoutMs: 1.5 }), code('INPUT_INVALID'));
  await assert.rejects(service.request({ ...mergeRequest, approvers: [] }), code('INPUT_INVALID'));
  assert.deepEqual(await service.list(), []);
});

test('a request is decided once: a second decision of any kind is a CONFLICT', async () => {
  const { service } = memoryService();
  const a = await service.request(mergeRequest);
  const approved = await service.approve(a.id, { by: 'alice', reason: 'looks fine' });
  assert.equal(approved.status, 'approved');
  assert.equal(approved.decidedBy, 'alice');
  await assert.rejects(service.approve(a.id, { by: 'alice' }), code('CONFLICT'));
  await assert.rejects(service.deny(a.id, { by: 'bob', reason: 'no' }), code('CONFLICT'));
  await assert.rejects(service.cancel(a.id, { by: 'bot' }), code('CONFLICT'));
  const b = await service.request(mergeRequest);
  await service.deny(b.id, { by: 'bob', reason: 'not on a Friday' });
  await assert.rejects(service.approve(b.id, { by: 'alice' }), code('CONFLICT'));
  assert.equal((await service.get(b.id)).reason, 'not on a Friday');
});

test('deny needs a reason; unknown ids are NOT_FOUND', async () => {
  const { service } = memoryService();
  const a = await service.request(mergeRequest);
  await assert.rejects(service.deny(a.id, { by: 'bob', reason: ' ' }), code('INPUT_INVALID'));
  await assert.rejects(service.approve(a.id, { by: '' }), code('INPUT_INVALID'));
  // a 300,000-character reason was accepted; its transition then could not be copied into the
  // ledger (entry over 256 KiB) and every later transition waited behind it, never recorded
  await assert.rejects(service.deny(a.id, { by: 'bob', reason: 'x'.repeat(300_000) }), { code: 'INPUT_INVALID', message: /reason must be a string of at most 2000 characters/ });
  await assert.rejects(service.approve(a.id, { by: 'b'.repeat(300_000) }), { code: 'INPUT_INVALID', message: /by must be at most 256 characters/ });
  assert.equal((await service.get(a.id)).status, 'pending');
  await assert.rejects(service.approve('00000000-0000-4000-8000-000000000000', { by: 'x' }), code('NOT_FOUND'));
});

test('when approvers are listed, only they may approve or deny; anyone may cancel', async () => {
  const { service } = memoryService();
  const a = await service.request({ ...mergeRequest, approvers: ['alice', 'bob'] });
  await assert.rejects(service.approve(a.id, { by: 'mallory' }), code('FORBIDDEN'));
  await assert.rejects(service.deny(a.id, { by: 'mallory', reason: 'x' }), code('FORBIDDEN'));
  assert.equal((await service.get(a.id)).status, 'pending');
  assert.equal((await service.approve(a.id, { by: 'bob' })).status, 'approved');
  const b = await service.request({ ...mergeRequest, approvers: ['alice'] });
  assert.equal((await service.cancel(b.id, { by: 'release-bot', reason: 'session ended' })).status, 'cancelled');
});

test('deciding after the expiry time expires the request instead (default deny)', async () => {
  const clock = manualClock();
  const { service } = memoryService({ now: clock.now });
  const a = await service.request({ ...mergeRequest, timeoutMs: 60_000 });
  clock.advance(60_000);
  await assert.rejects(service.approve(a.id, { by: 'alice' }), code('CONFLICT'));
  const after = await service.get(a.id);
  assert.equal(after.status, 'expired');
  assert.equal(after.decidedBy, 'gatehouse');
});

test('expireDue expires exactly the overdue pending requests, once', async () => {
  const clock = manualClock();
  const { service } = memoryService({ now: clock.now });
  const short = await service.request({ ...mergeRequest, timeoutMs: 1000 });
  const long = await service.request({ ...mergeRequest, timeoutMs: 10_000 });
  const decided = await service.request({ ...mergeRequest, timeoutMs: 500 });
  await service.approve(decided.id, { by: 'alice' });
  assert.deepEqual(await service.expireDue(clock.now() + 999), []);
  const expired = await service.expireDue(clock.now() + 1000);
  assert.deepEqual(expired.map((a) => [a.id, a.status]), [[short.id, 'expired']]);
  assert.deepEqual(await service.expireDue(clock.now() + 1000), []);
  assert.equal((await service.get(long.id)).status, 'pending');
  assert.equal((await service.get(decided.id)).status, 'approved');
});

test('consume: only the bound call, only when approved, only once, only before expiry', async () => {
  const clock = manualClock();
  const { service } = memoryService({ now: clock.now });
  const a = await service.request(mergeRequest);
  await assert.rejects(service.consume(a.id, mergeCall), code('CONFLICT'), 'pending');
  await service.approve(a.id, { by: 'alice' });
  for (const field of Object.keys(mergeCall) as Array<keyof typeof mergeCall>) {
    await assert.rejects(service.consume(a.id, { ...mergeCall, [field]: mergeCall[field] + 'x' }), code('FORBIDDEN'), field);
  }
  const used = await service.consume(a.id, mergeCall, { actionId: 'act-1' });
  assert.equal(used.consumedBy, 'act-1');
  await assert.rejects(service.consume(a.id, mergeCall), code('CONFLICT'), 'second use');

  const b = await service.request({ ...mergeRequest, timeoutMs: 1000 });
  await service.approve(b.id, { by: 'alice' });
  clock.advance(1000);
  await assert.rejects(service.consume(b.id, mergeCall), code('CONFLICT'), 'expired');

  const c = await service.request(mergeRequest);
  await service.deny(c.id, { by: 'bob', reason: 'no' });
  await assert.rejects(service.consume(c.id, mergeCall), code('CONFLICT'), 'denied');
});

test('waitForDecision is released by an in-process decision without polling', { timeout: 10_000 }, async () => {
  // a poll interval far beyond the test timeout: only the in-process notification can release the waiter
  const { service } = memoryService({ pollIntervalMs: 3_600_000 });
  const a = await service.request(mergeRequest);
  const waiting = service.waitForDecision(a.id);
  setImmediate(() => void service.approve(a.id, { by: 'alice', reason: 'ok' }));
  const decided = await waiting;
  assert.equal(decided.status, 'approved');
  assert.equal(decided.decidedBy, 'alice');
  assert.equal((await service.waitForDecision(a.id)).status, 'approved', 'already decided resolves at once');
});

test('waitForDecision sees a decision written by another process on the same database (poll fallback)', { timeout: 10_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wait-'));
  const dbA = openSqlite(join(dir, 'g.db'));
  const dbB = openSqlite(join(dir, 'g.db'));
  try {
    const waiter = serviceOn(dbA, { pollIntervalMs: 20 });
    const cli = serviceOn(dbB);
    const a = await waiter.request(mergeRequest);
    const waiting = waiter.waitForDecision(a.id);
    await cli.deny(a.id, { by: 'bob', reason: 'too risky' });
    const decided = await waiting;
    assert.equal(decided.status, 'denied');
    assert.equal(decided.reason, 'too risky');
  } finally {
    dbA.close();
    dbB.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('waitForDecision resolves as expired when the timeout passes', { timeout: 10_000 }, async () => {
  const { service } = memoryService({ pollIntervalMs: 3_600_000 });
  const a = await service.request({ ...mergeRequest, timeoutMs: 30 });
  const decided = await service.waitForDecision(a.id);
  assert.equal(decided.status, 'expired');
  assert.equal((await service.get(a.id)).status, 'expired');
});

test('waitForDecision rejects on abort and on close, leaving the request pending', { timeout: 10_000 }, async () => {
  const { service } = memoryService({ pollIntervalMs: 3_600_000 });
  const a = await service.request(mergeRequest);
  const ac = new AbortController();
  const waiting = service.waitForDecision(a.id, { signal: ac.signal });
  ac.abort(new Error('caller gave up'));
  await assert.rejects(waiting, /caller gave up/);
  const closing = service.waitForDecision(a.id);
  service.close();
  await assert.rejects(closing, code('INTERNAL'));
  assert.equal((await service.get(a.id)).status, 'pending');
  await assert.rejects(service.waitForDecision('00000000-0000-4000-8000-000000000000'), code('NOT_FOUND'));
});

test('onTransition sees every change in order; a throwing listener does not undo the decision', async () => {
  const errors: unknown[] = [];
  const { service } = memoryService({ onListenerError: (e) => errors.push(e) });
  const seen: TransitionEvent[] = [];
  const off = service.onTransition((e) => void seen.push(e));
  service.onTransition(() => {
    throw new Error('ledger down');
  });
  const a = await service.request(mergeRequest);
  await service.approve(a.id, { by: 'alice', reason: 'ok' });
  assert.deepEqual(
    seen.map((e) => [e.transition.from, e.transition.to, e.transition.by, e.approval.status]),
    [
      [null, 'pending', null, 'pending'],
      ['pending', 'approved', 'alice', 'approved'],
    ],
  );
  assert.equal(errors.length, 2);
  off();
  await service.request(mergeRequest);
  assert.equal(seen.length, 2);
});

test('two services racing on one database: exactly one decision wins, the other is a CONFLICT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-race-'));
  const dbA = openSqlite(join(dir, 'g.db'));
  const dbB = openSqlite(join(dir, 'g.db'));
  try {
    const s1 = serviceOn(dbA);
    const s2 = serviceOn(dbB);
    const a = await s1.request(mergeRequest);
    const results = await Promise.allSettled([s1.approve(a.id, { by: 'alice' }), s2.deny(a.id, { by: 'bob', reason: 'no' })]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal(rejected.reason.code, 'CONFLICT');
  } finally {
    dbA.close();
    dbB.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
