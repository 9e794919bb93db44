import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { sampleEntry, tempDir } from './helpers.ts';

test('a failed group commit rejects its callers only; appends queued behind it and after it keep the log contiguous', async (t) => {
  const path = join(tempDir(t), 'f.db');
  const ledger = await openLedger({ path, checkpointEvery: 1000, checkpointIntervalMs: 0 });
  const dup = '11111111-1111-4111-8111-111111111111';
  await ledger.append(sampleEntry(0, { actionId: dup }));
  // a first wave in which some appends re-use an action id (a unique-constraint failure fails
  // their whole group commit), and a clean second wave queued while the first is still in flight
  const wave1 = Array.from({ length: 200 }, (_, i) => ledger.append(sampleEntry(i + 1, i % 37 === 5 ? { actionId: dup } : {})));
  await new Promise((r) => setImmediate(r));
  const wave2 = Array.from({ length: 200 }, (_, i) => ledger.append(sampleEntry(i + 201)));
  const outcomes = await Promise.allSettled([...wave1, ...wave2]);
  const ok = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<{ index: number; actionId: string }>).value);
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  assert.ok(failed >= 6, `the duplicate-id appends fail (${failed})`);
  assert.ok(ok.length > 0, 'appends in batches without a duplicate succeed');
  for (const [i, o] of outcomes.entries()) {
    if (i < 200 && i % 37 === 5) assert.equal(o.status, 'rejected', 'a duplicate action id is never acknowledged');
  }
  const size = await ledger.size();
  assert.equal(size, ok.length + 1, 'every acknowledged entry, and nothing else, is in the log');
  assert.deepEqual(ok.map((r) => r.index).sort((a, b) => a - b), Array.from({ length: ok.length }, (_, i) => i + 1));
  for (const r of ok) assert.equal((await ledger.getByActionId(r.actionId))?.index, r.index);
  const after = await ledger.append(sampleEntry(999));
  assert.equal(after.index, size, 'the next append continues the log without a gap');
  assert.equal((await ledger.verify()).ok, true);
  await ledger.close();
});
