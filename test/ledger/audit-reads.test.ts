import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { leafHash, toHex } from '../../src/ledger/hash.ts';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { SqliteLedgerStore } from '../../src/store/sqlite/ledger-store.ts';
import { sampleEntry, tempDir } from './helpers.ts';

// The two reads the audit's fast path relies on (SQLite): node runs packed into one buffer, byte
// for byte, and entries as text with their stored hash in hex.

test('scanNodeRun packs exactly the rows scanNodes returns, or says they are not a run', async () => {
  const s = SqliteLedgerStore.open(':memory:');
  try {
    const db = (s as unknown as { db: import('better-sqlite3').Database }).db;
    const ins = db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)');
    // every byte value, NULs and invalid UTF-8 included
    const hashes = Array.from({ length: 40 }, (_, i) => Buffer.from(Array.from({ length: 32 }, (_, k) => (i * 32 + k * 7) % 256)));
    hashes.forEach((h, i) => ins.run(1, i, h));
    const run = await s.scanNodeRun(1, 3, 20);
    assert.ok(run);
    assert.equal(run.first, 3);
    assert.equal(run.count, 20);
    assert.deepEqual(Buffer.from(run.hashes), Buffer.concat((await s.scanNodes(1, 3, 20)).map((n) => n.hash)));
    assert.equal((await s.scanNodeRun(1, 30, 100))?.count, 10);
    assert.equal(await s.scanNodeRun(1, 40, 10), undefined);
    assert.equal(await s.scanNodeRun(2, 0, 10), undefined);

    db.prepare('DELETE FROM ledger_nodes WHERE level = 1 AND idx = 10').run();
    assert.equal(await s.scanNodeRun(1, 5, 10), undefined, 'a gap');
    assert.equal((await s.scanNodeRun(1, 0, 10))?.count, 10, 'before the gap');
    ins.run(1, 10.5, hashes[10]);
    assert.equal(await s.scanNodeRun(1, 9, 3), undefined, 'an index that is not an integer');
    db.prepare('DELETE FROM ledger_nodes WHERE level = 1 AND idx = 10.5').run();
    ins.run(1, 10, hashes[10]!.subarray(0, 31));
    assert.equal(await s.scanNodeRun(1, 9, 3), undefined, 'a short hash');
    db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = 1 AND idx = 10').run(hashes[10]!.toString('latin1'));
    assert.equal(await s.scanNodeRun(1, 9, 3), undefined, 'a hash stored as text');
  } finally {
    await s.close();
  }
});

test('scanEntryTexts gives the leaf as UTF-8 text and the stored hash as lowercase hex, null unless both are bytes', async () => {
  const s = SqliteLedgerStore.open(':memory:');
  try {
    const leaf = Buffer.from('{"a":"é\u0000😀","index":0}');
    await s.appendBatch({
      start: 0,
      entries: [{ index: 0, actionId: 'id0', time: 't', tenant: 'x', agent: 'a', session: null, kind: 'k', leaf, leafHash: leafHash(leaf) }],
      nodes: [],
    });
    const [row] = await s.scanEntryTexts(0, 10);
    assert.deepEqual(row, [0, 'id0', 't', 'x', 'a', null, 'k', leaf.toString('utf8'), toHex(leafHash(leaf))]);
    const db = (s as unknown as { db: import('better-sqlite3').Database }).db;
    db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 0').run(Buffer.from([0x7b, 0xff, 0x7d]));
    assert.equal((await s.scanEntryTexts(0, 1))[0]![7], '{\ufffd}');
    db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 0').run('{}');
    assert.deepEqual((await s.scanEntryTexts(0, 1))[0]!.slice(7), [null, null]);
  } finally {
    await s.close();
  }
});

test('in a UTF-16 database the audit reads no text (the cast would not keep the bytes) and still passes an intact log', async (t) => {
  const path = `${tempDir(t)}/utf16.db`;
  const db = new Database(path);
  db.pragma("encoding = 'UTF-16le'");
  db.prepare('CREATE TABLE x (y)').run();
  db.close();
  const ledger = await openLedger({ path, checkpointEvery: 5, checkpointIntervalMs: 0 });
  try {
    await ledger.appendMany(Array.from({ length: 12 }, (_, i) => sampleEntry(i)));
    const rows = await ledger.store.scanEntryTexts(0, 12);
    assert.equal(rows.length, 12);
    assert.ok(rows.every((r) => r[7] === null && r[8] === null));
    const report = await ledger.verify();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.size, 12);
  } finally {
    await ledger.close();
  }
});
