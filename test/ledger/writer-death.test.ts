import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { ThreadedLedgerStore } from '../../src/store/sqlite/threaded-ledger-store.ts';
import { sampleEntry, tempDir } from './helpers.ts';

test('when the writer thread dies, queued and later appends are refused (never left hanging) and close() returns', { timeout: 30_000 }, async (t) => {
  const path = join(tempDir(t), 'w.db');
  const ledger = await openLedger({ path, checkpointIntervalMs: 0 });
  assert.ok(ledger.store instanceof ThreadedLedgerStore);
  await ledger.append(sampleEntry(0));
  const worker = (ledger.store as unknown as { worker: { terminate(): Promise<number> } }).worker;
  // several callers in one group commit: its failure makes each caller's entries be retried alone,
  // and every one of those retries must be refused too rather than wait for a thread that is gone
  const inFlight = Array.from({ length: 8 }, (_, i) => ledger.append(sampleEntry(i + 1)));
  await worker.terminate();
  const outcomes = await Promise.allSettled(inFlight);
  const later = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => ledger.append(sampleEntry(i + 9))));
  for (const o of [...outcomes, ...later]) {
    if (o.status === 'rejected') assert.match(String((o.reason as Error).message), /writer thread stopped/);
  }
  assert.ok(later.every((o) => o.status === 'rejected'), 'nothing is acknowledged once the writer is gone');
  // the final checkpoint cannot be written any more: close() says so, and still closes the store
  await assert.rejects(ledger.close(), /writer thread stopped/);
  const reopened = await openLedger({ path, readonly: true });
  const acknowledged = outcomes.filter((o) => o.status === 'fulfilled').length;
  assert.equal(await reopened.size(), 1 + acknowledged, 'exactly the acknowledged entries are stored');
  assert.equal((await reopened.verify()).ok, true);
  await reopened.close();
});
