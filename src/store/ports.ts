/**
 * Store ports for approvals, limits and API keys. Every method is async so that a networked
 * implementation (PostgreSQL) can satisfy the same contract as the embedded SQLite one; each
 * implementation must pass the shared suites in test/store/<port>.contract.ts.
 *
 * Times cross the port as epoch milliseconds in arguments and ISO-8601 strings in records.
 * (The ledger port lives in ledger-port.ts.)
 */

// ─── Approvals ────────────────────────────────────────────────────────────────────────────────

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

export interface ApprovalRecord {
  /** UUID. */
  id: string;
  status: ApprovalStatus;
  tenant: string;
  agent: string;
  session: string | null;
  server: string;
  tool: string;
  /** Digest of the exact arguments ("sha256:<hex>"), part of the binding. */
  argumentsDigest: string;
  /** A copy of the arguments that is safe to show an approver (sensitive values redacted). */
  argumentsRedacted: unknown;
  /** Digest of the policy bundle in force when the request was made. */
  bundleDigest: string;
  /** Name of the rule that required approval (display only). */
  rule: string | null;
  /** Who may decide; null means any principal allowed to decide approvals. */
  approvers: string[] | null;
  /** SHA-256 over the canonical binding (see src/approvals/binding.ts), "sha256:<hex>". */
  bindingDigest: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  consumedAt: string | null;
  /** The action id of the call that used the approval. */
  consumedBy: string | null;
}

/** One state change; written in the same transaction as the change itself. */
export interface ApprovalTransition {
  /** Monotonic per store; the drain order. */
  seq: number;
  approvalId: string;
  /** null for the creation of the request. */
  from: ApprovalStatus | null;
  to: ApprovalStatus;
  at: string;
  by: string | null;
  reason: string | null;
}

export interface ApprovalListFilter {
  status?: ApprovalStatus;
  tenant?: string;
  /** Default 100. */
  limit?: number;
}

export interface ApprovalStore {
  /** Inserts a new pending request and its creation transition atomically. CONFLICT if the id exists. */
  create(record: ApprovalRecord): Promise<ApprovalTransition>;
  get(id: string): Promise<ApprovalRecord | null>;
  /** Newest first. */
  list(filter?: ApprovalListFilter): Promise<ApprovalRecord[]>;
  /** How many requests match (no limit, nothing read but the count). */
  count(filter?: Omit<ApprovalListFilter, 'limit'>): Promise<number>;
  /**
   * Compare-and-set: moves the request from `from` to `to` and logs the transition, atomically.
   * Returns null (and changes nothing) when the request does not exist or is not in `from`.
   */
  transition(
    id: string,
    change: { from: ApprovalStatus; to: ApprovalStatus; atMs: number; by: string | null; reason: string | null },
  ): Promise<{ record: ApprovalRecord; transition: ApprovalTransition } | null>;
  /**
   * Compare-and-set: marks the request consumed if it is approved, not consumed, has this binding
   * digest and expires after `atMs`. Returns the updated record, or null when any condition fails.
   */
  markConsumed(id: string, use: { bindingDigest: string; atMs: number; actionId: string | null }): Promise<ApprovalRecord | null>;
  /** Pending requests whose expiry is at or before `nowMs`, oldest expiry first. */
  listOverdue(nowMs: number, limit?: number): Promise<ApprovalRecord[]>;
  /** Transitions not yet marked drained, in seq order (the Governor copies them into the ledger). */
  undrainedTransitions(limit?: number): Promise<ApprovalTransition[]>;
  markTransitionsDrained(seqs: readonly number[]): Promise<void>;
}

// ─── Limits ───────────────────────────────────────────────────────────────────────────────────

export interface SlidingWindowResult {
  allowed: boolean;
  /** Hits inside the window after this call (including it when allowed). */
  count: number;
  /** Oldest hit still inside the window, or null when none. */
  oldestMs: number | null;
}

export type BudgetPeriod = 'day' | 'month' | 'total';

export interface BudgetConfig {
  limitMicros: number;
  period: BudgetPeriod;
}

export interface LimitsStore {
  /**
   * Atomically: forget hits of (key, windowMs) at or before nowMs - windowMs, count the rest, and
   * record a hit at nowMs only if the count is below `limit`.
   */
  slidingWindowHit(key: string, windowMs: number, limit: number, nowMs: number): Promise<SlidingWindowResult>;
  /** Current hits of (key, windowMs) inside the window ending at nowMs, without recording one. */
  slidingWindowPeek(key: string, windowMs: number, nowMs: number): Promise<SlidingWindowResult>;
  /**
   * Atomically adds `amount` to the counter (scope, kind, day) if the result stays <= limit
   * (limit null: always). Returns whether it was applied and the value afterwards.
   */
  addToCounter(scope: string, kind: string, day: string, amount: number, limit: number | null): Promise<{ applied: boolean; value: number }>;
  /** Sum of (scope, kind) counters for days in [fromDay, toDay] (inclusive, "YYYY-MM-DD"). */
  sumCounter(scope: string, kind: string, fromDay: string, toDay: string): Promise<number>;
  getBudget(scope: string): Promise<BudgetConfig | null>;
  /** null removes the budget. */
  setBudget(scope: string, config: BudgetConfig | null): Promise<void>;
}

// ─── API keys ─────────────────────────────────────────────────────────────────────────────────

export type Role = 'agent' | 'approver' | 'admin' | 'auditor';

export interface ApiKeyRecord {
  /** Public key id, also the prefix embedded in the token. */
  id: string;
  /** SHA-256 of the secret part, hex. The plaintext is never stored. */
  secretHash: string;
  tenant: string;
  role: Role;
  /** Required for role 'agent': the only agent the key may act as. */
  agent: string | null;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ApiKeyStore {
  /** CONFLICT if the id exists. */
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Oldest first. */
  list(filter?: { tenant?: string; includeRevoked?: boolean }): Promise<ApiKeyRecord[]>;
  /** Sets revokedAt if not yet revoked; returns the record afterwards, or null when unknown. */
  revoke(id: string, atMs: number): Promise<ApiKeyRecord | null>;
}
