import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { verifyBundle } from '../../src/ledger/bundle.ts';
import { fromHex, leafHash, toHex } from '../../src/ledger/hash.ts';
import { rootOfLeaves, verifyConsistency, verifyInclusion } from '../../src/ledger/proof.ts';
import { GatehouseError } from '../../src/errors.ts';
import { sampleEntry, tempDir } from './helpers.ts';

test('concurrent appends get contiguous durable indexes, group-committed, and survive reopen', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'g.db');
  const ledger = await openLedger({ path, checkpointEvery: 50, checkpointIntervalMs: 0 });
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => ledger.append(sampleEntry(i))));
  assert.deepEqual(results.map((r) => r.index).sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i));
  assert.equal(await ledger.size(), 300);
  const many = await ledger.appendMany([sampleEntry(1), sampleEntry(2)]);
  assert.deepEqual(many.map((r) => r.index), [300, 301]);
  await ledger.close();
  await assert.rejects(ledger.append(sampleEntry(0)), /closed/);

  // group commit: far fewer checkpoints-worth of transactions than appends is not observable
  // directly, but every acknowledged entry must be in the file with the hash we were given
  const db = new Database(path, { readonly: true });
  for (const r of results) {
    const row = db.prepare('SELECT idx, leaf FROM ledger_entries WHERE action_id = ?').get(r.actionId) as { idx: number; leaf: Buffer };
    assert.equal(row.idx, r.index);
    assert.equal(toHex(leafHash(row.leaf)), r.leafHash);
  }
  db.close();

  const again = await openLedger({ path });
  assert.equal(await again.size(), 302);
  const next = await again.append(sampleEntry(5));
  assert.equal(next.index, 302);
  const cp = await again.checkpoint();
  const leaves = (await again.range(0, 1000)).map((r) => fromHex(r.leafHash));
  assert.equal(toHex(cp.root), toHex(rootOfLeaves(leaves)));
  assert.equal((await again.verify()).ok, true);
  await again.close();
});

test('one invalid entry is rejected without affecting the batch it was queued with', async (t) => {
  const ledger = await openLedger({ path: join(tempDir(t), 'g.db') });
  const [a, b, c] = await Promise.allSettled([
    ledger.append(sampleEntry(0)),
    ledger.append({ ...sampleEntry(1), decision: 'perhaps' as never }),
    ledger.append(sampleEntry(2)),
  ]);
  assert.equal(a.status, 'fulfilled');
  assert.equal(b.status, 'rejected');
  assert.equal((b as PromiseRejectedResult).reason.code, 'INPUT_INVALID');
  assert.equal(c.status, 'fulfilled');
  assert.deepEqual([(a as PromiseFulfilledResult<{ index: number }>).value.index, (c as PromiseFulfilledResult<{ index: number }>).value.index], [0, 1]);
  await ledger.close();
});

test('entries by index and action id; caller-provided ids and times are kept', async (t) => {
  const ledger = await openLedger({ path: join(tempDir(t), 'g.db') });
  const id = '5f0c7d0e-3a7b-4c2e-9a1d-0c1b2a3d4e5f';
  await ledger.append(sampleEntry(0));
  const r = await ledger.append({ ...sampleEntry(1), actionId: id, time: '2024-05-06T07:08:09Z' });
  const rec = await ledger.getByActionId(id);
  assert.equal(rec?.index, r.index);
  assert.equal(rec?.entry.time, '2024-05-06T07:08:09Z');
  assert.equal((await ledger.get(0))?.entry.agent, 'agent-0');
  assert.equal(await ledger.get(99), undefined);
  await assert.rejects(ledger.append({ ...sampleEntry(2), actionId: id }), (e: unknown) => e instanceof GatehouseError && e.code === 'LEDGER_IO');
  assert.equal(await ledger.size(), 2, 'a failed batch does not advance the tree');
  assert.equal((await ledger.append(sampleEntry(3))).index, 2);
  await ledger.close();
});

