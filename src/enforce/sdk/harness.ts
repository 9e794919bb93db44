import type { AfterCallResult, CallContext, Decision } from '../../govern/types.ts';
import type { ApprovalView } from '../../govern/ports.ts';
import { GovernanceDenied, GovernanceEscalated } from './errors.ts';
import { parseToolName } from './tool-name.ts';

/** The operations an SDK needs; the in-process Governor and the REST client both provide them. */
export interface DecisionClient {
  decide(ctx: CallContext): Promise<Decision>;
  afterCall(actionId: string, result: unknown, options?: { enforcementPoint?: string }): Promise<AfterCallResult>;
  waitForApproval(approvalId: string, signal?: AbortSignal): Promise<ApprovalView>;
  close?(): Promise<void>;
}

export interface HarnessOptions {
  agent: string;
  tenant?: string;
  session?: { id?: string; [key: string]: unknown };
  /** true (default): wait for the human and throw on denial or timeout; false: throw GovernanceEscalated. */
  blockOnEscalate?: boolean;
  /** Stop waiting for a human after this long (the approval's own expiry still applies). */
  escalationTimeoutMs?: number;
  enforcementPoint?: string;
}

export interface GovernContext {
  server?: string;
  agent?: string;
  tenant?: string;
  session?: { id?: string; [key: string]: unknown };
  approvalId?: string;
  toolDefinition?: CallContext['toolDefinition'];
  signal?: AbortSignal;
}

/** The SDK face of Gatehouse: govern() before a tool runs, afterCall() with its result. */
export class GatehouseHarness {
  constructor(
    readonly client: DecisionClient,
    private readonly options: HarnessOptions,
  ) {}

  /**
   * Resolves to the decision when the call may proceed (use `decision.arguments`: they may be
   * redacted); throws GovernanceDenied, or GovernanceEscalated when blockOnEscalate is false.
   */
  async govern(toolName: string, toolInput: unknown, context: GovernContext = {}): Promise<Decision> {
    const { server, tool } = context.server ? { server: context.server, tool: toolName } : parseToolName(toolName);
    const ctx: CallContext = {
      tenant: context.tenant ?? this.options.tenant,
      agent: { id: context.agent ?? this.options.agent },
      session: context.session ?? this.options.session,
      server,
      tool,
      arguments: toolInput ?? {},
      enforcementPoint: this.options.enforcementPoint ?? 'sdk',
      ...(context.approvalId ? { approvalId: context.approvalId } : {}),
      ...(context.toolDefinition ? { toolDefinition: context.toolDefinition } : {}),
    };
    const decision = await this.client.decide(ctx);
    if (decision.action === 'allow') return decision;
    if (decision.action === 'deny') throw new GovernanceDenied(decision.reason, decision.actionId, decision);
    const approval = decision.approval!;
    if (this.options.blockOnEscalate === false) throw new GovernanceEscalated({ ...decision, approval });
    const outcome = await this.wait(approval.id, context.signal);
    if (outcome.status !== 'approved') {
      const why = outcome.status === 'pending' ? 'no decision before the escalation timeout' : `${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}${outcome.decidedBy ? ` (by ${outcome.decidedBy})` : ''}`;
      throw new GovernanceDenied(`approval ${approval.id} ${why}`, decision.actionId, decision);
    }
    // Re-decide with the approval: it is consumed only if it binds this exact call and bundle.
    return this.govern(toolName, toolInput, { ...context, approvalId: approval.id });
  }

  private async wait(approvalId: string, signal?: AbortSignal): Promise<ApprovalView> {
    const limit = this.options.escalationTimeoutMs;
    if (limit === undefined) return this.client.waitForApproval(approvalId, signal);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      return await this.client.waitForApproval(approvalId, controller.signal);
    } catch (error) {
      if (controller.signal.aborted && !signal?.aborted) return { id: approvalId, status: 'pending', expiresAt: '' };
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Checks a tool's result; returns what the agent may see. Throws GovernanceDenied when the result is withheld. */
  async afterCall(actionId: string, result: unknown): Promise<AfterCallResult> {
    const outcome = await this.client.afterCall(actionId, result, { enforcementPoint: this.options.enforcementPoint ?? 'sdk' });
    if (outcome.action === 'deny' || outcome.action === 'require_approval') {
      throw new GovernanceDenied(`tool result withheld: ${outcome.reason}`, outcome.actionId);
    }
    return outcome;
  }

  /**
   * Wraps a function tool: every invocation is governed first (with the possibly redacted
   * arguments passed on), and its result is checked before it is returned.
   */
  wrap<I, O>(name: string, fn: (input: I) => O | Promise<O>, context: GovernContext = {}): (input: I) => Promise<O> {
    return async (input: I) => {
      const decision = await this.govern(name, input, context);
      const output = await fn(decision.arguments as I);
      const checked = await this.afterCall(decision.actionId, output);
      return checked.result as O;
    };
  }

  async close(): Promise<void> {
    await this.client.close?.();
  }
}
