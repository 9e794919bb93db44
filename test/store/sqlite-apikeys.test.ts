import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteApiKeyStore } from '../../src/store/sqlite/apikeys-store.ts';
import { apiKeyStoreContract } from './apikeys.contract.ts';

apiKeyStoreContract('sqlite', () => {
  const db = openSqlite(':memory:');
  return { store: new SqliteApiKeyStore(db), close: () => void db.close() };
});

test('sqlite ApiKeyStore: the schema itself refuses an agent key without an agent', () => {
  const db = openSqlite(':memory:');
  new SqliteApiKeyStore(db);
  assert.throws(() =>
    db
      .prepare("INSERT INTO apikeys_keys (id, secret_hash, tenant, role, agent, name, created_at) VALUES ('x','h','t','agent',NULL,'n','2030')")
      .run(),
  );
  db.close();
});
