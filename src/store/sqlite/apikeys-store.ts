import { GatehouseError, errorMessage } from '../../errors.ts';
import type { ApiKeyRecord, ApiKeyStore, Role } from '../ports.ts';
import { migrate, type Migration, type SqliteDatabase } from './database.ts';

export const APIKEYS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'apikeys-001-keys',
    sql: `
      CREATE TABLE apikeys_keys (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        tenant TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('agent','approver','admin','auditor')),
        agent TEXT,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        CHECK (role <> 'agent' OR agent IS NOT NULL)
      );
      CREATE INDEX apikeys_keys_tenant ON apikeys_keys (tenant);
    `,
  },
];

interface Row {
  id: string;
  secret_hash: string;
  tenant: string;
  role: Role;
  agent: string | null;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  secretHash: r.secret_hash,
  tenant: r.tenant,
  role: r.role,
  agent: r.agent,
  name: r.name,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

function guard<T>(what: string, run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    if (error instanceof GatehouseError) return Promise.reject(error);
    return Promise.reject(new GatehouseError('STORE_UNAVAILABLE', `api key store: ${what} failed: ${errorMessage(error)}`, { cause: error }));
  }
}

/** ApiKeyStore over the shared SQLite database (table apikeys_keys). Only secret hashes are stored. */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrate(db, APIKEYS_MIGRATIONS);
  }

  insert(r: ApiKeyRecord): Promise<void> {
    return guard('insert', () => {
      const res = this.#db
        .prepare(
          `INSERT INTO apikeys_keys (id, secret_hash, tenant, role, agent, name, created_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        )
        .run(r.id, r.secretHash, r.tenant, r.role, r.agent, r.name, r.createdAt, r.revokedAt);
      if (res.changes !== 1) throw new GatehouseError('CONFLICT', `api key ${r.id} already exists`);
    });
  }

  get(id: string): Promise<ApiKeyRecord | null> {
    return guard('get', () => {
      const row = this.#db.prepare('SELECT * FROM apikeys_keys WHERE id = ?').get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    });
  }

  list(filter: { tenant?: string; includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    return guard('list', () => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.tenant !== undefined) (where.push('tenant = ?'), args.push(filter.tenant));
      if (!filter.includeRevoked) where.push('revoked_at IS NULL');
      const rows = this.#db
        .prepare(`SELECT * FROM apikeys_keys ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, rowid`)
        .all(...args) as Row[];
      return rows.map(toRecord);
    });
  }

  revoke(id: string, atMs: number): Promise<ApiKeyRecord | null> {
    return guard('revoke', () => {
      this.#db.prepare('UPDATE apikeys_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date(atMs).toISOString(), id);
      const row = this.#db.prepare('SELECT * FROM apikeys_keys WHERE id = ?').get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    });
  }
}
