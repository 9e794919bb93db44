import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { fromHex } from '../../src/ledger/hash.ts';
import { verifyInclusion } from '../../src/ledger/proof.ts';
import { verifyCosignature } from '../../src/ledger/cosignature.ts';
import { parseVerifierKey } from '../../src/ledger/keys.ts';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { sampleEntry, tempDir } from './helpers.ts';

test('audit prove, show, tail, export, verify --bundle and key from the CLI', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const db = join(dir, '.gatehouse', 'gatehouse.db');
  const ledger = await openLedger({ path: db, checkpointEvery: 1000, checkpointIntervalMs: 0 });
  const acks = [];
  for (let i = 0; i < 12; i++) acks.push(await ledger.append(sampleEntry(i, { time: `2025-03-0${1 + (i % 3)}T10:00:00Z` })));
  await ledger.close();
  const target = acks[7]!;

  const [prove, show, tail, key, bundle, missing] = await Promise.all([
    runCli(['audit', 'prove', target.actionId, '--json'], { cwd: dir }),
    runCli(['audit', 'show', target.actionId, '--json'], { cwd: dir }),
    runCli(['audit', 'tail', '-n', '3', '--json'], { env: { GATEHOUSE_DB: db } }),
    runCli(['audit', 'key'], { cwd: dir }),
    runCli(['audit', 'export', '--db', db, '--session', 's-1', '--from', '2025-03-02T00:00:00Z', '--out', join(dir, 'b.json'), '--json']),
    runCli(['audit', 'show', '00000000-0000-4000-8000-000000000000', '--db', db]),
  ]);
  assert.equal(prove.code, 0, prove.stderr);
  const p = JSON.parse(prove.stdout) as { index: number; treeSize: number; leafHash: string; root: string; proof: string[]; checkpoint: string; verifierKey: string };
  assert.equal(p.index, 7);
  assert.equal(p.leafHash, target.leafHash);
  verifyInclusion(p.index, p.treeSize, fromHex(p.leafHash), p.proof.map(fromHex), fromHex(p.root));
  assert.ok(p.checkpoint.includes(`\n${p.treeSize}\n`));

  assert.equal(show.code, 0, show.stderr);
  assert.equal((JSON.parse(show.stdout) as { entry: { actionId: string } }).entry.actionId, target.actionId);
  assert.equal(tail.code, 0, tail.stderr);
  assert.deepEqual((JSON.parse(tail.stdout) as Array<{ index: number }>).map((r) => r.index), [9, 10, 11]);
  assert.equal(key.code, 0, key.stderr);
  assert.equal(parseVerifierKey(key.stdout.trim()).type, 1);
  assert.equal(key.stdout.trim(), p.verifierKey);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no ledger entry/);

  assert.equal(bundle.code, 0, bundle.stderr);
  assert.equal((JSON.parse(bundle.stdout) as { entries: number }).entries, 4, 'session s-1 (odd i) from March 2nd: i = 1, 5, 7, 11');
  const file = join(dir, 'b.json');
  const good = await runCli(['audit', 'verify', '--bundle', file, '--key', p.verifierKey, '--json']);
  assert.equal(good.code, 0, good.stdout);
  const b = JSON.parse(readFileSync(file, 'utf8')) as { entries: Array<{ leaf: string }> };
  b.entries[1]!.leaf = b.entries[1]!.leaf.replace('"tenant":"acme"', '"tenant":"other"');
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(b));
  const bad = await runCli(['audit', 'verify', '--bundle', join(dir, 'bad.json')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /FAILED/);
});

test('audit witness cosigns from --log-db, then from --checkpoint/--proof files, and refuses a rollback', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const logDb = join(dir, 'log', 'gatehouse.db');
  const log = await openLedger({ path: logDb, checkpointIntervalMs: 0 });
  for (let i = 0; i < 5; i++) await log.append(sampleEntry(i));
  const cp5 = await log.checkpoint();
  const vkey = log.vkey;
  await log.close();
  const wdb = join(dir, 'witness', 'gatehouse.db');
  const first = await runCli(['audit', 'witness', '--log-db', logDb, '--log-key', vkey, '--db', wdb, '--json']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const r1 = JSON.parse(first.stdout) as { size: number; cosignedCheckpoint: string; witnessKey: string };
  assert.equal(r1.size, 5);
  verifyCosignature(r1.cosignedCheckpoint, parseVerifierKey(r1.witnessKey));

  const again = await openLedger({ path: logDb, checkpointIntervalMs: 0 });
  for (let i = 5; i < 13; i++) await again.append(sampleEntry(i));
  const cp13 = await again.checkpoint();
  await again.close();
  writeFileSync(join(dir, 'cp13'), cp13.note);
  writeFileSync(join(dir, 'cp5'), cp5.note);
  const proof = await runCli(['audit', 'prove', '--consistency', '5', '--to', '13', '--db', logDb, '--json']);
  assert.equal(proof.code, 0, proof.stderr);
  // was "no consistency proof from 5 to NaN (size 13)"
  const garbage = await runCli(['audit', 'prove', '--consistency', '5', '--to', 'abc', '--db', logDb]);
  assert.equal(garbage.code, 2);
  assert.match(garbage.stderr, /--to must be a tree size \(a whole number\), not "abc"/);
  writeFileSync(join(dir, 'proof.json'), proof.stdout);
  const second = await runCli(['audit', 'witness', '--checkpoint', join(dir, 'cp13'), '--proof', join(dir, 'proof.json'), '--log-key', vkey, '--db', wdb, '--out', join(dir, 'cosigned'), '--json']);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal((JSON.parse(second.stdout) as { previousSize: number }).previousSize, 5);
  verifyCosignature(readFileSync(join(dir, 'cosigned'), 'utf8'), parseVerifierKey(r1.witnessKey));

  const rollback = await runCli(['audit', 'witness', '--checkpoint', join(dir, 'cp5'), '--log-key', vkey, '--db', wdb]);
  assert.equal(rollback.code, 1);
  assert.match(rollback.stderr, /refusing to cosign/);
});
