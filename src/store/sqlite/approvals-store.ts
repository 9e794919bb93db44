import { GatehouseError, errorMessage } from '../../errors.ts';
import type { ApprovalListFilter, ApprovalRecord, ApprovalStatus, ApprovalStore, ApprovalTransition } from '../ports.ts';
import { migrate, type Migration, type SqliteDatabase } from './database.ts';

export const APPROVALS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'approvals-001-requests',
    sql: `
      CREATE TABLE approvals_requests (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('pending','approved','denied','expired','cancelled')),
        tenant TEXT NOT NULL,
        agent TEXT NOT NULL,
        session TEXT,
        server TEXT NOT NULL,
        tool TEXT NOT NULL,
        arguments_digest TEXT NOT NULL,
        arguments_redacted TEXT,
        bundle_digest TEXT NOT NULL,
        rule TEXT,
        approvers TEXT,
        binding_digest TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        decided_at TEXT,
        decided_by TEXT,
        reason TEXT,
        consumed_at TEXT,
        consumed_by TEXT
      );
      CREATE INDEX approvals_requests_status_expiry ON approvals_requests (status, expires_at_ms);
      CREATE INDEX approvals_requests_created ON approvals_requests (created_at_ms);
      CREATE TABLE approvals_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        approval_id TEXT NOT NULL REFERENCES approvals_requests (id),
        from_status TEXT,
        to_status TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT,
        reason TEXT,
        drained INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX approvals_transitions_undrained ON approvals_transitions (seq) WHERE drained = 0;
    `,
  },
];

interface RequestRow {
  id: string;
  status: ApprovalStatus;
  tenant: string;
  agent: string;
  session: string | null;
  server: string;
  tool: string;
  arguments_digest: string;
  arguments_redacted: string | null;
  bundle_digest: string;
  rule: string | null;
  approvers: string | null;
  binding_digest: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  reason: string | null;
  consumed_at: string | null;
  consumed_by: string | null;
}

interface TransitionRow {
  seq: number;
  approval_id: string;
  from_status: ApprovalStatus | null;
  to_status: ApprovalStatus;
  at: string;
  by: string | null;
  reason: string | null;
}

function toRecord(r: RequestRow): ApprovalRecord {
  return {
    id: r.id,
    status: r.status,
    tenant: r.tenant,
    agent: r.agent,
    session: r.session,
    server: r.server,
    tool: r.tool,
    argumentsDigest: r.arguments_digest,
    argumentsRedacted: r.arguments_redacted === null ? null : JSON.parse(r.arguments_redacted),
    bundleDigest: r.bundle_digest,
    rule: r.rule,
    approvers: r.approvers === null ? null : (JSON.parse(r.approvers) as string[]),
    bindingDigest: r.binding_digest,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    reason: r.reason,
    consumedAt: r.consumed_at,
    consumedBy: r.consumed_by,
  };
}

function toTransition(r: TransitionRow): ApprovalTransition {
  return { seq: r.seq, approvalId: r.approval_id, from: r.from_status, to: r.to_status, at: r.at, by: r.by, reason: r.reason };
}

function msOf(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new GatehouseError('INPUT_INVALID', `approval ${field} is not an ISO-8601 time: ${iso}`);
  return ms;
}

/** Runs a store operation, turning driver failures into STORE_UNAVAILABLE (callers fail closed). */
function guard<T>(what: string, run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    if (error instanceof GatehouseError) return Promise.reject(error);
    return Promise.reject(
      new GatehouseError('STORE_UNAVAILABLE', `approval store: ${what} failed: ${errorMessage(error)}`, { cause: error }),
    );
  }
}

