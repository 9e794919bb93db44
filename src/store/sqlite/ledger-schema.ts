import type { Migration } from './database.ts';

export const LEDGER_MIGRATIONS: readonly Migration[] = [
  {
    id: 'ledger-001-initial',
    sql: `
      CREATE TABLE ledger_entries (
        idx INTEGER PRIMARY KEY,
        action_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        tenant TEXT NOT NULL,
        agent TEXT NOT NULL,
        session TEXT,
        kind TEXT NOT NULL,
        leaf BLOB NOT NULL,
        leaf_hash BLOB NOT NULL
      );
      CREATE TABLE ledger_nodes (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)
      ) WITHOUT ROWID;
      CREATE TABLE ledger_checkpoints (
        size INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE ledger_witness_state (
        origin TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        root BLOB NOT NULL,
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];
