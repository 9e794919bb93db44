import type { DecisionLedger } from '../govern/ports.ts';
import type { ApprovalStore, ApprovalStatus } from '../store/ports.ts';

const KIND: Record<ApprovalStatus, string> = {
  pending: 'approval.requested',
  approved: 'approval.granted',
  denied: 'approval.denied',
  expired: 'approval.expired',
  cancelled: 'approval.cancelled',
};

/**
 * Copies approval state changes (written by any process: the server, the CLI) into the ledger,
 * in order. At-least-once: a crash between the append and the mark can repeat an entry, never lose one.
 */
export async function drainApprovalTransitions(store: ApprovalStore, ledger: DecisionLedger): Promise<number> {
  let copied = 0;
  for (;;) {
    const batch = await store.undrainedTransitions(200);
    if (batch.length === 0) return copied;
    for (const t of batch) {
      const approval = await store.get(t.approvalId);
      await ledger.append({
        time: t.at,
        tenant: approval?.tenant ?? 'unknown',
        agent: approval?.agent ?? 'unknown',
        ...(approval?.session ? { session: approval.session } : {}),
        enforcementPoint: 'approvals',
        kind: KIND[t.to],
        ...(approval ? { server: approval.server, tool: approval.tool, argumentsDigest: approval.argumentsDigest, bundleDigest: approval.bundleDigest } : {}),
        reason: t.reason ?? `approval ${t.to}${t.by ? ` by ${t.by}` : ''}`,
        data: { approvalId: t.approvalId, from: t.from, to: t.to, by: t.by, seq: t.seq, ...(approval?.rule ? { rule: approval.rule } : {}) },
      });
      await store.markTransitionsDrained([t.seq]);
      copied++;
    }
  }
}
