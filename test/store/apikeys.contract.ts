import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore } from '../../src/store/ports.ts';

export interface ApiKeyStoreHarness {
  store: ApiKeyStore;
  close(): unknown;
}

function sampleKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: randomBytes(8).toString('hex'),
    secretHash: randomBytes(32).toString('hex'),
    tenant: 'acme',
    role: 'approver',
    agent: null,
    name: 'alice laptop',
    createdAt: '2030-01-01T00:00:00.000Z',
    revokedAt: null,
    ...overrides,
  };
}

/** The behaviour every ApiKeyStore implementation must have. */
export function apiKeyStoreContract(name: string, factory: () => Promise<ApiKeyStoreHarness> | ApiKeyStoreHarness): void {
  const withStore = (title: string, body: (store: ApiKeyStore) => Promise<void>) =>
    test(`${name} ApiKeyStore: ${title}`, async () => {
      const h = await factory();
      try {
        await body(h.store);
      } finally {
        await h.close();
      }
    });

  withStore('insert then get returns the record unchanged; unknown ids are null', async (store) => {
    const k = sampleKey({ role: 'agent', agent: 'release-bot' });
    await store.insert(k);
    assert.deepEqual(await store.get(k.id), k);
    assert.equal(await store.get('0000000000000000'), null);
  });

  withStore('a duplicate id is a CONFLICT and does not replace the hash', async (store) => {
    const k = sampleKey();
    await store.insert(k);
    await assert.rejects(store.insert({ ...k, secretHash: 'f'.repeat(64) }), { code: 'CONFLICT' });
    assert.equal((await store.get(k.id))?.secretHash, k.secretHash);
  });

  withStore('list: oldest first, by tenant, revoked keys only on request', async (store) => {
    const a = sampleKey({ createdAt: '2030-01-01T00:00:00.000Z' });
    const b = sampleKey({ createdAt: '2030-01-02T00:00:00.000Z', tenant: 'other', role: 'admin' });
    const c = sampleKey({ createdAt: '2030-01-03T00:00:00.000Z', role: 'auditor' });
    for (const k of [c, a, b]) await store.insert(k);
    await store.revoke(c.id, Date.parse('2030-02-01T00:00:00.000Z'));
    assert.deepEqual((await store.list()).map((k) => k.id), [a.id, b.id]);
    assert.deepEqual((await store.list({ includeRevoked: true })).map((k) => k.id), [a.id, b.id, c.id]);
    assert.deepEqual((await store.list({ tenant: 'acme', includeRevoked: true })).map((k) => k.id), [a.id, c.id]);
  });

  withStore('revoke sets revokedAt once; unknown id is null', async (store) => {
    const k = sampleKey();
    await store.insert(k);
    const r1 = await store.revoke(k.id, Date.parse('2030-02-01T00:00:00.000Z'));
    assert.equal(r1?.revokedAt, '2030-02-01T00:00:00.000Z');
    const r2 = await store.revoke(k.id, Date.parse('2030-03-01T00:00:00.000Z'));
    assert.equal(r2?.revokedAt, '2030-02-01T00:00:00.000Z', 'the first revocation time stands');
    assert.equal(await store.revoke('0000000000000000', Date.now()), null);
  });
}