test('inclusion and consistency proofs from the store verify against signed checkpoints', async (t) => {
  const ledger = await openLedger({ path: join(tempDir(t), 'g.db'), checkpointIntervalMs: 0 });
  const acks = [];
  for (let i = 0; i < 77; i++) acks.push(await ledger.append(sampleEntry(i)));
  const p = await ledger.proveInclusion(acks[41]!.actionId);
  assert.equal(p.treeSize, 77, 'an uncovered entry triggers a new checkpoint');
  assert.ok(p.checkpoint?.includes('\n77\n'));
  verifyInclusion(41, 77, fromHex(p.leafHash), p.proof.map(fromHex), fromHex(p.root));
  const old = await ledger.proveInclusion(3, 10);
  verifyInclusion(3, 10, fromHex(old.leafHash), old.proof.map(fromHex), fromHex(old.root));
  const c = await ledger.proveConsistency(10, 77);
  verifyConsistency(10, 77, c.proof.map(fromHex), fromHex(c.root1), fromHex(c.root2));
  await assert.rejects(ledger.proveConsistency(0, 77), /no consistency proof/);
  await assert.rejects(ledger.proveInclusion('00000000-0000-4000-8000-000000000000'), /no ledger entry/);
  await ledger.close();
});

test('checkpoints: every N entries inside the append transaction, on checkpoint(), and on close', async (t) => {
  const path = join(tempDir(t), 'g.db');
  const ledger = await openLedger({ path, checkpointEvery: 10, checkpointIntervalMs: 0 });
  for (let i = 0; i < 25; i++) await ledger.append(sampleEntry(i));
  const sizes = (await ledger.store.listCheckpoints()).map((c) => c.size);
  assert.deepEqual(sizes, [10, 20]);
  assert.equal((await ledger.checkpoint()).size, 25);
  assert.equal((await ledger.checkpoint()).size, 25, 'idempotent at the same size');
  await ledger.append(sampleEntry(99));
  await ledger.close();
  const ro = await openLedger({ path, readonly: true });
  assert.equal((await ro.latestCheckpoint())?.size, 26);
  await assert.rejects(ro.append(sampleEntry(0)), /read-only/);
  await ro.close();
});

test('the timer checkpoints idle entries', async (t) => {
  const ledger = await openLedger({ path: join(tempDir(t), 'g.db'), checkpointEvery: 1000, checkpointIntervalMs: 20 });
  await ledger.append(sampleEntry(0));
  for (let i = 0; i < 100 && (await ledger.latestCheckpoint())?.size !== 1; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await ledger.latestCheckpoint())?.size, 1);
  await ledger.close();
});

test('signing key: created 0600 next to the db, reused, refused when it does not match the log', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'g.db');
  const a = await openLedger({ path });
  await a.append(sampleEntry(0));
  await a.close();
  assert.equal(statSync(join(dir, 'ledger.key')).mode & 0o777, 0o600);
  const b = await openLedger({ path });
  assert.equal(b.vkey, a.vkey);
  await b.close();
  await assert.rejects(openLedger({ path, keyPath: join(dir, 'other.key') }), (e: unknown) => e instanceof GatehouseError && e.code === 'CONFIG_INVALID');
  process.env.GATEHOUSE_LEDGER_KEY = join(dir, 'ledger.key');
  try {
    const c = await openLedger({ path: join(dir, 'elsewhere', 'g.db') });
    assert.equal(c.vkey, a.vkey, 'GATEHOUSE_LEDGER_KEY names the key file');
    await c.close();
  } finally {
    delete process.env.GATEHOUSE_LEDGER_KEY;
  }
});

test('evidence bundles verify offline and any edit to them is caught', async (t) => {
  const ledger = await openLedger({ path: join(tempDir(t), 'g.db') });
  for (let i = 0; i < 30; i++) await ledger.append(sampleEntry(i));
  const bundle = await ledger.exportBundle({ agent: 'agent-1' });
  assert.equal(bundle.entries.length, 10);
  const ok = verifyBundle(JSON.stringify(bundle), { trustedKeys: [ledger.vkey] });
  assert.equal(ok.ok, true, JSON.stringify(ok.problems));
  assert.equal(ok.keyPinned, true);

  const edited = structuredClone(bundle);
  edited.entries[3]!.leaf = edited.entries[3]!.leaf.replace(/"decision":"(allow|deny)"/, '"decision":"require_approval"');
  assert.notEqual(edited.entries[3]!.leaf, bundle.entries[3]!.leaf);
  const r1 = verifyBundle(edited);
  assert.equal(r1.ok, false);
  assert.equal(r1.problems[0]?.index, edited.entries[3]!.index);

  const moved = structuredClone(bundle);
  moved.entries[0]!.proof.reverse();
  assert.equal(verifyBundle(moved).ok, false);
  const other = await openLedger({ path: join(tempDir(t), 'h.db') });
  assert.equal(verifyBundle(bundle, { trustedKeys: [other.vkey] }).ok, false);
  const resigned = { ...bundle, verifierKey: other.vkey };
  assert.equal(verifyBundle(resigned).ok, false);
  assert.equal(verifyBundle('{').ok, false);
  await other.close();
  await ledger.close();
});
