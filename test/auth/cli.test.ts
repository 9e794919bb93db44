import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteApiKeyStore } from '../../src/store/sqlite/apikeys-store.ts';
import { ApiKeyService } from '../../src/auth/index.ts';
import { runCli } from '../helpers/cli.ts';

test('gatehouse keys: create prints the token once, list hides secrets, revoke disables the key', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-keys-'));
  const path = join(dir, 'nested', 'g.db');
  try {
    let r = await runCli(['keys', 'create', '--tenant', 'acme', '--role', 'agent', '--agent', 'release-bot', '--name', 'bot', '--db', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const created = JSON.parse(r.stdout);
    assert.match(created.token, /^gh_[0-9a-f]{16}_/);
    assert.deepEqual([created.key.tenant, created.key.role, created.key.agent, created.key.name], ['acme', 'agent', 'release-bot', 'bot']);

    r = await runCli(['keys', 'create', '--tenant', 'acme', '--role', 'approver', '--db', path]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^gh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/, 'human mode: only the token on stdout');
    assert.match(r.stderr, /shown only once/);

    r = await runCli(['keys', 'create', '--tenant', 'acme', '--role', 'agent', '--db', path, '--json']);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'INPUT_INVALID');
    r = await runCli(['keys', 'create', '--tenant', 'acme', '--role', 'root', '--db', path]);
    assert.equal(r.code, 2);

    r = await runCli(['keys', 'list', '--db', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).keys.length, 2);
    assert.equal(r.stdout.includes(created.token.slice(20)), false);
    assert.equal(r.stdout.includes('secretHash'), false);

    r = await runCli(['keys', 'revoke', created.key.id, '--db', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).key.revokedAt);
    r = await runCli(['keys', 'revoke', 'ffffffffffffffff', '--db', path]);
    assert.equal(r.code, 2);

    const db = openSqlite(path);
    try {
      await assert.rejects(new ApiKeyService(new SqliteApiKeyStore(db)).authenticate(created.token), { code: 'UNAUTHORIZED' });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
