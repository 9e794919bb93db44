import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteApprovalStore } from '../../src/store/sqlite/approvals-store.ts';
import { runCli } from '../helpers/cli.ts';
import { mergeRequest, serviceOn } from './helpers.ts';

test('gatehouse approvals: list, show, approve and deny against the database; waiters see CLI decisions', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-approvals-'));
  const path = join(dir, 'g.db');
  const db = openSqlite(path);
  try {
    const service = serviceOn(db, { pollIntervalMs: 25 });
    const a = await service.request({ ...mergeRequest, approvers: ['alice'] });
    const b = await service.request({ ...mergeRequest, tool: 'delete_branch' });

    let r = await runCli(['approvals', 'list', '--db', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout);
    assert.deepEqual(listed.approvals.map((x: { id: string }) => x.id).sort(), [a.id, b.id].sort());

    r = await runCli(['approvals', 'show', a.id], { env: { GATEHOUSE_DB: path } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /status:\s+pending/);
    assert.match(r.stdout, /github\/merge_pull_request/);
    assert.match(r.stdout, /"repo": "acme\/api"/);

    const waiting = service.waitForDecision(a.id);
    r = await runCli(['approvals', 'approve', a.id, '--by', 'mallory', '--db', path, '--json']);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'FORBIDDEN');
    r = await runCli(['approvals', 'approve', a.id, '--by', 'alice', '--reason', 'release day', '--db', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).approval.status, 'approved');
    const released = await waiting;
    assert.deepEqual([released.status, released.decidedBy, released.reason], ['approved', 'alice', 'release day']);

    r = await runCli(['approvals', 'approve', a.id, '--db', path, '--json']);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'CONFLICT');

    r = await runCli(['approvals', 'deny', b.id, '--db', path]);
    assert.equal(r.code, 2, 'deny without --reason is a usage error');
    r = await runCli(['approvals', 'deny', b.id, '--reason', 'never on prod', '--db', path]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /denied .* by cli:/);

    r = await runCli(['approvals', 'list', '--status', 'pending', '--db', path, '--json']);
    assert.deepEqual(JSON.parse(r.stdout).approvals, []);

    // the CLI's decisions are in the transition log, waiting for the Governor to drain them into the ledger
    const log = await new SqliteApprovalStore(db).undrainedTransitions();
    assert.deepEqual(
      log.filter((t) => t.from !== null).map((t) => [t.approvalId, t.to, t.by]),
      [
        [a.id, 'approved', 'alice'],
        [b.id, 'denied', log.find((t) => t.to === 'denied')!.by],
      ],
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gatehouse approvals: unknown id, bad status and a missing database are usage errors', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-approvals-'));
  const path = join(dir, 'g.db');
  try {
    let r = await runCli(['approvals', 'list', '--db', path, '--json']);
    assert.equal(r.code, 2);
    assert.match(JSON.parse(r.stdout).error.message, /no Gatehouse database/);
    openSqlite(path).close();
    r = await runCli(['approvals', 'show', '00000000-0000-4000-8000-000000000000', '--db', path, '--json']);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'NOT_FOUND');
    r = await runCli(['approvals', 'list', '--status', 'maybe', '--db', path]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown status "maybe"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
