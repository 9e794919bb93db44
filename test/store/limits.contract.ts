import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LimitsStore } from '../../src/store/ports.ts';

export interface LimitsStoreHarness {
  store: LimitsStore;
  /** Drops the current connection and returns a store over the same persisted data. */
  reopen(): Promise<LimitsStore> | LimitsStore;
  close(): unknown;
}

const T = 1_900_000_000_000;

/** The behaviour every LimitsStore implementation must have. */
export function limitsStoreContract(name: string, factory: () => Promise<LimitsStoreHarness> | LimitsStoreHarness): void {
  const withStore = (title: string, body: (h: LimitsStoreHarness) => Promise<void>) =>
    test(`${name} LimitsStore: ${title}`, async () => {
      const h = await factory();
      try {
        await body(h);
      } finally {
        await h.close();
      }
    });

  withStore('sliding window: allows up to the limit, refuses without recording, frees at exactly t0 + window', async ({ store }) => {
    assert.deepEqual(await store.slidingWindowHit('k', 1000, 2, T), { allowed: true, count: 1, oldestMs: T });
    assert.deepEqual(await store.slidingWindowHit('k', 1000, 2, T + 400), { allowed: true, count: 2, oldestMs: T });
    assert.deepEqual(await store.slidingWindowHit('k', 1000, 2, T + 999), { allowed: false, count: 2, oldestMs: T });
    assert.deepEqual(await store.slidingWindowPeek('k', 1000, T + 999), { allowed: true, count: 2, oldestMs: T });
    // the hit at T leaves the window at T + 1000; the refused hit at T + 999 was never counted
    assert.deepEqual(await store.slidingWindowHit('k', 1000, 2, T + 1000), { allowed: true, count: 2, oldestMs: T + 400 });
    assert.deepEqual(await store.slidingWindowHit('k', 1000, 2, T + 1001), { allowed: false, count: 2, oldestMs: T + 400 });
    assert.deepEqual(await store.slidingWindowPeek('k', 1000, T + 1400), { allowed: true, count: 1, oldestMs: T + 1000 });
  });

  withStore('sliding window: keys and window sizes are separate buckets', async ({ store }) => {
    assert.equal((await store.slidingWindowHit('a', 1000, 1, T)).allowed, true);
    assert.equal((await store.slidingWindowHit('a', 1000, 1, T)).allowed, false);
    assert.equal((await store.slidingWindowHit('b', 1000, 1, T)).allowed, true);
    assert.equal((await store.slidingWindowHit('a', 60_000, 1, T)).allowed, true);
    assert.equal((await store.slidingWindowHit('a', 60_000, 1, T + 5000)).allowed, false, 'the 1s window expiring must not drop 60s hits');
  });

  withStore('sliding window: concurrent hits never exceed the limit', async ({ store }) => {
    const results = await Promise.all(Array.from({ length: 50 }, () => store.slidingWindowHit('c', 10_000, 7, T)));
    assert.equal(results.filter((r) => r.allowed).length, 7);
    assert.equal((await store.slidingWindowPeek('c', 10_000, T)).count, 7);
  });

  withStore('counters: add respects the limit atomically; null limit always applies', async ({ store }) => {
    assert.deepEqual(await store.addToCounter('s', 'calls', '2030-01-01', 1, 2), { applied: true, value: 1 });
    assert.deepEqual(await store.addToCounter('s', 'calls', '2030-01-01', 1, 2), { applied: true, value: 2 });
    assert.deepEqual(await store.addToCounter('s', 'calls', '2030-01-01', 1, 2), { applied: false, value: 2 });
    assert.deepEqual(await store.addToCounter('s', 'calls', '2030-01-02', 1, 2), { applied: true, value: 1 });
    assert.deepEqual(await store.addToCounter('s', 'spend', '2030-01-01', 5_000_000, null), { applied: true, value: 5_000_000 });
    const concurrent = await Promise.all(Array.from({ length: 30 }, () => store.addToCounter('t', 'calls', '2030-01-01', 1, 10)));
    assert.equal(concurrent.filter((r) => r.applied).length, 10);
  });

  withStore('counters: sum over an inclusive day range, per scope and kind', async ({ store }) => {
    await store.addToCounter('s', 'spend', '2030-01-31', 10, null);
    await store.addToCounter('s', 'spend', '2030-02-01', 20, null);
    await store.addToCounter('s', 'spend', '2030-02-28', 40, null);
    await store.addToCounter('s', 'calls', '2030-02-01', 99, null);
    await store.addToCounter('other', 'spend', '2030-02-01', 99, null);
    assert.equal(await store.sumCounter('s', 'spend', '2030-02-01', '2030-02-31'), 60);
    assert.equal(await store.sumCounter('s', 'spend', '2030-02-01', '2030-02-01'), 20);
    assert.equal(await store.sumCounter('s', 'spend', '0000-01-01', '9999-12-31'), 70);
    assert.equal(await store.sumCounter('nobody', 'spend', '0000-01-01', '9999-12-31'), 0);
  });

  withStore('budgets: set, replace, remove', async ({ store }) => {
    assert.equal(await store.getBudget('tenant:acme'), null);
    await store.setBudget('tenant:acme', { limitMicros: 5_000_000, period: 'month' });
    assert.deepEqual(await store.getBudget('tenant:acme'), { limitMicros: 5_000_000, period: 'month' });
    await store.setBudget('tenant:acme', { limitMicros: 7, period: 'day' });
    assert.deepEqual(await store.getBudget('tenant:acme'), { limitMicros: 7, period: 'day' });
    await store.setBudget('tenant:acme', null);
    assert.equal(await store.getBudget('tenant:acme'), null);
  });

  withStore('everything survives closing and reopening the store', async (h) => {
    await h.store.slidingWindowHit('k', 60_000, 2, T);
    await h.store.slidingWindowHit('k', 60_000, 2, T + 1);
    await h.store.addToCounter('agent:bot', 'calls', '2030-01-01', 3, null);
    await h.store.setBudget('agent:bot', { limitMicros: 100, period: 'total' });
    const store = await h.reopen();
    assert.equal((await store.slidingWindowHit('k', 60_000, 2, T + 2)).allowed, false);
    assert.equal(await store.sumCounter('agent:bot', 'calls', '2030-01-01', '2030-01-01'), 3);
    assert.deepEqual(await store.getBudget('agent:bot'), { limitMicros: 100, period: 'total' });
  });
}
