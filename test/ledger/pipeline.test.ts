// Group commits in flight two at a time (Ledger.pipeline): the second batch is prepared and sent
// while the first commits. These tests wrap a real store so that batches can be watched and made
// to fail, and check what the caller relies on: an acknowledged index holds that caller's entry,
// no index is acknowledged twice, a failure refuses or retries its callers but loses nothing that
// was acknowledged, and the log stays verifiable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLedger, type AppendResult, type Ledger } from '../../src/ledger/service/ledger.ts';
import { ThreadedLedgerStore } from '../../src/store/sqlite/threaded-ledger-store.ts';
import type { LedgerAppendBatch, LedgerStore } from '../../src/store/ledger-port.ts';
import { sampleEntry, tempDir } from './helpers.ts';

type Fault = 'none' | 'before' | 'after' | 'broken';

/** The store with appendBatch watched: calls in flight, and a fault chosen per call. */
function watchedStore(inner: LedgerStore, faultFor: (call: number, batch: LedgerAppendBatch) => Fault) {
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, faults: { before: 0, after: 0 }, broken: false };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (stats.broken && (prop === 'size' || prop === 'latestCheckpoint')) {
        return () => Promise.reject(new Error('injected: the database cannot be read'));
      }
      if (prop !== 'appendBatch') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return async (batch: LedgerAppendBatch) => {
        const fault = faultFor(stats.calls++, batch);
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        try {
          if (fault === 'broken') {
            // this commit fails and, from now on, so does reading the database back
            stats.broken = true;
            throw new Error('injected: the disk is gone');
          }
          if (fault === 'before') {
            stats.faults.before++;
            throw new Error('injected: the disk refused the write');
          }
          await target.appendBatch(batch);
          if (fault === 'after') {
            stats.faults.after++;
            throw new Error('injected: the reply was lost after the commit');
          }
        } finally {
          stats.inFlight--;
        }
      };
    },
  });
  return { store, stats };
}

/** `writers` closed-loop callers, each appending `each` entries one at a time. */
async function closedLoop(ledger: Ledger, writers: number, each: number) {
  const settled: Array<{ id: string; result?: AppendResult; error?: unknown }> = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let k = 0; k < each; k++) {
        const i = n++;
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        try {
          settled.push({ id, result: await ledger.append(sampleEntry(i, { actionId: id })) });
        } catch (error) {
          settled.push({ id, error });
        }
      }
    }),
  );
  return settled;
}

async function checkLog(ledger: Ledger, settled: Awaited<ReturnType<typeof closedLoop>>): Promise<void> {
  const acknowledged = settled.filter((s) => s.result);
  const indexes = new Set(acknowledged.map((s) => s.result!.index));
  assert.equal(indexes.size, acknowledged.length, 'no index is acknowledged twice');
  for (const s of acknowledged) {
    const stored = await ledger.get(s.result!.index);
    assert.equal(stored?.entry.actionId, s.id, `index ${s.result!.index} holds the entry acknowledged for it`);
    assert.equal(stored?.leafHash, s.result!.leafHash);
  }
  const size = await ledger.size();
  const stored = await ledger.range(0, size + 1);
  assert.equal(stored.length, size, 'the log is contiguous');
  const seen = new Set(stored.map((r) => r.entry.actionId));
  assert.equal(seen.size, size, 'no entry is stored twice');
  const report = await ledger.verify();
  assert.equal(report.ok, true, JSON.stringify(report.problems ?? report));
}

/** About one call in `every`, by a hash of the call number and the seed. */
function hit(call: number, seed: number, every: number): boolean {
  return call > 2 && (Math.imul(call + 1, 2654435761) + seed * 40503) >>> 0 < 2 ** 32 / every;
}

async function open(t: { after(fn: () => void): void }, faultFor: (call: number, batch: LedgerAppendBatch) => Fault) {
  const path = join(tempDir(t), 'p.db');
  const { store, stats } = watchedStore(ThreadedLedgerStore.open(path), faultFor);
  const ledger = await openLedger({ path, store, checkpointEvery: 100, checkpointIntervalMs: 0 });
  return { ledger, stats };
}

test('with many writers a second group commit is sent before the first lands, and every acknowledgement holds', { timeout: 60_000 }, async (t) => {
  const { ledger, stats } = await open(t, () => 'none');
  const settled = await closedLoop(ledger, 64, 20);
  assert.ok(settled.every((s) => s.result), 'every append is acknowledged');
  assert.equal(stats.maxInFlight, 2, `two commits were in flight at once (max ${stats.maxInFlight}) and never more`);
  assert.equal(await ledger.size(), 64 * 20);
  await checkLog(ledger, settled);
  await ledger.close();
});

test('a commit refused before it is written: its callers are retried and acknowledged, the batch behind it too', { timeout: 60_000 }, async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    // A batch (of several callers) fails once at its start index; the retry of the same callers,
    // and each caller retried alone, go through: so every caller must end up acknowledged.
    const refusedAt = new Set<number>();
    const { ledger, stats } = await open(t, (call, batch) => {
      if (batch.entries.length < 2 || refusedAt.has(batch.start) || !hit(call, seed, 4)) return 'none';
      refusedAt.add(batch.start);
      return 'before';
    });
    const settled = await closedLoop(ledger, 64, 12);
    assert.ok(stats.faults.before > 0, 'faults were injected');
    const refused = settled.filter((s) => s.error).length;
    assert.equal(refused, 0, `seed ${seed}: a refused commit is retried; nobody is refused (${stats.faults.before} faults)`);
    assert.equal(await ledger.size(), 64 * 12);
    await checkLog(ledger, settled);
    await ledger.close();
  }
});

