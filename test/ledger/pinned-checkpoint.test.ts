import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { checkPinnedCheckpoint } from '../../src/ledger/service/pinned-checkpoint.ts';
import { runCli } from '../helpers/cli.ts';
import { sampleEntry, tempDir } from './helpers.ts';

async function appendEntries(db: string, from: number, count: number): Promise<void> {
  const ledger = await openLedger({ path: db, checkpointEvery: 10, checkpointIntervalMs: 0 });
  for (let i = from; i < from + count; i++) await ledger.append(sampleEntry(i));
  await ledger.checkpoint();
  await ledger.close();
}

function restore(snapshot: string, db: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(db + suffix, { force: true });
  copyFileSync(snapshot, db);
}

type Report = { ok: boolean; size: number; firstBadIndex?: number; pinnedCheckpoints?: number; problems: Array<{ kind: string; message: string }> };

test('audit verify --checkpoint catches a rollback that a database-only audit cannot see', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'gatehouse.db');
  await appendEntries(db, 0, 20);
  assert.ok(!existsSync(db + '-wal') || readFileSync(db + '-wal').length === 0, 'closing checkpoints the WAL into the db file');
  copyFileSync(db, join(dir, 'at-20.db'));
  await appendEntries(db, 20, 20);

  const saved = await runCli(['audit', 'checkpoint', '--db', db, '--out', join(dir, 'cp-40.txt'), '--json']);
  assert.equal(saved.code, 0, saved.stderr);
  const doc = JSON.parse(saved.stdout) as { size: number; note: string };
  assert.equal(doc.size, 40);
  assert.equal(readFileSync(join(dir, 'cp-40.txt'), 'utf8'), doc.note);
  const printed = await runCli(['audit', 'checkpoint', '--db', db]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout, doc.note, 'without --out the note itself is printed');

  const intact = await runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'cp-40.txt'), '--json']);
  assert.equal(intact.code, 0, intact.stdout);
  assert.equal((JSON.parse(intact.stdout) as Report).pinnedCheckpoints, 1);

  // Roll the log back to its state at 20 entries: a consistent, validly signed smaller log.
  restore(join(dir, 'at-20.db'), db);
  const blind = await runCli(['audit', 'verify', '--db', db, '--json']);
  assert.equal(blind.code, 0, 'the database alone looks intact: this is the gap a pinned checkpoint closes');
  const caught = await runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'cp-40.txt'), '--json']);
  assert.equal(caught.code, 1, caught.stdout + caught.stderr);
  const report = JSON.parse(caught.stdout) as Report;
  assert.equal(report.firstBadIndex, 20);
  assert.equal(report.problems[0]!.kind, 'truncated');
  assert.match(report.problems[0]!.message, /cp-40\.txt \(size 40\).*holds 20 entries/);
  const human = await runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'cp-40.txt')]);
  assert.equal(human.code, 1);
  assert.match(human.stdout, /TAMPERED: first bad index 20/);

  // A fork: the same key re-grows the log to 40 with other entries.
  await appendEntries(db, 100, 20);
  const forked = await runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'cp-40.txt'), '--json']);
  assert.equal(forked.code, 1, forked.stdout);
  assert.equal((JSON.parse(forked.stdout) as Report).problems[0]!.kind, 'checkpoint_root');

  const usage = await Promise.all([
    runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'missing.txt')]),
    runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'cp-40.txt'), '--key', 'not a key']),
    runCli(['audit', 'verify', '--bundle', join(dir, 'cp-40.txt'), '--checkpoint', join(dir, 'cp-40.txt')]),
  ]);
  for (const r of usage) assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(usage[0]!.stderr, /cannot read checkpoint .*missing\.txt/);
  assert.match(usage[1]!.stderr, /--key is not a signed-note verifier key/);
});

test('a pinned checkpoint must be signed by this log, for this origin', async (t) => {
  const dir = tempDir(t);
  const mine = await openLedger({ path: join(dir, 'mine.db'), checkpointIntervalMs: 0, writerThread: false });
  const other = await openLedger({ path: join(tempDir(t), 'other.db'), checkpointIntervalMs: 0, writerThread: false, origin: 'other.example/log' });
  t.after(async () => {
    await mine.close();
    await other.close();
  });
  for (let i = 0; i < 5; i++) {
    await mine.append(sampleEntry(i));
    await other.append(sampleEntry(i));
  }
  const own = await mine.checkpoint();
  const foreign = await other.checkpoint();

  assert.equal(await checkPinnedCheckpoint(mine, mine.verifier, { source: 'own', note: own.note }, 5), undefined);
  const wrongLog = await checkPinnedCheckpoint(mine, mine.verifier, { source: 'foreign', note: foreign.note }, 5);
  assert.equal(wrongLog?.kind, 'checkpoint_signature');
  assert.match(wrongLog!.message, /pinned checkpoint foreign:/);
  const edited = own.note.replace(`\n5\n`, '\n4\n');
  assert.equal((await checkPinnedCheckpoint(mine, mine.verifier, { source: 'edited', note: edited }, 5))?.kind, 'checkpoint_signature');
  const garbage = await checkPinnedCheckpoint(mine, mine.verifier, { source: 'garbage', note: 'not a note' }, 5);
  assert.equal(garbage?.kind, 'checkpoint_signature');
});
