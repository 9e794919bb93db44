import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { SqliteLedgerStore } from '../../src/store/sqlite/ledger-store.ts';
import { auditLedger } from '../../src/ledger/service/audit.ts';
import { CompactRange } from '../../src/ledger/compact-range.ts';
import { leafHash } from '../../src/ledger/hash.ts';
import { mulberry32 } from '../helpers/random.ts';
import { auditLedgerV1 } from './reference/audit-v1.ts';
import { sampleEntry, tempDir } from './helpers.ts';

// The audit reads entries as text and checks the tree in batches, replaying a run leaf by leaf
// when it differs; its reports must be those of the audit before that (reference/audit-v1.ts),
// whatever was edited, on one thread or two.

const SIZE = 700;
const CASES = 90;
type Db = Database.Database;
type Mutation = (db: Db, rnd: () => number) => string;

const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);
/** A stored entry's index (an earlier edit may have deleted some). */
function pickEntry(db: Db, rnd: () => number): number {
  const ids = (db.prepare('SELECT idx FROM ledger_entries ORDER BY idx').all() as Array<{ idx: number }>).map((r) => r.idx);
  return ids[int(rnd, ids.length)] ?? 0;
}
const leafOf = (db: Db, i: number) => (db.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').get(i) as { leaf: Buffer } | undefined)?.leaf ?? Buffer.from('{}');
const setLeaf = (db: Db, i: number, leaf: Buffer | string, rehash: boolean) =>
  rehash
    ? db.prepare('UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE idx = ?').run(leaf, leafHash(Buffer.from(leaf)), i)
    : db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?').run(leaf, i);
const nodeLevels = (db: Db) => (db.prepare('SELECT DISTINCT level FROM ledger_nodes').all() as Array<{ level: number }>).map((r) => r.level);
function randomNode(db: Db, rnd: () => number): { level: number; idx: number; hash: Buffer } {
  const levels = nodeLevels(db);
  const level = levels[int(rnd, levels.length)]!;
  const rows = db.prepare('SELECT idx, hash FROM ledger_nodes WHERE level = ? ORDER BY idx').all(level) as Array<{ idx: number; hash: Buffer }>;
  return { level, ...rows[int(rnd, rows.length)]! };
}

/** Recomputes every stored interior node from the stored leaf hashes: only the signed roots can tell. */
function rebuildNodes(db: Db): void {
  const tree = new CompactRange();
  const ins = db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)');
  db.prepare('DELETE FROM ledger_nodes').run();
  for (const r of db.prepare('SELECT leaf_hash FROM ledger_entries ORDER BY idx').all() as Array<{ leaf_hash: Buffer }>) {
    tree.append(r.leaf_hash, (n) => ins.run(n.level, n.index, n.hash));
  }
}

