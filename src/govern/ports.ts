/**
 * What the Governor needs from the outside world, as narrow interfaces. The composition root
 * (src/runtime/) adapts the ledger, approval, limits and detector modules to these.
 */
import type { RuleRef } from '../policy/index.ts';
import type { Finding } from '../detect/index.ts';
import type { CallContext } from './types.ts';
import type { LedgerEntry } from '../ledger/entry.ts';
import type { ApprovalRequestInput } from '../approvals/service.ts';

/** A ledger entry as the Governor writes it (the ledger's own input type). */
export type LedgerRecord = LedgerEntry;

export interface DecisionLedger {
  /** Resolves only once the entry is durable. */
  append(entry: LedgerRecord): Promise<{ index: number; actionId: string }>;
  /** The stored entry for an action id, or null. */
  findByActionId(actionId: string): Promise<(LedgerRecord & { actionId: string; index: number }) | null>;
}

export type { ApprovalRequestInput };

export interface ApprovalView {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';
  expiresAt: string;
  decidedBy?: string | null;
  reason?: string | null;
}

export interface ApprovalsPort {
  request(input: ApprovalRequestInput): Promise<ApprovalView>;
  get(id: string): Promise<ApprovalView | null>;
  /** Uses an approved request for this exact call, once; returns false when it does not match or is not usable. */
  consume(id: string, call: Omit<ApprovalRequestInput, 'argumentsRedacted' | 'timeoutMs' | 'approvers' | 'rule' | 'session'>, actionId: string): Promise<boolean>;
  /** Resolves as soon as the request leaves pending (or the signal aborts). */
  waitForDecision(id: string, signal?: AbortSignal): Promise<ApprovalView>;
}

export interface RateCheck {
  allowed: boolean;
  retryAfterMs: number;
}

export interface LimitsPort {
  /** Records a hit in a sliding window if under the limit. */
  hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateCheck>;
  /** Counts a call against per-agent and per-tenant daily quotas and checks money budgets. */
  chargeCall(ctx: { tenant: string; agent: string }, now: Date): Promise<{ allowed: boolean; reason?: string; retryAfterMs?: number }>;
}

/** Pinned tool definitions: a definition that changed since it was pinned is refused. */
export interface ArtifactCheck {
  check(ctx: CallContext): Promise<{ ok: true } | { ok: false; reason: string; findings?: Finding[] }>;
}

/** Extra detectors run on arguments before policy (beyond those a GuardrailPolicy names). */
export type ArgumentDetector = (ctx: CallContext) => Finding[] | Promise<Finding[]>;

export type { RuleRef };
