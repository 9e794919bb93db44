import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { generateSignerKey, noteSigner } from '../../src/ledger/keys.ts';
import { leafHash } from '../../src/ledger/hash.ts';
import { runCli } from '../helpers/cli.ts';
import { sampleEntry, tempDir } from './helpers.ts';

interface Report {
  ok: boolean;
  firstBadIndex?: number;
  problems: Array<{ kind: string; index?: number; message: string }>;
}

async function makeLog(dir: string): Promise<string> {
  const path = join(dir, 'base.db');
  const ledger = await openLedger({ path, checkpointEvery: 10, checkpointIntervalMs: 0 });
  for (let i = 0; i < 40; i++) await ledger.append(sampleEntry(i));
  await ledger.close();
  return path;
}

async function tamper(dir: string, base: string, name: string, mutate: (db: Database.Database) => void): Promise<{ code: number | null; report: Report; stdout: string }> {
  const path = join(dir, `${name}.db`);
  copyFileSync(base, path);
  copyFileSync(join(dir, 'ledger.key'), join(dir, `${name}.key`));
  const db = new Database(path);
  mutate(db);
  db.close();
  const r = await runCli(['audit', 'verify', '--db', path, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stdout: r.stdout + r.stderr };
}

function flip(buf: Buffer, at: number): Buffer {
  const out = Buffer.from(buf);
  out[at] = out[at]! ^ 0x01;
  return out;
}

test('audit verify detects every kind of tampering and names the first bad index', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const base = await makeLog(dir);
  const leafOf = (db: Database.Database, i: number) => (db.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').get(i) as { leaf: Buffer }).leaf;

  const intact = await runCli(['audit', 'verify', '--db', base, '--json']);
  assert.equal(intact.code, 0, intact.stdout + intact.stderr);
  assert.equal((JSON.parse(intact.stdout) as Report).ok, true);

  const cases: Array<[string, (db: Database.Database) => void, (r: Report) => void]> = [
    ['flip-byte-first', (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 0').run(flip(leafOf(db, 0), 30)), (r) => {
      assert.equal(r.firstBadIndex, 0);
      assert.equal(r.problems[0]!.kind, 'leaf_hash');
    }],
    ['flip-byte-middle', (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 17').run(flip(leafOf(db, 17), 100)), (r) => assert.equal(r.firstBadIndex, 17)],
    ['flip-byte-last', (db) => db.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = 39').run(flip(leafOf(db, 39), 12)), (r) => assert.equal(r.firstBadIndex, 39)],
    ['flip-byte-and-rehash', (db) => {
      const leaf = flip(leafOf(db, 22), 200);
      db.prepare('UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE idx = 22').run(leaf, leafHash(leaf));
    }, (r) => {
      assert.ok(r.firstBadIndex !== undefined && r.firstBadIndex <= 22, JSON.stringify(r));
    }],
    ['flip-node', (db) => {
      const row = db.prepare('SELECT hash FROM ledger_nodes WHERE level = 2 AND idx = 3').get() as { hash: Buffer };
      db.prepare('UPDATE ledger_nodes SET hash = ? WHERE level = 2 AND idx = 3').run(flip(row.hash, 0));
    }, (r) => {
      assert.equal(r.firstBadIndex, 12);
      assert.equal(r.problems[0]!.kind, 'node');
    }],
    ['delete', (db) => db.prepare('DELETE FROM ledger_entries WHERE idx = 23').run(), (r) => {
      assert.equal(r.firstBadIndex, 23);
      assert.equal(r.problems.find((p) => p.index === 23)!.kind, 'missing_entry');
    }],
    ['reorder', (db) => {
      const a = db.prepare('SELECT * FROM ledger_entries WHERE idx = 5').get() as Record<string, unknown>;
      const b = db.prepare('SELECT * FROM ledger_entries WHERE idx = 6').get() as Record<string, unknown>;
      db.prepare('DELETE FROM ledger_entries WHERE idx IN (5, 6)').run();
      const ins = db.prepare('INSERT INTO ledger_entries (idx, action_id, time, tenant, agent, session, kind, leaf, leaf_hash) VALUES (@idx, @action_id, @time, @tenant, @agent, @session, @kind, @leaf, @leaf_hash)');
      ins.run({ ...b, idx: 5 });
      ins.run({ ...a, idx: 6 });
    }, (r) => {
      assert.equal(r.firstBadIndex, 5);
      assert.match(r.problems[0]!.message, /index 6 but is stored at index 5/);
    }],
    ['truncate', (db) => db.prepare('DELETE FROM ledger_entries WHERE idx >= 30').run(), (r) => {
      assert.equal(r.firstBadIndex, 30);
      assert.ok(r.problems.some((p) => p.kind === 'truncated'));
    }],
    ['truncate-everything', (db) => {
      db.prepare('DELETE FROM ledger_entries').run();
      db.prepare('DELETE FROM ledger_nodes').run();
    }, (r) => assert.ok(r.problems.some((p) => p.kind === 'truncated'))],
    ['replace-checkpoint-signature', (db) => {
      const cp = db.prepare('SELECT size, note FROM ledger_checkpoints WHERE size = 20').get() as { size: number; note: string };
      const text = cp.note.slice(0, cp.note.indexOf('\n\n') + 1);
      // a signature by another key under the log's name and key ID, so the verifier must check it
      const forged = noteSigner(generateSignerKey(cp.note.split('\n')[0]!)).sign(text);
      const realKeyId = Buffer.from(cp.note.trimEnd().split(' ').pop()!, 'base64').subarray(0, 4);
      const line = `\u2014 ${forged.name} ${Buffer.concat([realKeyId, forged.signature]).toString('base64')}\n`;
      db.prepare('UPDATE ledger_checkpoints SET note = ? WHERE size = 20').run(text + '\n' + line);
    }, (r) => {
      const p = r.problems.find((x) => x.kind === 'checkpoint_signature');
      assert.ok(p, JSON.stringify(r));
      assert.match(p.message, /size 20: invalid signature/);
    }],
    ['edit-checkpoint-root', (db) => {
      const cp = db.prepare('SELECT note FROM ledger_checkpoints WHERE size = 30').get() as { note: string };
      const lines = cp.note.split('\n');
      lines[2] = Buffer.alloc(32, 7).toString('base64');
      db.prepare('UPDATE ledger_checkpoints SET note = ? WHERE size = 30').run(lines.join('\n'));
    }, (r) => assert.ok(r.problems.some((p) => p.kind === 'checkpoint_signature'))],
    ['edit-indexed-column', (db) => db.prepare("UPDATE ledger_entries SET agent = 'someone-else' WHERE idx = 8").run(), (r) => {
      assert.equal(r.firstBadIndex, 8);
      assert.equal(r.problems[0]!.kind, 'entry_column');
    }],
  ];
  // CLI runs are mostly process start-up: run a few at a time
  const results: Array<Awaited<ReturnType<typeof tamper>>> = [];
  for (let i = 0; i < cases.length; i += 4) {
    results.push(...(await Promise.all(cases.slice(i, i + 4).map(([name, mutate]) => tamper(dir, base, name, mutate)))));
  }
  cases.forEach(([name, , expect], i) => {
    const { code, report, stdout } = results[i]!;
    assert.equal(code, 1, `${name}: exit code\n${stdout}`);
    assert.equal(report.ok, false, name);
    expect(report);
  });
  t.diagnostic(`${cases.length} tamper scenarios detected`);

  // human output names the index too
  const human = await runCli(['audit', 'verify', '--db', join(dir, 'delete.db')]);
  assert.equal(human.code, 1);
  assert.match(human.stdout, /TAMPERED: first bad index 23/);
});
