import { GatehouseError } from '../errors.ts';
import type { ApprovalService, Approval } from '../approvals/service.ts';
import type { Ledger } from '../ledger/service/ledger.ts';
import type { LedgerEntry } from '../ledger/entry.ts';
import type { ApprovalsPort, ApprovalView, DecisionLedger, LedgerRecord } from '../govern/ports.ts';

/** The ledger as the Governor sees it. */
export function decisionLedger(ledger: Ledger): DecisionLedger {
  return {
    async append(entry: LedgerRecord) {
      const r = await ledger.append(entry as LedgerEntry);
      return { index: r.index, actionId: r.actionId };
    },
    async findByActionId(actionId: string) {
      const record = await ledger.getByActionId(actionId);
      return record ? { ...(record.entry as LedgerRecord & { actionId: string }), index: record.index } : null;
    },
  };
}

function view(a: Approval): ApprovalView {
  return { id: a.id, status: a.status, expiresAt: a.expiresAt, decidedBy: a.decidedBy, reason: a.reason };
}

/** The approval service as the Governor sees it. */
export function approvalsPort(service: ApprovalService): ApprovalsPort {
  return {
    async request(input) {
      return view(await service.request(input));
    },
    async get(id) {
      try {
        return view(await service.get(id));
      } catch (error) {
        if (error instanceof GatehouseError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
    },
    async consume(id, call, actionId) {
      try {
        await service.consume(id, call, { actionId });
        return true;
      } catch (error) {
        // a mismatch, a used or an undecided approval is a deny, not a failure of the pipeline
        if (error instanceof GatehouseError && ['FORBIDDEN', 'CONFLICT', 'NOT_FOUND'].includes(error.code)) return false;
        throw error;
      }
    },
    async waitForDecision(id, signal) {
      return view(await service.waitForDecision(id, signal ? { signal } : {}));
    },
  };
}
