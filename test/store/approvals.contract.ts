import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../../src/errors.ts';
import type { ApprovalRecord, ApprovalStore } from '../../src/store/ports.ts';

export interface ApprovalStoreHarness {
  store: ApprovalStore;
  close(): unknown;
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

export function sampleApproval(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: randomUUID(),
    status: 'pending',
    tenant: 'acme',
    agent: 'release-bot',
    session: null,
    server: 'github',
    tool: 'merge_pull_request',
    argumentsDigest: 'sha256:' + 'a'.repeat(64),
    argumentsRedacted: { repo: 'acme/api', pr: 42, token: '[REDACTED]' },
    bundleDigest: 'sha256:' + 'b'.repeat(64),
    rule: 'merges-need-approval',
    approvers: ['alice', 'bob'],
    bindingDigest: 'sha256:' + 'c'.repeat(64),
    createdAt: new Date(T0).toISOString(),
    expiresAt: new Date(T0 + 60_000).toISOString(),
    decidedAt: null,
    decidedBy: null,
    reason: null,
    consumedAt: null,
    consumedBy: null,
    ...overrides,
  };
}

/** The behaviour every ApprovalStore implementation must have (run by each implementation's test file). */
export function approvalStoreContract(name: string, factory: () => Promise<ApprovalStoreHarness> | ApprovalStoreHarness): void {
  const withStore = (title: string, body: (store: ApprovalStore) => Promise<void>) =>
    test(`${name} ApprovalStore: ${title}`, async () => {
      const h = await factory();
      try {
        await body(h.store);
      } finally {
        await h.close();
      }
    });

  withStore('create then get returns every field unchanged', async (store) => {
    const rec = sampleApproval({ session: 'sess-1', argumentsRedacted: { nested: [1, 'two', { three: null }] } });
    const t = await store.create(rec);
    assert.deepEqual(await store.get(rec.id), rec);
    assert.deepEqual({ ...t, seq: 0 }, { seq: 0, approvalId: rec.id, from: null, to: 'pending', at: rec.createdAt, by: null, reason: null });
    const bare = sampleApproval({ approvers: null, argumentsRedacted: null, rule: null });
    await store.create(bare);
    assert.deepEqual(await store.get(bare.id), bare);
  });

  withStore('unknown id: get is null, transition and markConsumed change nothing', async (store) => {
    assert.equal(await store.get(randomUUID()), null);
    assert.equal(await store.transition(randomUUID(), { from: 'pending', to: 'approved', atMs: T0, by: 'x', reason: null }), null);
    assert.equal(await store.markConsumed(randomUUID(), { bindingDigest: 'sha256:x', atMs: T0, actionId: null }), null);
  });

  withStore('a duplicate id is a CONFLICT and leaves the first request intact', async (store) => {
    const rec = sampleApproval();
    await store.create(rec);
    await assert.rejects(store.create({ ...rec, tool: 'other' }), (e: unknown) => e instanceof GatehouseError && e.code === 'CONFLICT');
    assert.equal((await store.get(rec.id))?.tool, rec.tool);
  });

  withStore('list is newest first and filters by status and tenant, with a limit', async (store) => {
    const a = sampleApproval({ createdAt: new Date(T0).toISOString() });
    const b = sampleApproval({ createdAt: new Date(T0 + 1000).toISOString(), tenant: 'other' });
    const c = sampleApproval({ createdAt: new Date(T0 + 2000).toISOString() });
    for (const r of [a, b, c]) await store.create(r);
    await store.transition(c.id, { from: 'pending', to: 'denied', atMs: T0 + 3000, by: 'alice', reason: 'no' });
    assert.deepEqual((await store.list()).map((r) => r.id), [c.id, b.id, a.id]);
    assert.deepEqual((await store.list({ status: 'pending' })).map((r) => r.id), [b.id, a.id]);
    assert.deepEqual((await store.list({ tenant: 'acme' })).map((r) => r.id), [c.id, a.id]);
    assert.deepEqual((await store.list({ status: 'pending', tenant: 'acme' })).map((r) => r.id), [a.id]);
    assert.deepEqual((await store.list({ limit: 1 })).map((r) => r.id), [c.id]);
    assert.equal(await store.count(), 3);
    assert.equal(await store.count({ status: 'pending' }), 2);
    assert.equal(await store.count({ status: 'pending', tenant: 'acme' }), 1);
  });

  withStore('transition is compare-and-set: only from the expected status, once', async (store) => {
    const rec = sampleApproval();
    await store.create(rec);
    const r = await store.transition(rec.id, { from: 'pending', to: 'approved', atMs: T0 + 5000, by: 'alice', reason: 'ship it' });
    assert.ok(r);
    assert.equal(r.record.status, 'approved');
    assert.equal(r.record.decidedBy, 'alice');
    assert.equal(r.record.reason, 'ship it');
    assert.equal(r.record.decidedAt, new Date(T0 + 5000).toISOString());
    assert.deepEqual(
      { from: r.transition.from, to: r.transition.to, by: r.transition.by, reason: r.transition.reason, approvalId: r.transition.approvalId },
      { from: 'pending', to: 'approved', by: 'alice', reason: 'ship it', approvalId: rec.id },
    );
    assert.equal(await store.transition(rec.id, { from: 'pending', to: 'denied', atMs: T0 + 6000, by: 'bob', reason: 'late' }), null);
    const after = await store.get(rec.id);
    assert.equal(after?.status, 'approved');
    assert.equal(after?.decidedBy, 'alice');
  });

  withStore('concurrent decisions: exactly one wins', async (store) => {
    const rec = sampleApproval();
    await store.create(rec);
    const results = await Promise.all(
      ['approved', 'denied', 'cancelled', 'approved', 'expired'].map((to, i) =>
        store.transition(rec.id, { from: 'pending', to: to as 'approved', atMs: T0 + i, by: `p${i}`, reason: null }),
      ),
    );
    const winners = results.filter((r) => r !== null);
    assert.equal(winners.length, 1);
    assert.equal((await store.get(rec.id))?.status, winners[0]!.record.status);
  });

  withStore('markConsumed only for approved, unused, same binding, before expiry; once', async (store) => {
    const rec = sampleApproval();
    await store.create(rec);
    const use = { bindingDigest: rec.bindingDigest, atMs: T0 + 1000, actionId: 'act-1' };
    assert.equal(await store.markConsumed(rec.id, use), null, 'pending cannot be consumed');
    await store.transition(rec.id, { from: 'pending', to: 'approved', atMs: T0 + 500, by: 'alice', reason: null });
    assert.equal(await store.markConsumed(rec.id, { ...use, bindingDigest: 'sha256:' + 'd'.repeat(64) }), null, 'other binding');
    assert.equal(await store.markConsumed(rec.id, { ...use, atMs: T0 + 60_000 }), null, 'at expiry');
    const used = await store.markConsumed(rec.id, use);
    assert.equal(used?.consumedAt, new Date(T0 + 1000).toISOString());
    assert.equal(used?.consumedBy, 'act-1');
    assert.equal(await store.markConsumed(rec.id, { ...use, actionId: 'act-2' }), null, 'second use');
    assert.equal((await store.get(rec.id))?.consumedBy, 'act-1');
  });

  withStore('concurrent consumes: exactly one succeeds', async (store) => {
    const rec = sampleApproval();
    await store.create(rec);
    await store.transition(rec.id, { from: 'pending', to: 'approved', atMs: T0 + 1, by: 'alice', reason: null });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.markConsumed(rec.id, { bindingDigest: rec.bindingDigest, atMs: T0 + 10, actionId: `a${i}` })),
    );
    assert.equal(results.filter((r) => r !== null).length, 1);
  });

  withStore('listOverdue: pending requests with expiry at or before now, oldest expiry first', async (store) => {
    const soon = sampleApproval({ expiresAt: new Date(T0 + 1000).toISOString() });
    const sooner = sampleApproval({ expiresAt: new Date(T0 + 500).toISOString() });
    const later = sampleApproval({ expiresAt: new Date(T0 + 5000).toISOString() });
    const decided = sampleApproval({ expiresAt: new Date(T0 + 100).toISOString() });
    for (const r of [soon, sooner, later, decided]) await store.create(r);
    await store.transition(decided.id, { from: 'pending', to: 'approved', atMs: T0 + 50, by: 'alice', reason: null });
    assert.deepEqual((await store.listOverdue(T0 + 999)).map((r) => r.id), [sooner.id]);
    assert.deepEqual((await store.listOverdue(T0 + 1000)).map((r) => r.id), [sooner.id, soon.id]);
    assert.deepEqual((await store.listOverdue(T0 + 10_000, 1)).map((r) => r.id), [sooner.id]);
  });

  withStore('the transition log holds every change in order until drained', async (store) => {
    const a = sampleApproval();
    const b = sampleApproval();
    await store.create(a);
    await store.create(b);
    await store.transition(b.id, { from: 'pending', to: 'denied', atMs: T0 + 10, by: 'bob', reason: 'risky' });
    await store.transition(b.id, { from: 'pending', to: 'approved', atMs: T0 + 11, by: 'eve', reason: null }); // refused: not logged
    const log = await store.undrainedTransitions();
    assert.deepEqual(
      log.map((t) => [t.approvalId, t.from, t.to, t.by, t.reason]),
      [
        [a.id, null, 'pending', null, null],
        [b.id, null, 'pending', null, null],
        [b.id, 'pending', 'denied', 'bob', 'risky'],
      ],
    );
    assert.ok(log[0]!.seq < log[1]!.seq && log[1]!.seq < log[2]!.seq);
    assert.deepEqual((await store.undrainedTransitions(2)).map((t) => t.seq), [log[0]!.seq, log[1]!.seq]);
    await store.markTransitionsDrained([log[0]!.seq, log[2]!.seq]);
    assert.deepEqual((await store.undrainedTransitions()).map((t) => t.seq), [log[1]!.seq]);
    await store.markTransitionsDrained([log[1]!.seq]);
    assert.deepEqual(await store.undrainedTransitions(), []);
  });
}