test('a commit whose reply is lost after it landed: its callers are refused or acknowledged, never twice, and the log verifies', { timeout: 60_000 }, async (t) => {
  for (const seed of [5, 13]) {
    let faulty = true;
    const { ledger, stats } = await open(t, (call) => (faulty && hit(call, seed, 6) ? 'after' : 'none'));
    const settled = await closedLoop(ledger, 64, 12);
    assert.ok(stats.faults.after > 0, 'faults were injected');
    const refused = settled.filter((s) => s.error);
    assert.ok(refused.length > 0, 'the callers of a batch with a lost reply are told it failed');
    await checkLog(ledger, settled);
    // The stored log holds every acknowledged entry plus the refused ones whose batch did land.
    const acknowledged = settled.filter((s) => s.result).length;
    const size = await ledger.size();
    assert.ok(size >= acknowledged && size <= settled.length);
    faulty = false;
    const after = await ledger.append(sampleEntry(9999));
    assert.equal(after.index, size, 'appends continue after the faults');
    await ledger.close();
  }
});

test('when the database cannot be read back after a failed commit, the failed callers are refused, none hangs', { timeout: 60_000 }, async (t) => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  const { ledger, stats } = await open(t, (call) => (call === 5 ? 'broken' : 'none'));
  const settled = await closedLoop(ledger, 64, 6);
  assert.ok(stats.broken);
  const refused = settled.filter((s) => s.error);
  assert.ok(refused.length > 0, 'the callers of the failed commit are told');
  for (const s of refused) assert.match(String((s.error as Error).message), /injected/);
  assert.ok(settled.some((s) => s.result), 'batches before the failure were acknowledged');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
  await ledger.close().catch(() => undefined);
});

test('another writer on the same database between two pipelined batches: the batch behind is refused, never committed on its entries', { timeout: 60_000 }, async (t) => {
  // Deterministic form of the race: the other writer commits exactly as many entries as the first
  // batch holds, after that batch was built and before it reaches the store. The first batch then
  // fails on the size, and the second would pass a size check on top of the other writer's entries.
  const path = join(tempDir(t), 'two.db');
  const other = await openLedger({ path, checkpointIntervalMs: 0 });
  await other.append(sampleEntry(0));
  const inner = ThreadedLedgerStore.open(path);
  const refusals: string[] = [];
  let calls = 0;
  let chain: Promise<void> = Promise.resolve();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'appendBatch') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (batch: LedgerAppendBatch) => {
        const call = calls++;
        // one at a time and in order, as the writer thread takes them
        const run = chain.then(async () => {
          if (call === 0) await Promise.all(Array.from({ length: batch.entries.length }, (_, i) => other.append(sampleEntry(100 + i))));
          try {
            await target.appendBatch(batch);
          } catch (error) {
            refusals.push(`${call}: ${(error as Error).message}`);
            throw error;
          }
        });
        chain = run.catch(() => undefined);
        return run;
      };
    },
  });
  const ledger = await openLedger({ path, store, checkpointEvery: 20, checkpointIntervalMs: 0 });
  const ids = Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  const settled = await Promise.allSettled(ids.map((id, i) => ledger.append(sampleEntry(i + 1, { actionId: id }))));
  assert.ok(refusals.some((r) => r.startsWith('1: ') && /not the one this batch was built on/.test(r)), `the second batch was refused: ${refusals.join('; ')}`);
  for (const [i, s] of settled.entries()) {
    assert.equal(s.status, 'fulfilled', 'every caller is acknowledged after the retry');
    const stored = await ledger.get((s as PromiseFulfilledResult<AppendResult>).value.index);
    assert.equal(stored?.entry.actionId, ids[i]);
  }
  const report = await ledger.verify();
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.size, 1 + 40 + 20);
  await ledger.close();
  await other.close();
});

test('checkpoint() under sustained load is answered after the callers queued when it asked, not when the load stops', { timeout: 60_000 }, async (t) => {
  const path = join(tempDir(t), 'cp.db');
  const ledger = await openLedger({ path, checkpointEvery: 1_000_000, checkpointIntervalMs: 0 });
  const CAP = 30_000;
  let appended = 0;
  let answeredAt = -1;
  let checkpointSize = -1;
  let askedAt = -1;
  // 64 writers keep two batches in flight, so the queue is never empty while the load lasts
  const writers = Array.from({ length: 64 }, async () => {
    // closed loop: stop a while after the checkpoint is answered, or at the cap
    while (appended < CAP && (answeredAt < 0 || appended < answeredAt + 500)) {
      await ledger.append(sampleEntry(appended++));
      if (appended === 2000) {
        askedAt = appended;
        void ledger.checkpoint().then((cp) => {
          answeredAt = appended;
          checkpointSize = cp.size;
        });
      }
    }
  });
  await Promise.all(writers);
  assert.ok(answeredAt > 0 && answeredAt < CAP, `checkpoint answered while appends went on (at ${answeredAt} of ${appended} appends)`);
  // 64 writers: at most 64 appends were acknowledged but not yet counted when it asked
  assert.ok(checkpointSize >= askedAt - 64, `the checkpoint (size ${checkpointSize}) covers what was acknowledged when it was asked for (${askedAt})`);
  await ledger.close();
});
