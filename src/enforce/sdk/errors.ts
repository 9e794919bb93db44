import type { Decision } from '../../govern/types.ts';

/** Thrown by govern() when a call is denied (by policy, a limit, a human, or an expired approval). */
export class GovernanceDenied extends Error {
  readonly code = 'GOVERNANCE_DENIED' as const;
  readonly actionId: string;
  readonly reason: string;
  readonly decision: Decision | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(reason: string, actionId: string, decision?: Decision) {
    super(`denied: ${reason}`);
    this.name = 'GovernanceDenied';
    this.reason = reason;
    this.actionId = actionId;
    this.decision = decision;
    this.retryAfterMs = decision?.retryAfterMs;
  }
}

/**
 * Thrown by govern() with blockOnEscalate: false when a call needs a human. Retry later with
 * `govern(tool, input, { approvalId })` once the approval is granted.
 */
export class GovernanceEscalated extends Error {
  readonly code = 'GOVERNANCE_ESCALATED' as const;
  readonly approvalId: string;
  readonly actionId: string;
  readonly expiresAt: string;
  readonly decision: Decision;

  constructor(decision: Decision & { approval: NonNullable<Decision['approval']> }) {
    super(`approval required: ${decision.reason} (approval ${decision.approval.id})`);
    this.name = 'GovernanceEscalated';
    this.approvalId = decision.approval.id;
    this.actionId = decision.actionId;
    this.expiresAt = decision.approval.expiresAt;
    this.decision = decision;
  }
}