const MUTATIONS: Mutation[] = [
  (db, rnd) => {
    const i = pickEntry(db, rnd);
    const leaf = Buffer.from(leafOf(db, i));
    const at = int(rnd, leaf.length);
    leaf[at] = leaf[at]! ^ (1 << int(rnd, 8));
    const rehash = rnd() < 0.5;
    setLeaf(db, i, leaf, rehash);
    return `flip leaf ${i} byte ${at}${rehash ? ', rehashed' : ''}`;
  },
  (db, rnd) => {
    const i = pickEntry(db, rnd);
    const leaf = leafOf(db, i);
    const at = 1 + int(rnd, leaf.length - 2);
    const bad = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0]), Buffer.from('\ufffd'), Buffer.from('\ufeff')][int(rnd, 6)]!;
    setLeaf(db, i, Buffer.concat([leaf.subarray(0, at), bad, leaf.subarray(at)]), rnd() < 0.8);
    return `insert ${bad.toString('hex')} into leaf ${i} at ${at}`;
  },
  (db, rnd) => {
    // bytes that are not in a JSON string: U+FFFD or invalid UTF-8 inside a value, same columns
    const i = pickEntry(db, rnd);
    const text = leafOf(db, i).toString('utf8');
    const edited = rnd() < 0.5 ? text.replace('"reason":"', '"reason":"\ufffd') : text.replace('"reason":"', '"reason":"\u00e9');
    const bytes = Buffer.from(edited);
    if (rnd() < 0.5) {
      const at = bytes.indexOf(Buffer.from('\u00e9'));
      if (at >= 0) bytes[at + 1] = 0x28; // an invalid continuation byte
    }
    setLeaf(db, i, bytes, true);
    return `odd text in leaf ${i}`;
  },
  (db, rnd) => {
    const i = pickEntry(db, rnd);
    const leaf = leafOf(db, i);
    const asText = rnd() < 0.5;
    if (asText) db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?').run(leaf.toString('utf8'), i);
    else db.prepare('UPDATE ledger_entries SET leaf_hash = ? WHERE idx = ?').run(rnd() < 0.5 ? leafHash(leaf).subarray(0, 31) : Buffer.from(leafHash(leaf)).toString('hex'), i);
    return `leaf ${i} ${asText ? 'leaf stored as text' : 'leaf hash of another type or length'}`;
  },
  (db, rnd) => {
    const i = int(rnd, SIZE);
    const column = ['action_id', 'time', 'tenant', 'agent', 'session', 'kind'][int(rnd, 6)]!;
    const value = [null, 'x', 7, Buffer.from('agent-1'), 'agent-1', 's-0', 'decision'][int(rnd, 7)];
    try {
      db.prepare(`UPDATE ledger_entries SET ${column} = ? WHERE idx = ?`).run(value, i);
    } catch {
      return `column ${column} of ${i} unchanged (constraint)`;
    }
    return `column ${column} of ${i} = ${String(value)}`;
  },
  (db, rnd) => {
    const i = int(rnd, SIZE);
    const n = rnd() < 0.7 ? 1 : 1 + int(rnd, 20);
    db.prepare('DELETE FROM ledger_entries WHERE idx >= ? AND idx < ?').run(i, i + n);
    return `delete entries ${i}..${i + n - 1}`;
  },
  (db, rnd) => {
    const a = pickEntry(db, rnd);
    const b = pickEntry(db, rnd);
    const get = db.prepare('SELECT * FROM ledger_entries WHERE idx = ?');
    const ra = get.get(a) as Record<string, unknown>;
    const rb = get.get(b) as Record<string, unknown>;
    db.prepare('DELETE FROM ledger_entries WHERE idx IN (?, ?)').run(a, b);
    const ins = db.prepare('INSERT INTO ledger_entries (idx, action_id, time, tenant, agent, session, kind, leaf, leaf_hash) VALUES (@idx, @action_id, @time, @tenant, @agent, @session, @kind, @leaf, @leaf_hash)');
    ins.run({ ...rb, idx: a });
    if (a !== b) ins.run({ ...ra, idx: b });
    return `swap entries ${a} and ${b}`;
  },
  (db, rnd) => {
    const n = randomNode(db, rnd);
    const hash = Buffer.from(n.hash);
    const at = int(rnd, 32);
    hash[at] = hash[at]! ^ (1 << int(rnd, 8));
    db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?').run(hash, n.level, n.idx);
    return `flip node ${n.level}/${n.idx}`;
  },
  (db, rnd) => {
    const n = randomNode(db, rnd);
    db.prepare('DELETE FROM ledger_nodes WHERE level = ? AND idx = ?').run(n.level, n.idx);
    return `delete node ${n.level}/${n.idx}`;
  },
  (db, rnd) => {
    const n = randomNode(db, rnd);
    const kind = int(rnd, 5);
    const set = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
    if (kind === 0) set('UPDATE ledger_nodes SET idx = idx + 0.5 WHERE level = ? AND idx = ?', n.level, n.idx);
    else if (kind === 1) set('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)', n.level, n.idx + 0.5, n.hash);
    else if (kind === 2) set("INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, 'x', ?)", n.level, n.hash);
    else if (kind === 3) set('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?', n.hash.toString('latin1'), n.level, n.idx);
    else set('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?', Buffer.concat([n.hash, Buffer.from([0])]), n.level, n.idx);
    return `odd node row ${kind} at ${n.level}/${n.idx}`;
  },
  (db, rnd) => {
    const a = randomNode(db, rnd);
    const b = db.prepare('SELECT idx, hash FROM ledger_nodes WHERE level = ? AND idx = ?').get(a.level, a.idx + 1) as { idx: number; hash: Buffer } | undefined;
    if (!b) return 'no swap';
    db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?').run(b.hash, a.level, a.idx);
    db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?').run(a.hash, a.level, b.idx);
    return `swap nodes ${a.level}/${a.idx} and ${a.idx + 1}`;
  },
  (db, rnd) => {
    db.prepare('INSERT OR IGNORE INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)').run(1 + int(rnd, 12), int(rnd, 400), Buffer.alloc(32, 9));
    return 'extra node';
  },
  (db, rnd) => {
    // an edit that rehashes the whole tree: only the signed checkpoint roots show it
    const i = pickEntry(db, rnd);
    const leaf = Buffer.from(leafOf(db, i).toString('utf8').replace('"reason":"', '"reason":"!'));
    setLeaf(db, i, leaf, true);
    rebuildNodes(db);
    return `edit leaf ${i} and rebuild every node`;
  },
  (db, rnd) => {
    const i = int(rnd, SIZE);
    db.prepare('DELETE FROM ledger_entries WHERE idx >= ?').run(i);
    if (rnd() < 0.5) rebuildNodes(db);
    return `truncate at ${i}`;
  },
];

