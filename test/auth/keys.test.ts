import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteApiKeyStore } from '../../src/store/sqlite/apikeys-store.ts';
import { ApiKeyService, authorize, can, PERMISSIONS, ROLE_PERMISSIONS, type Principal } from '../../src/auth/index.ts';

function setup() {
  const db = openSqlite(':memory:');
  const store = new SqliteApiKeyStore(db);
  return { db, store, keys: new ApiKeyService(store) };
}

test('createKey returns the token once; only the SHA-256 of the secret is stored', async () => {
  const { db, store, keys } = setup();
  const { key, token } = await keys.createKey({ tenant: 'acme', role: 'approver', name: 'alice' });
  assert.match(token, /^gh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  assert.equal(token.slice(3, 19), key.id);
  assert.equal('secretHash' in key, false);
  const secret = token.slice(20);
  const stored = await store.get(key.id);
  assert.equal(stored?.secretHash, createHash('sha256').update(secret).digest('hex'));
  const dump = JSON.stringify(db.prepare('SELECT * FROM apikeys_keys').all());
  assert.equal(dump.includes(secret), false, 'the plaintext secret is nowhere in the table');
});

test('authenticate: the right token gives the principal; anything else is UNAUTHORIZED', async () => {
  const { keys } = setup();
  const { key, token } = await keys.createKey({ tenant: 'acme', role: 'agent', agent: 'release-bot', name: 'bot' });
  const expected: Principal = { keyId: key.id, tenant: 'acme', role: 'agent', agent: 'release-bot', name: 'bot' };
  assert.deepEqual(await keys.authenticate(token), expected);
  assert.deepEqual(await keys.authenticate(`Bearer ${token}`), expected);
  const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  const otherId = 'gh_' + '0'.repeat(16) + token.slice(19);
  for (const bad of [undefined, '', 'Bearer', flipped, otherId, token + 'x', token.replace('gh_', 'gk_'), `Basic ${token}`]) {
    await assert.rejects(keys.authenticate(bad), { code: 'UNAUTHORIZED' }, String(bad));
  }
  await keys.revoke(key.id);
  await assert.rejects(keys.authenticate(token), { code: 'UNAUTHORIZED' });
});

test('createKey validates role and agent binding', async () => {
  const { keys } = setup();
  await assert.rejects(keys.createKey({ tenant: 'acme', role: 'agent' }), { code: 'INPUT_INVALID' });
  await assert.rejects(keys.createKey({ tenant: 'acme', role: 'admin', agent: 'x' }), { code: 'INPUT_INVALID' });
  await assert.rejects(keys.createKey({ tenant: 'acme', role: 'root' as 'admin' }), { code: 'INPUT_INVALID' });
  await assert.rejects(keys.createKey({ tenant: ' ', role: 'admin' }), { code: 'INPUT_INVALID' });
  // an approver key named with 300 characters was created, then could decide nothing (by is at most 256)
  await assert.rejects(keys.createKey({ tenant: 'acme', role: 'approver', name: 'n'.repeat(300) }), { code: 'INPUT_INVALID', message: /at most 256/ });
  assert.deepEqual(await keys.list(), []);
});

test('list hides hashes and revoked keys; revoke of an unknown id is NOT_FOUND', async () => {
  const { keys } = setup();
  const a = await keys.createKey({ tenant: 'acme', role: 'admin' });
  const b = await keys.createKey({ tenant: 'acme', role: 'auditor' });
  await keys.revoke(b.key.id);
  const listed = await keys.list();
  assert.deepEqual(listed.map((k) => k.id), [a.key.id]);
  assert.equal(JSON.stringify(listed).includes('secretHash'), false);
  assert.equal((await keys.list({ includeRevoked: true })).length, 2);
  await assert.rejects(keys.revoke('ffffffffffffffff'), { code: 'NOT_FOUND' });
});

const principal = (role: Principal['role'], agent: string | null = null): Principal => ({ keyId: 'k', tenant: 'acme', role, agent, name: 'n' });

test('role → permission table', () => {
  const table = Object.fromEntries(
    (['agent', 'approver', 'auditor', 'admin'] as const).map((r) => [r, PERMISSIONS.filter((p) => can(principal(r, r === 'agent' ? 'bot' : null), p, { agent: 'bot' }))]),
  );
  assert.deepEqual(table, {
    agent: ['decide', 'after_call', 'approvals.read_own'],
    approver: ['approvals.read_own', 'approvals.read', 'approvals.decide'],
    auditor: ['approvals.read_own', 'approvals.read', 'ledger.read'],
    admin: [...PERMISSIONS],
  });
  assert.deepEqual(ROLE_PERMISSIONS.admin, PERMISSIONS);
});

test('authorize: tenants are walls; an agent key acts only as its own agent', () => {
  const bot = principal('agent', 'bot');
  authorize(bot, 'decide', { tenant: 'acme', agent: 'bot' });
  assert.throws(() => authorize(bot, 'decide', { tenant: 'acme', agent: 'other-bot' }), { code: 'FORBIDDEN', message: /only as agent bot/ });
  assert.throws(() => authorize(bot, 'decide', { tenant: 'acme' }), { code: 'FORBIDDEN' }, 'the agent must be named');
  assert.throws(() => authorize(bot, 'decide', { tenant: 'globex', agent: 'bot' }), { code: 'FORBIDDEN', message: /tenant/ });
  assert.throws(() => authorize(bot, 'approvals.decide', { agent: 'bot' }), { code: 'FORBIDDEN', message: /permission/ });
  assert.throws(() => authorize(principal('admin'), 'admin', { tenant: 'globex' }), { code: 'FORBIDDEN' });
  authorize(principal('approver'), 'approvals.decide', { tenant: 'acme', agent: 'any-bot' });
});
