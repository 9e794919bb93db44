import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { SqliteLimitsStore } from '../../src/store/sqlite/limits-store.ts';
import { limitsStoreContract } from './limits.contract.ts';

limitsStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-limits-'));
  const path = join(dir, 'g.db');
  let db: SqliteDatabase = openSqlite(path);
  return {
    store: new SqliteLimitsStore(db),
    reopen() {
      db.close();
      db = openSqlite(path);
      return new SqliteLimitsStore(db);
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
