import type { Statement } from 'better-sqlite3';
import { GatehouseError, errorMessage } from '../../errors.ts';
import { equalBytes, type Hash } from '../../ledger/hash.ts';
import { nodeKey, type NodeId } from '../../ledger/tree-math.ts';
import type {
  LedgerAppendBatch,
  LedgerCheckpointRow,
  LedgerEntryFilter,
  LedgerEntryRow,
  LedgerEntryTextRow,
  LedgerNodeRow,
  LedgerNodeRun,
  LedgerStore,
  WitnessStateRow,
} from '../ledger-port.ts';
import { migrate, openSqlite, type SqliteDatabase } from './database.ts';
import { LEDGER_MIGRATIONS } from './ledger-schema.ts';

interface EntrySqlRow {
  idx: number;
  action_id: string;
  time: string;
  tenant: string;
  agent: string;
  session: string | null;
  kind: string;
  leaf: Buffer;
  leaf_hash: Buffer;
}

const ENTRY_COLUMNS = 'idx, action_id, time, tenant, agent, session, kind, leaf, leaf_hash';

function toEntry(r: EntrySqlRow): LedgerEntryRow {
  return {
    index: r.idx,
    actionId: r.action_id,
    time: r.time,
    tenant: r.tenant,
    agent: r.agent,
    session: r.session,
    kind: r.kind,
    leaf: r.leaf,
    leafHash: r.leaf_hash,
  };
}

/** A row of ENTRY_COLUMNS read in raw mode, in column order. */
type EntryRawRow = [number, string, string, string, string, string | null, string, Buffer, Buffer];

function rawToEntry(r: EntryRawRow): LedgerEntryRow {
  return { index: r[0], actionId: r[1], time: r[2], tenant: r[3], agent: r[4], session: r[5], kind: r[6], leaf: r[7], leafHash: r[8] };
}

function toCheckpoint(r: { size: number; root: Buffer; note: string; created_at: string }): LedgerCheckpointRow {
  return { size: r.size, root: r.root, note: r.note, createdAt: r.created_at };
}

function ioError(what: string, error: unknown): GatehouseError {
  if (error instanceof GatehouseError) return error;
  return new GatehouseError('LEDGER_IO', `ledger ${what} failed: ${errorMessage(error)}`, { cause: error });
}

/** The embedded LedgerStore: one SQLite file (WAL, synchronous=FULL), one transaction per batch. */
/** Page cache of a ledger connection, in KiB (SQLite allocates it as pages are read, up to this). */
const PAGE_CACHE_KIB = 64 * 1024;

export class SqliteLedgerStore implements LedgerStore {
  private readonly db: SqliteDatabase;
  private readonly stmts: Record<string, Statement>;
  private readonly ownsDb: boolean;
  readonly filePath: string | undefined;