test('the audit reports exactly what the audit before batching did, on many generated edits', { timeout: 600_000 }, async (t) => {
  const dir = tempDir(t);
  const base = join(dir, 'base.db');
  const writer = await openLedger({ path: base, checkpointEvery: 50, checkpointIntervalMs: 0 });
  const chunks = mulberry32(7);
  for (let i = 0; i < SIZE; ) {
    const n = Math.min(SIZE - i, 1 + Math.floor(chunks() * 40));
    await writer.appendMany(Array.from({ length: n }, (_, k) => sampleEntry(i + k)));
    i += n;
  }
  const log = { origin: writer.origin, vkey: writer.vkey, verifier: writer.verifier };
  await writer.close();

  // the store itself, not a ledger: opening a ledger refuses a log whose frontier nodes are gone
  const audit = async (store: SqliteLedgerStore, page: number, which: 'v1' | 'sequential' | 'parallel') => {
    const progress: number[] = [];
    const options = {
      ...log,
      pageSize: page,
      parallelMinEntries: which === 'parallel' ? 1 : Infinity,
      onProgress: (done: number) => progress.push(done),
    };
    const { durationMs: _, ...report } = which === 'v1' ? await auditLedgerV1(store, options) : await auditLedger(store, options);
    return { report, progress: which === 'parallel' ? [] : progress };
  };

  // with pages of 8 rows this thread checks [0, 280) of the 700 entries, the worker the rest
  const AT_SPLIT: Array<(db: Db) => string> = [279, 280, 281].flatMap((i) => [
    (db: Db) => (setLeaf(db, i, Buffer.from(leafOf(db, i).toString('utf8').replace('"reason":"', '"reason":"?')), true), `edit leaf ${i}`),
    (db: Db) => (db.prepare('DELETE FROM ledger_entries WHERE idx = ?').run(i), `delete entry ${i}`),
    (db: Db) => (db.prepare('DELETE FROM ledger_nodes WHERE level = 1 AND idx = ?').run(Math.floor(i / 2)), `delete node 1/${Math.floor(i / 2)}`),
  ]);

  const kinds = new Set<string>();
  for (let c = 0; c < CASES + AT_SPLIT.length; c++) {
    const rnd = mulberry32(1000 + c);
    const path = join(dir, `case-${c}.db`);
    copyFileSync(base, path);
    const db = new Database(path);
    const what: string[] = [];
    if (c >= CASES) what.push(AT_SPLIT[c - CASES]!(db));
    const n = c >= CASES ? 0 : rnd() < 0.2 ? 0 : rnd() < 0.7 ? 1 : 2;
    for (let m = 0; m < n; m++) what.push(MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!(db, rnd));
    db.close();
    const page = c >= CASES ? 8 : [8, 16, 64, 1024][c % 4]!;
    const store = SqliteLedgerStore.open(path, { readonly: true });
    try {
      const name = `case ${c} (page ${page}): ${what.join('; ') || 'intact'}`;
      const expected = await audit(store, page, 'v1');
      assert.deepEqual(await audit(store, page, 'sequential'), expected, name);
      if (c % 5 === 0 || c >= CASES) assert.deepEqual((await audit(store, page, 'parallel')).report, expected.report, `${name}, parallel`);
      for (const p of expected.report.problems) kinds.add(p.kind);
    } finally {
      await store.close();
    }
  }
  t.diagnostic(`problem kinds seen: ${[...kinds].sort().join(', ')}`);
  for (const kind of ['leaf_hash', 'leaf_format', 'entry_column', 'missing_entry', 'node', 'checkpoint_root', 'extra_nodes', 'truncated']) {
    assert.ok(kinds.has(kind), `no case produced ${kind}`);
  }
});
