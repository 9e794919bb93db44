import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GatehouseError, errorMessage } from '../../errors.ts';

export type SqliteDatabase = Database.Database;

/** A named, ordered schema change. Each module owns its migrations; ids must be globally unique. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Opens (creating if needed) the embedded SQLite database with the settings every store relies on:
 * WAL journal, synchronous=FULL (an acknowledged commit survives power loss), foreign keys on.
 * synchronous=NORMAL (a commit survives a process crash, not a power loss) is for counters whose
 * loss only errs towards refusing less, such as rate-limit windows.
 */
export function openSqlite(path: string, options: { readonly?: boolean; synchronous?: 'FULL' | 'NORMAL' } = {}): SqliteDatabase {
  try {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Opening is lazy: read the header now, so a file that is not a database fails here, clearly,
    // rather than at the first query as an internal error.
    db.pragma('schema_version');
    return db;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new GatehouseError('CONFIG_INVALID', `${path} is not a SQLite database (${errorMessage(error)})`, {
        hint: 'point --db, GATEHOUSE_DB or store.path in gatehouse.yaml at the database `gatehouse serve` uses',
        cause: error,
      });
    }
    throw new GatehouseError('STORE_UNAVAILABLE', `cannot open SQLite database ${path}: ${errorMessage(error)}`, {
      hint: 'check the path (--db or store.path in gatehouse.yaml) and its permissions',
      cause: error,
    });
  }
}

/** Applies, once each and in order, the migrations not yet recorded in the database. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS gatehouse_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT id FROM gatehouse_migrations').all() as Array<{ id: string }>).map((r) => r.id),
  );
  const record = db.prepare('INSERT INTO gatehouse_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    })();
  }
}
