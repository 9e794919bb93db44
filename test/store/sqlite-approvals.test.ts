import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteApprovalStore } from '../../src/store/sqlite/approvals-store.ts';
import { approvalStoreContract, sampleApproval } from './approvals.contract.ts';

approvalStoreContract('sqlite', () => {
  const db = openSqlite(':memory:');
  return { store: new SqliteApprovalStore(db), close: () => void db.close() };
});

test('sqlite ApprovalStore: requests and the transition log survive closing and reopening the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-approvals-'));
  try {
    const path = join(dir, 'g.db');
    let db = openSqlite(path);
    const rec = sampleApproval();
    await new SqliteApprovalStore(db).create(rec);
    db.close();
    db = openSqlite(path);
    const store = new SqliteApprovalStore(db); // migrations are not re-applied
    assert.deepEqual(await store.get(rec.id), rec);
    assert.equal((await store.undrainedTransitions()).length, 1);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite ApprovalStore: a closed database surfaces as STORE_UNAVAILABLE', async () => {
  const db = openSqlite(':memory:');
  const store = new SqliteApprovalStore(db);
  db.close();
  await assert.rejects(store.get('x'), { code: 'STORE_UNAVAILABLE' });
  await assert.rejects(store.create(sampleApproval()), { code: 'STORE_UNAVAILABLE' });
});
