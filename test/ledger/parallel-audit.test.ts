import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger, type Ledger } from '../../src/ledger/service/ledger.ts';
import { auditLedger, parallelSplit, type VerifyReport } from '../../src/ledger/service/audit.ts';
import { leafHash } from '../../src/ledger/hash.ts';
import type { LedgerStore } from '../../src/store/ledger-port.ts';
import { sampleEntry, tempDir } from './helpers.ts';

const SIZE = 300;
const PAGE = 8;
/** This thread checks [0, SPLIT), the worker [SPLIT, SIZE). */
const SPLIT = parallelSplit(SIZE, PAGE);

async function audit(ledger: Ledger, store: LedgerStore, parallel: boolean): Promise<{ report: Omit<VerifyReport, 'durationMs'>; progress: number[] }> {
  const progress: number[] = [];
  const { durationMs: _, ...report } = await auditLedger(store, {
    origin: ledger.origin,
    vkey: ledger.vkey,
    verifier: ledger.verifier,
    pageSize: PAGE,
    parallelMinEntries: parallel ? 1 : Infinity,
    onProgress: (done) => progress.push(done),
  });
  return { report, progress };
}

function flip(buf: Buffer, at: number): Buffer {
  const out = Buffer.from(buf);
  out[at] = out[at]! ^ 0x01;
  return out;
}

const leafOf = (db: Database.Database, i: number) => (db.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').get(i) as { leaf: Buffer }).leaf;

const MUTATIONS: Record<string, (db: Database.Database) => void> = {
  intact: () => undefined,
  'flip-leaf-0': (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 0').run(flip(leafOf(db, 0), 30)),
  [`flip-leaf-${SPLIT - 1} (last of this thread)`]: (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?').run(flip(leafOf(db, SPLIT - 1), 30), SPLIT - 1),
  [`flip-leaf-${SPLIT} (first of the worker)`]: (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?').run(flip(leafOf(db, SPLIT), 30), SPLIT),
  'flip-leaf-250': (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 250').run(flip(leafOf(db, 250), 30)),
  'flip-leaf-last': (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?').run(flip(leafOf(db, SIZE - 1), 12), SIZE - 1),
  'rehash-edited-leaf-200': (db) => {
    const leaf = flip(leafOf(db, 200), 200);
    db.prepare('UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE idx = 200').run(leaf, leafHash(leaf));
  },
  'not-json-leaf-150': (db) => {
    const leaf = Buffer.from('{"v":1,');
    db.prepare('UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE idx = 150').run(leaf, leafHash(leaf));
  },
  'edit-column-20': (db) => db.prepare("UPDATE ledger_entries SET agent = 'x' WHERE idx = 20").run(),
  'edit-column-180': (db) => db.prepare("UPDATE ledger_entries SET session = NULL WHERE idx = 180").run(),
  'delete-50': (db) => db.prepare('DELETE FROM ledger_entries WHERE idx = 50').run(),
  [`delete-${SPLIT} (first of the worker)`]: (db) => db.prepare('DELETE FROM ledger_entries WHERE idx = ?').run(SPLIT),
  'delete-120-to-127 (a whole page)': (db) => db.prepare('DELETE FROM ledger_entries WHERE idx BETWEEN 120 AND 127').run(),
  'truncate-at-100': (db) => db.prepare('DELETE FROM ledger_entries WHERE idx >= 100').run(),
  'flip-node-level-1-in-worker-range': (db) => {
    const row = db.prepare('SELECT hash FROM ledger_nodes WHERE level = 1 AND idx = 60').get() as { hash: Buffer };
    db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = 1 AND idx = 60').run(flip(row.hash, 0));
  },
  'delete-node-level-3': (db) => db.prepare('DELETE FROM ledger_nodes WHERE level = 3 AND idx = 20').run(),
  'node-and-leaf (node first)': (db) => {
    db.prepare('DELETE FROM ledger_nodes WHERE level = 2 AND idx = 30').run();
    db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 260').run(flip(leafOf(db, 260), 30));
  },
  'leaf-and-node (leaf first)': (db) => {
    db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 90').run(flip(leafOf(db, 90), 30));
    db.prepare('DELETE FROM ledger_nodes WHERE level = 2 AND idx = 40').run();
  },
};

test('the parallel audit reports exactly what the single-threaded one does, intact or tampered', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const base = join(dir, 'base.db');
  const writer = await openLedger({ path: base, checkpointEvery: 10, checkpointIntervalMs: 0 });
  for (let i = 0; i < SIZE; i += 25) await writer.appendMany(Array.from({ length: 25 }, (_, k) => sampleEntry(i + k)));
  await writer.close();
  copyFileSync(join(dir, 'ledger.key'), join(dir, 'base.key'));

  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.db`);
    copyFileSync(base, path);
    const db = new Database(path);
    mutate(db);
    db.close();
    const ledger = await openLedger({ path, readonly: true });
    try {
      assert.equal(ledger.store.filePath, path);
      const sequential = await audit(ledger, ledger.store, false);
      const parallel = await audit(ledger, ledger.store, true);
      assert.deepEqual(parallel, sequential, name);
      assert.equal(sequential.report.ok, name === 'intact', `${name}: ${JSON.stringify(sequential.report.problems)}`);
    } finally {
      await ledger.close();
    }
  }
});

test('a parallel audit whose worker cannot start checks the rest on this thread, with the same report', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'l.db');
  const writer = await openLedger({ path, checkpointEvery: 10, checkpointIntervalMs: 0 });
  await writer.appendMany(Array.from({ length: 100 }, (_, k) => sampleEntry(k)));
  await writer.close();
  const db = new Database(path);
  db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 77').run(flip(leafOf(db, 77), 30));
  db.close();
  const ledger = await openLedger({ path, readonly: true });
  t.after(() => ledger.close());
  // the same store, but naming a file the worker cannot open
  const broken = new Proxy(ledger.store, { get: (target, key) => (key === 'filePath' ? join(dir, 'missing', 'nowhere.db') : Reflect.get(target, key, target)) });
  const sequential = await audit(ledger, ledger.store, false);
  const parallel = await audit(ledger, broken, true);
  assert.deepEqual(parallel, sequential);
  assert.equal(sequential.report.firstBadIndex, 77);
});