/** ApprovalStore over the shared SQLite database (tables approvals_*). */
export class SqliteApprovalStore implements ApprovalStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrate(db, APPROVALS_MIGRATIONS);
  }

  create(record: ApprovalRecord): Promise<ApprovalTransition> {
    return guard('create', () => {
      const db = this.#db;
      const createdMs = msOf(record.createdAt, 'createdAt');
      const expiresMs = msOf(record.expiresAt, 'expiresAt');
      return db
        .transaction(() => {
          const exists = db.prepare('SELECT 1 FROM approvals_requests WHERE id = ?').get(record.id);
          if (exists) throw new GatehouseError('CONFLICT', `approval ${record.id} already exists`);
          db.prepare(
            `INSERT INTO approvals_requests (id, status, tenant, agent, session, server, tool, arguments_digest,
               arguments_redacted, bundle_digest, rule, approvers, binding_digest, created_at, created_at_ms,
               expires_at, expires_at_ms, decided_at, decided_by, reason, consumed_at, consumed_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            record.id,
            record.status,
            record.tenant,
            record.agent,
            record.session,
            record.server,
            record.tool,
            record.argumentsDigest,
            record.argumentsRedacted === undefined || record.argumentsRedacted === null ? null : JSON.stringify(record.argumentsRedacted),
            record.bundleDigest,
            record.rule,
            record.approvers === null ? null : JSON.stringify(record.approvers),
            record.bindingDigest,
            record.createdAt,
            createdMs,
            record.expiresAt,
            expiresMs,
            record.decidedAt,
            record.decidedBy,
            record.reason,
            record.consumedAt,
            record.consumedBy,
          );
          return this.#logTransition(record.id, null, record.status, record.createdAt, null, null);
        })
        .immediate();
    });
  }

  get(id: string): Promise<ApprovalRecord | null> {
    return guard('get', () => {
      const row = this.#db.prepare('SELECT * FROM approvals_requests WHERE id = ?').get(id) as RequestRow | undefined;
      return row ? toRecord(row) : null;
    });
  }

  list(filter: ApprovalListFilter = {}): Promise<ApprovalRecord[]> {
    return guard('list', () => {
      const { where, args } = filterClause(filter);
      const sql = `SELECT * FROM approvals_requests ${where} ORDER BY created_at_ms DESC, rowid DESC LIMIT ?`;
      const rows = this.#db.prepare(sql).all(...args, filter.limit ?? 100) as RequestRow[];
      return rows.map(toRecord);
    });
  }

  count(filter: Omit<ApprovalListFilter, 'limit'> = {}): Promise<number> {
    return guard('count', () => {
      const { where, args } = filterClause(filter);
      return (this.#db.prepare(`SELECT count(*) AS n FROM approvals_requests ${where}`).get(...args) as { n: number }).n;
    });
  }

  transition(
    id: string,
    change: { from: ApprovalStatus; to: ApprovalStatus; atMs: number; by: string | null; reason: string | null },
  ): Promise<{ record: ApprovalRecord; transition: ApprovalTransition } | null> {
    return guard('transition', () => {
      const db = this.#db;
      const at = new Date(change.atMs).toISOString();
      return db
        .transaction(() => {
          const res = db
            .prepare(
              `UPDATE approvals_requests SET status = ?, decided_at = ?, decided_by = ?, reason = ?
               WHERE id = ? AND status = ?`,
            )
            .run(change.to, at, change.by, change.reason, id, change.from);
          if (res.changes !== 1) return null;
          const transition = this.#logTransition(id, change.from, change.to, at, change.by, change.reason);
          const row = db.prepare('SELECT * FROM approvals_requests WHERE id = ?').get(id) as RequestRow;
          return { record: toRecord(row), transition };
        })
        .immediate();
    });
  }

  markConsumed(id: string, use: { bindingDigest: string; atMs: number; actionId: string | null }): Promise<ApprovalRecord | null> {
    return guard('markConsumed', () => {
      const db = this.#db;
      return db
        .transaction(() => {
          const res = db
            .prepare(
              `UPDATE approvals_requests SET consumed_at = ?, consumed_by = ?
               WHERE id = ? AND status = 'approved' AND consumed_at IS NULL AND binding_digest = ? AND expires_at_ms > ?`,
            )
            .run(new Date(use.atMs).toISOString(), use.actionId, id, use.bindingDigest, use.atMs);
          if (res.changes !== 1) return null;
          return toRecord(db.prepare('SELECT * FROM approvals_requests WHERE id = ?').get(id) as RequestRow);
        })
        .immediate();
    });
  }

  listOverdue(nowMs: number, limit = 1000): Promise<ApprovalRecord[]> {
    return guard('listOverdue', () => {
      const rows = this.#db
        .prepare(
          `SELECT * FROM approvals_requests WHERE status = 'pending' AND expires_at_ms <= ?
           ORDER BY expires_at_ms, rowid LIMIT ?`,
        )
        .all(nowMs, limit) as RequestRow[];
      return rows.map(toRecord);
    });
  }

  undrainedTransitions(limit = 1000): Promise<ApprovalTransition[]> {
    return guard('undrainedTransitions', () => {
      const rows = this.#db
        .prepare('SELECT * FROM approvals_transitions WHERE drained = 0 ORDER BY seq LIMIT ?')
        .all(limit) as TransitionRow[];
      return rows.map(toTransition);
    });
  }

  markTransitionsDrained(seqs: readonly number[]): Promise<void> {
    return guard('markTransitionsDrained', () => {
      const stmt = this.#db.prepare('UPDATE approvals_transitions SET drained = 1 WHERE seq = ?');
      this.#db.transaction(() => {
        for (const s of seqs) stmt.run(s);
      })();
    });
  }

  #logTransition(
    id: string,
    from: ApprovalStatus | null,
    to: ApprovalStatus,
    at: string,
    by: string | null,
    reason: string | null,
  ): ApprovalTransition {
    const res = this.#db
      .prepare('INSERT INTO approvals_transitions (approval_id, from_status, to_status, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, from, to, at, by, reason);
    return { seq: Number(res.lastInsertRowid), approvalId: id, from, to, at, by, reason };
  }
}

/** The WHERE clause (empty when nothing is filtered) and its arguments for a list or count filter. */
function filterClause(filter: Omit<ApprovalListFilter, 'limit'>): { where: string; args: unknown[] } {
  const conditions: string[] = [];
  const args: unknown[] = [];
  if (filter.status) (conditions.push('status = ?'), args.push(filter.status));
  if (filter.tenant) (conditions.push('tenant = ?'), args.push(filter.tenant));
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', args };
}
