import { GatehouseError } from '../errors.ts';
import type { ApprovalStatus } from '../store/ports.ts';

export type { ApprovalStatus };

/** What can happen to a pending request. Nothing can happen to a decided one. */
export type ApprovalEvent = 'approve' | 'deny' | 'expire' | 'cancel';

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'denied', 'expired', 'cancelled'];

const TARGET: Record<ApprovalEvent, ApprovalStatus> = {
  approve: 'approved',
  deny: 'denied',
  expire: 'expired',
  cancel: 'cancelled',
};

export function isApprovalStatus(value: unknown): value is ApprovalStatus {
  return typeof value === 'string' && (APPROVAL_STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: ApprovalStatus): boolean {
  return status !== 'pending';
}

/** The only legal transitions: pending → approved | denied | expired | cancelled. */
export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return from === 'pending' && to !== 'pending';
}

/** The status an event leads to from `current`; CONFLICT when the request is already decided. */
export function nextStatus(current: ApprovalStatus, event: ApprovalEvent): ApprovalStatus {
  const to = TARGET[event];
  if (!canTransition(current, to)) {
    throw new GatehouseError('CONFLICT', `approval is already ${current}; it cannot be ${to}`, {
      hint: 'a request is decided once; make a new request for a new decision',
    });
  }
  return to;
}
