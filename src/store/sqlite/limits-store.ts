import { GatehouseError, errorMessage } from '../../errors.ts';
import type { BudgetConfig, BudgetPeriod, LimitsStore, SlidingWindowResult } from '../ports.ts';
import { migrate, type Migration, type SqliteDatabase } from './database.ts';

export const LIMITS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'limits-001-counters',
    sql: `
      CREATE TABLE limits_hits (
        key TEXT NOT NULL,
        window_ms INTEGER NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX limits_hits_key ON limits_hits (key, window_ms, at_ms);
      CREATE TABLE limits_counters (
        scope TEXT NOT NULL,
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (scope, kind, day)
      ) WITHOUT ROWID;
      CREATE TABLE limits_budgets (
        scope TEXT PRIMARY KEY,
        limit_micros INTEGER NOT NULL,
        period TEXT NOT NULL CHECK (period IN ('day','month','total'))
      );
    `,
  },
];

function guard<T>(what: string, run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    if (error instanceof GatehouseError) return Promise.reject(error);
    return Promise.reject(new GatehouseError('STORE_UNAVAILABLE', `limits store: ${what} failed: ${errorMessage(error)}`, { cause: error }));
  }
}

/**
 * LimitsStore over the shared SQLite database (tables limits_*). Every read-modify-write runs in
 * one BEGIN IMMEDIATE transaction, so it is atomic across connections and processes too.
 */
export class SqliteLimitsStore implements LimitsStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrate(db, LIMITS_MIGRATIONS);
  }

  slidingWindowHit(key: string, windowMs: number, limit: number, nowMs: number): Promise<SlidingWindowResult> {
    return guard('slidingWindowHit', () =>
      this.#db
        .transaction(() => {
          this.#db.prepare('DELETE FROM limits_hits WHERE key = ? AND window_ms = ? AND at_ms <= ?').run(key, windowMs, nowMs - windowMs);
          const { n, oldest } = this.#count(key, windowMs);
          if (n >= limit) return { allowed: false, count: n, oldestMs: oldest };
          this.#db.prepare('INSERT INTO limits_hits (key, window_ms, at_ms) VALUES (?, ?, ?)').run(key, windowMs, nowMs);
          return { allowed: true, count: n + 1, oldestMs: oldest === null ? nowMs : Math.min(oldest, nowMs) };
        })
        .immediate(),
    );
  }

  slidingWindowPeek(key: string, windowMs: number, nowMs: number): Promise<SlidingWindowResult> {
    return guard('slidingWindowPeek', () => {
      const row = this.#db
        .prepare('SELECT COUNT(*) AS n, MIN(at_ms) AS oldest FROM limits_hits WHERE key = ? AND window_ms = ? AND at_ms > ?')
        .get(key, windowMs, nowMs - windowMs) as { n: number; oldest: number | null };
      return { allowed: true, count: row.n, oldestMs: row.oldest };
    });
  }

  addToCounter(scope: string, kind: string, day: string, amount: number, limit: number | null): Promise<{ applied: boolean; value: number }> {
    return guard('addToCounter', () =>
      this.#db
        .transaction(() => {
          const row = this.#db
            .prepare('SELECT value FROM limits_counters WHERE scope = ? AND kind = ? AND day = ?')
            .get(scope, kind, day) as { value: number } | undefined;
          const current = row?.value ?? 0;
          if (limit !== null && current + amount > limit) return { applied: false, value: current };
          this.#db
            .prepare(
              `INSERT INTO limits_counters (scope, kind, day, value) VALUES (?, ?, ?, ?)
               ON CONFLICT (scope, kind, day) DO UPDATE SET value = value + excluded.value`,
            )
            .run(scope, kind, day, amount);
          return { applied: true, value: current + amount };
        })
        .immediate(),
    );
  }

  sumCounter(scope: string, kind: string, fromDay: string, toDay: string): Promise<number> {
    return guard('sumCounter', () => {
      const row = this.#db
        .prepare('SELECT COALESCE(SUM(value), 0) AS total FROM limits_counters WHERE scope = ? AND kind = ? AND day >= ? AND day <= ?')
        .get(scope, kind, fromDay, toDay) as { total: number };
      return row.total;
    });
  }

  getBudget(scope: string): Promise<BudgetConfig | null> {
    return guard('getBudget', () => {
      const row = this.#db.prepare('SELECT limit_micros, period FROM limits_budgets WHERE scope = ?').get(scope) as
        | { limit_micros: number; period: BudgetPeriod }
        | undefined;
      return row ? { limitMicros: row.limit_micros, period: row.period } : null;
    });
  }

  setBudget(scope: string, config: BudgetConfig | null): Promise<void> {
    return guard('setBudget', () => {
      if (config === null) {
        this.#db.prepare('DELETE FROM limits_budgets WHERE scope = ?').run(scope);
        return;
      }
      this.#db
        .prepare(
          `INSERT INTO limits_budgets (scope, limit_micros, period) VALUES (?, ?, ?)
           ON CONFLICT (scope) DO UPDATE SET limit_micros = excluded.limit_micros, period = excluded.period`,
        )
        .run(scope, config.limitMicros, config.period);
    });
  }

  #count(key: string, windowMs: number): { n: number; oldest: number | null } {
    return this.#db
      .prepare('SELECT COUNT(*) AS n, MIN(at_ms) AS oldest FROM limits_hits WHERE key = ? AND window_ms = ?')
      .get(key, windowMs) as { n: number; oldest: number | null };
  }
}