  constructor(db: SqliteDatabase, options: { ownsDb?: boolean; readonly?: boolean; filePath?: string } = {}) {
    this.db = db;
    this.ownsDb = options.ownsDb ?? false;
    this.filePath = options.filePath;
    if (!options.readonly) migrate(db, LEDGER_MIGRATIONS);
    else if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='ledger_entries'").get()) {
      throw new GatehouseError('NOT_FOUND', 'this database has no ledger', { hint: 'check --db; a ledger is created by the first append' });
    }
    const p = (sql: string) => db.prepare(sql);
    this.stmts = {
      size: p('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM ledger_entries'),
      insertEntry: p(`INSERT INTO ledger_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertNode: p('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      insertCheckpoint: p('INSERT OR REPLACE INTO ledger_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)'),
      getEntry: p(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE idx = ?`),
      getByAction: p(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE action_id = ?`),
      // raw rows (arrays): a page read builds one object per row instead of two
      scanEntries: p(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE idx >= ? ORDER BY idx LIMIT ?`).raw(true),
      // CAST(blob AS TEXT) keeps the bytes in a UTF-8 database, and the driver decodes them as UTF-8
      // (invalid bytes become U+FFFD); in a UTF-16 one it would not, so the audit gets no text there
      scanEntryTexts: p(
        `SELECT idx, action_id, time, tenant, agent, session, kind, ${
          db.pragma('encoding', { simple: true }) === 'UTF-8'
            ? "CASE WHEN typeof(leaf) = 'blob' AND typeof(leaf_hash) = 'blob' THEN CAST(leaf AS TEXT) END, " +
              "CASE WHEN typeof(leaf) = 'blob' AND typeof(leaf_hash) = 'blob' THEN lower(hex(leaf_hash)) END "
            : 'NULL, NULL '
        }FROM ledger_entries WHERE idx >= ? ORDER BY idx LIMIT ?`,
      ).raw(true),
      getNode: p('SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?'),
      getLeafHash: p('SELECT leaf_hash AS hash FROM ledger_entries WHERE idx = ?'),
      scanNodes: p('SELECT idx, hash FROM ledger_nodes WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?').raw(true),
      // string_agg over blobs concatenates their bytes (as text, cast back): one Buffer per page
      scanNodeRun: p(
        "SELECT count(*), min(idx), max(idx), sum(typeof(idx) <> 'integer' OR typeof(hash) <> 'blob' OR length(hash) <> 32), " +
          "CAST(string_agg(hash, x'' ORDER BY idx) AS BLOB) " +
          'FROM (SELECT idx, hash FROM ledger_nodes WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?)',
      ).raw(true),
      countNodes: p('SELECT level, COUNT(*) AS n FROM ledger_nodes GROUP BY level'),
      latestCheckpoint: p('SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1'),
      listCheckpoints: p('SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size'),
      getMeta: p('SELECT value FROM ledger_meta WHERE key = ?'),
      initMeta: p('INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?, ?)'),
      getWitness: p('SELECT origin, size, root, note, updated_at FROM ledger_witness_state WHERE origin = ?'),
      putWitness: p(
        'INSERT INTO ledger_witness_state (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note, updated_at = excluded.updated_at',
      ),
    };
  }

  static open(path: string, options: { readonly?: boolean } = {}): SqliteLedgerStore {
    const db = openSqlite(path, { readonly: options.readonly ?? false });
    try {
      // Proofs read ~2·log2(n) nodes at random places in the tree: with SQLite's default 2 MB page
      // cache most of them miss at a million entries, and the misses set the proof latency's tail.
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      return new SqliteLedgerStore(db, { ownsDb: true, readonly: options.readonly ?? false, ...(path === ':memory:' ? {} : { filePath: path }) });
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private readonly appendTx = (batch: LedgerAppendBatch): void => {
    const { n } = this.stmts.size!.get() as { n: number };
    if (n !== batch.start) {
      throw new GatehouseError('CONFLICT', `ledger size is ${n}, batch expected ${batch.start} (another writer appended)`);
    }
    if (batch.prevLeafHash) {
      const prev = this.stmts.getLeafHash!.get(batch.start - 1) as { hash: Uint8Array } | undefined;
      if (!prev || !equalBytes(prev.hash, batch.prevLeafHash)) {
        throw new GatehouseError('CONFLICT', `entry ${batch.start - 1} is not the one this batch was built on (another writer appended)`);
      }
    }
    for (const e of batch.entries) {
      this.stmts.insertEntry!.run(e.index, e.actionId, e.time, e.tenant, e.agent, e.session, e.kind, e.leaf, e.leafHash);
    }
    for (const node of batch.nodes) this.stmts.insertNode!.run(node.level, node.index, node.hash);
    const cp = batch.checkpoint;
    if (cp) this.stmts.insertCheckpoint!.run(cp.size, cp.root, cp.note, cp.createdAt);
  };

  async appendBatch(batch: LedgerAppendBatch): Promise<void> {
    try {
      // IMMEDIATE takes the write lock up front, so the size check and the inserts are one step.
      this.db.transaction(this.appendTx).immediate(batch);
    } catch (error) {
      throw ioError('append', error);
    }
  }

  async size(): Promise<number> {
    return (this.stmts.size!.get() as { n: number }).n;
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (this.stmts.getMeta!.get(key) as { value: string } | undefined)?.value;
  }

  async initMeta(key: string, value: string): Promise<string> {
    this.stmts.initMeta!.run(key, value);
    return (await this.getMeta(key))!;
  }

  async getEntry(index: number): Promise<LedgerEntryRow | undefined> {
    const r = this.stmts.getEntry!.get(index) as EntrySqlRow | undefined;
    return r && toEntry(r);
  }

  async getEntryByActionId(actionId: string): Promise<LedgerEntryRow | undefined> {
    const r = this.stmts.getByAction!.get(actionId) as EntrySqlRow | undefined;
    return r && toEntry(r);
  }

  async scanEntries(from: number, limit: number): Promise<LedgerEntryRow[]> {
    return (this.stmts.scanEntries!.all(from, limit) as EntryRawRow[]).map(rawToEntry);
  }

  async scanEntryTexts(from: number, limit: number): Promise<LedgerEntryTextRow[]> {
    return this.stmts.scanEntryTexts!.all(from, limit) as LedgerEntryTextRow[];
  }

  async findEntries(filter: LedgerEntryFilter): Promise<LedgerEntryRow[]> {
    const where: string[] = ['idx > ?'];
    const args: unknown[] = [filter.afterIndex ?? -1];
    if (filter.from !== undefined) (where.push('time >= ?'), args.push(filter.from));
    if (filter.to !== undefined) (where.push('time <= ?'), args.push(filter.to));
    if (filter.agent !== undefined) (where.push('agent = ?'), args.push(filter.agent));
    if (filter.session !== undefined) (where.push('session = ?'), args.push(filter.session));
    if (filter.tenant !== undefined) (where.push('tenant = ?'), args.push(filter.tenant));
    args.push(filter.limit ?? 1000);
    const sql = `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY idx LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as EntrySqlRow[]).map(toEntry);
  }

  async getNodes(ids: readonly NodeId[]): Promise<Map<string, Hash>> {
    const out = new Map<string, Hash>();
    for (const id of ids) {
      const r = (id.level === 0 ? this.stmts.getLeafHash!.get(id.index) : this.stmts.getNode!.get(id.level, id.index)) as
        | { hash: Buffer }
        | undefined;
      if (r) out.set(nodeKey(id), r.hash);
    }
    return out;
  }

  async scanNodes(level: number, from: number, limit: number): Promise<LedgerNodeRow[]> {
    return (this.stmts.scanNodes!.all(level, from, limit) as Array<[number, Buffer]>).map((r) => ({ level, index: r[0], hash: r[1] }));
  }

  async scanNodeRun(level: number, from: number, limit: number): Promise<LedgerNodeRun | undefined> {
    const [count, first, last, irregular, hashes] = this.stmts.scanNodeRun!.get(level, from, limit) as [number, number, number, number, Buffer | null];
    if (count === 0 || irregular !== 0 || last - first + 1 !== count || !hashes || hashes.byteLength !== count * 32) return undefined;
    return { first, count, hashes };
  }

  async countNodes(): Promise<Map<number, number>> {
    const rows = this.stmts.countNodes!.all() as Array<{ level: number; n: number }>;
    return new Map(rows.map((r) => [r.level, r.n]));
  }

  async putCheckpoint(row: LedgerCheckpointRow): Promise<void> {
    try {
      this.stmts.insertCheckpoint!.run(row.size, row.root, row.note, row.createdAt);
    } catch (error) {
      throw ioError('checkpoint write', error);
    }
  }

  async latestCheckpoint(): Promise<LedgerCheckpointRow | undefined> {
    const r = this.stmts.latestCheckpoint!.get() as Parameters<typeof toCheckpoint>[0] | undefined;
    return r && toCheckpoint(r);
  }

  async listCheckpoints(): Promise<LedgerCheckpointRow[]> {
    return (this.stmts.listCheckpoints!.all() as Array<Parameters<typeof toCheckpoint>[0]>).map(toCheckpoint);
  }

  async getWitnessState(origin: string): Promise<WitnessStateRow | undefined> {
    const r = this.stmts.getWitness!.get(origin) as
      | { origin: string; size: number; root: Buffer; note: string; updated_at: string }
      | undefined;
    return r && { origin: r.origin, size: r.size, root: r.root, note: r.note, updatedAt: r.updated_at };
  }

  async putWitnessState(row: WitnessStateRow): Promise<void> {
    this.stmts.putWitness!.run(row.origin, row.size, row.root, row.note, row.updatedAt);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
