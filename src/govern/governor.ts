import { newActionId } from '../ledger/action-id.ts';
import { GatehouseError, errorMessage } from '../errors.ts';
import { checkInputLimits, evaluatePolicy, evaluateResult, type Action, type PolicyBundle, type PolicyDecision, type RuleRef } from '../policy/index.ts';
import type { Finding, RedactionKeys } from '../detect/index.ts';
import type { JsonValue } from '../ledger/entry.ts';
import { argumentsDigest, ledgerCopy } from './digest.ts';
import { recordFindings } from './ledger-findings.ts';
import { validateCallContext } from './validate-context.ts';
import type { AfterCallResult, CallContext, Decision } from './types.ts';
import type { ApprovalsPort, ArgumentDetector, ArtifactCheck, DecisionLedger, LedgerRecord, LimitsPort } from './ports.ts';

export interface GovernorOptions {
  /** The bundle in force; read on every decision so a hot reload takes effect at once. */
  policy: () => PolicyBundle;
  ledger: DecisionLedger;
  approvals: ApprovalsPort;
  limits: LimitsPort;
  artifacts?: ArtifactCheck;
  detectors?: ArgumentDetector[];
  globalDefault?: Action;
  /** Explicit, audited: let calls through when Gatehouse itself fails. Every such pass is recorded. */
  failOpen?: boolean;
  defaultTenant?: string;
  /** Salt and keys for `hash` / `encrypt` redaction in GuardrailPolicies. */
  redactionKeys?: RedactionKeys;
  onDecision?: (decision: Decision, ctx: CallContext) => void;
}

interface Outcome {
  action: Action;
  reason: string;
  rule: RuleRef;
  policy?: PolicyDecision;
  findings: Finding[];
  approval?: Decision['approval'];
  retryAfterMs?: number;
  error?: { code: string; message: string };
  data?: { [key: string]: JsonValue };
  /** The pipeline itself failed (store down, hook threw): the only case failOpen may pass. */
  internal?: boolean;
  /** The call was refused as malformed or over the input limits: its arguments are not echoed back. */
  invalidInput?: boolean;
}

const GATEHOUSE_RULE = (rule: string): RuleRef => ({ policy: 'gatehouse', kind: 'global', rule });

/**
 * The one decision pipeline every enforcement point calls:
 * identify → artifact check → detectors → policy → limits → approval → ledger append → decision.
 */
export class Governor {
  constructor(private readonly options: GovernorOptions) {}

  get bundle(): PolicyBundle {
    return this.options.policy();
  }

  async decide(input: CallContext): Promise<Decision> {
    const started = performance.now();
    const actionId = newActionId();
    const ctx = { ...input, tenant: input.tenant ?? this.options.defaultTenant ?? 'default', now: input.now ?? new Date() };
    let outcome: Outcome;
    let bundleDigest = 'none';
    let digest = '';
    try {
      validateCallContext(ctx);
      const tooLarge = checkInputLimits(ctx.arguments);
      if (tooLarge) throw new GatehouseError('INPUT_TOO_LARGE', tooLarge);
      digest = argumentsDigest(ctx.arguments);
      const bundle = this.options.policy();
      bundleDigest = bundle.digest;
      outcome = await this.pipeline(ctx, bundle, digest, actionId);
    } catch (error) {
      outcome = this.failure(error);
    }
    const failOpen = outcome.internal === true && this.options.failOpen === true;
    if (failOpen) {
      outcome = { ...outcome, action: 'allow', reason: `fail open (deployment setting): ${outcome.reason}` };
    }
    const policy = outcome.policy;
    const recorded = recordFindings(outcome.findings);
    const entry: LedgerRecord = {
      actionId,
      time: ctx.now.toISOString(),
      tenant: recordable(ctx.tenant),
      agent: recordable(ctx.agent?.id),
      ...(ctx.session?.id ? { session: recordable(ctx.session.id) } : {}),
      enforcementPoint: String(ctx.enforcementPoint ?? 'unknown'),
      kind: failOpen ? 'fail_open' : 'decision',
      server: recordable(ctx.server),
      tool: recordable(ctx.tool),
      ...(digest ? { argumentsDigest: digest } : {}),
      argumentsRedacted: policy ? ledgerCopy(policy.guardrails.redactedForLedger) : '[not recorded]',
      findings: recorded.findings,
      decision: outcome.action,
      rule: ruleRecord(outcome.rule),
      reason: outcome.reason,
      bundleDigest,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(outcome.approval || outcome.error || outcome.data || recorded.omitted
        ? {
            data: {
              ...outcome.data,
              ...(outcome.approval ? { approvalId: outcome.approval.id } : {}),
              ...(outcome.error ? { error: outcome.error } : {}),
              ...(recorded.omitted ? { findingsOmitted: recorded.omitted } : {}),
            },
          }
        : {}),
    };
    let index: number;
    try {
      index = (await this.options.ledger.append(entry)).index;
    } catch (error) {
      // Nothing is allowed without its durable record, fail-open or not.
      return this.unrecorded(actionId, bundleDigest, digest, started, error);
    }
    const decision: Decision = {
      actionId,
      action: outcome.action,
      reason: outcome.reason,
      rule: outcome.rule,
      bundleDigest,
      ledgerIndex: index,
      // Arguments refused as malformed (nested past the limit, not JSON) are not handed back: the
      // HTTP server would fail to serialize them, and the caller has them anyway.
      arguments: outcome.invalidInput ? undefined : policy && outcome.action !== 'deny' ? policy.guardrails.forTool : ctx.arguments,
      argumentsModified: Boolean(policy?.guardrails.modifiedForTool) && outcome.action !== 'deny',
      argumentsDigest: digest,
      findings: outcome.findings,
      ...(outcome.approval ? { approval: outcome.approval } : {}),
      ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
      ...(failOpen ? { failOpen: true } : {}),
      latencyMs: performance.now() - started,
    };
    this.options.onDecision?.(decision, ctx);
    return decision;
  }

  private async pipeline(ctx: CallContext & { tenant: string; now: Date }, bundle: PolicyBundle, digest: string, actionId: string): Promise<Outcome> {
    const findings: Finding[] = [];
    if (this.options.artifacts) {
      const check = await this.options.artifacts.check(ctx);
      if (!check.ok) {
        return { action: 'deny', reason: `tool definition check failed: ${check.reason}`, rule: GATEHOUSE_RULE('pinned-definition'), findings: check.findings ?? [] };
      }
    }
    // Appended one by one: spreading a list of ~130,000 findings into push() overflows the stack.
    for (const detector of this.options.detectors ?? []) for (const f of await detector(ctx)) findings.push(f);

    const policy = evaluatePolicy(
      bundle,
      { tool: ctx.tool, server: ctx.server, arguments: ctx.arguments, agent: ctx.agent, ...(ctx.session ? { session: ctx.session } : {}), tenant: ctx.tenant, now: ctx.now },
      { globalDefault: this.options.globalDefault ?? 'deny', ...(this.options.redactionKeys ? { redactionKeys: this.options.redactionKeys } : {}) },
    );
    for (const f of policy.guardrails.findings) findings.push(f);
    const base = { policy, findings, rule: policy.rule };
    if (policy.error && policy.action === 'deny') {
      return { ...base, action: 'deny', reason: policy.reason, error: policy.error };
    }
    if (policy.action === 'deny') return { ...base, action: 'deny', reason: policy.reason };

    let releasedBy: string | undefined;
    if (policy.action === 'require_approval' && ctx.approvalId) {
      const call = { tenant: ctx.tenant, agent: ctx.agent.id, server: ctx.server, tool: ctx.tool, argumentsDigest: digest, bundleDigest: bundle.digest };
      const used = await this.options.approvals.consume(ctx.approvalId, call, actionId);
      if (!used) {
        return {
          ...base,
          action: 'deny',
          reason: `approval ${ctx.approvalId} does not release this call: it is not approved, was already used, has expired, or was for different arguments or another policy`,
          data: { approvalId: ctx.approvalId },
        };
      }
      releasedBy = ctx.approvalId;
    }

    for (const rl of policy.rateLimits) {
      const check = await this.options.limits.hit(rl.key, rl.limit, rl.windowMs, ctx.now);
      if (!check.allowed) {
        return {
          ...base,
          action: 'deny',
          rule: rl.rule,
          reason: `rate limit of rule "${rl.rule.rule}" (${rl.limit} per ${Math.round(rl.windowMs / 1000)}s) exceeded; the window frees in ${Math.ceil(check.retryAfterMs / 1000)}s`,
          retryAfterMs: check.retryAfterMs,
        };
      }
    }
    const quota = await this.options.limits.chargeCall({ tenant: ctx.tenant, agent: ctx.agent.id }, ctx.now);
    if (!quota.allowed) {
      return {
        ...base,
        action: 'deny',
        rule: GATEHOUSE_RULE('quota'),
        reason: quota.reason ?? 'quota exceeded',
        ...(quota.retryAfterMs !== undefined ? { retryAfterMs: quota.retryAfterMs } : {}),
      };
    }

    if (releasedBy) {
      return { ...base, action: 'allow', reason: `approved: approval ${releasedBy} released this call (${policy.reason})`, data: { approvalId: releasedBy } };
    }
    if (policy.action === 'require_approval') {
      const approval = await this.options.approvals.request({
        tenant: ctx.tenant,
        agent: ctx.agent.id,
        ...(ctx.session?.id ? { session: String(ctx.session.id) } : {}),
        server: ctx.server,
        tool: ctx.tool,
        argumentsDigest: digest,
        // The ledger's copy (at most 64 KB, else its size): every pending request keeps it, and
        // lists, webhooks and /metrics read them all.
        argumentsRedacted: ledgerCopy(policy.guardrails.redactedForLedger),
        bundleDigest: bundle.digest,
        rule: `${policy.rule.policy}/${policy.rule.rule}`,
        timeoutMs: policy.approval?.timeoutMs ?? 15 * 60_000,
        ...(policy.approval?.approvers ? { approvers: policy.approval.approvers } : {}),
      });
      return { ...base, action: 'require_approval', reason: policy.reason, approval: { id: approval.id, status: approval.status, expiresAt: approval.expiresAt } };
    }
    return { ...base, action: 'allow', reason: policy.reason };
  }

  private failure(error: unknown): Outcome {
    const code = error instanceof GatehouseError ? error.code : 'INTERNAL';
    const badInput = code === 'INPUT_INVALID' || code === 'INPUT_TOO_LARGE';
    const what = badInput ? 'invalid call' : 'fail closed';
    return {
      action: 'deny',
      reason: `${what}: ${errorMessage(error)}`,
      rule: GATEHOUSE_RULE(badInput ? 'input' : 'fail-closed'),
      findings: [],
      error: { code, message: errorMessage(error) },
      internal: !badInput,
      ...(badInput ? { invalidInput: true } : {}),
    };
  }

  private unrecorded(actionId: string, bundleDigest: string, digest: string, started: number, error: unknown): Decision {
    return {
      actionId,
      action: 'deny',
      reason: `fail closed: the decision could not be recorded in the ledger (${errorMessage(error)})`,
      rule: GATEHOUSE_RULE('ledger-unavailable'),
      bundleDigest,
      ledgerIndex: -1,
      arguments: undefined,
      argumentsModified: false,
      argumentsDigest: digest,
      findings: [],
      latencyMs: performance.now() - started,
    };
  }

  /** Waits for a human decision on an escalated call; resolves the moment it is decided. */
  waitForApproval(approvalId: string, signal?: AbortSignal) {
    return this.options.approvals.waitForDecision(approvalId, signal);
  }

  /**
   * Checks a tool's result against the GuardrailPolicies for the call that produced it
   * (found by action id) and records the outcome.
   */
  async afterCall(actionId: string, result: unknown, options: { enforcementPoint?: string } = {}): Promise<AfterCallResult> {
    const started = performance.now();
    if (typeof actionId !== 'string' || actionId.length > 64) {
      throw new GatehouseError('INPUT_INVALID', 'actionId must be the action id string of a decision', { hint: 'pass the actionId returned by decide/govern' });
    }
    const original = await this.options.ledger.findByActionId(actionId);
    if (!original) {
      throw new GatehouseError('NOT_FOUND', `no decision with action id ${actionId}`, { hint: 'pass the actionId returned by decide/govern' });
    }
    const bundle = this.options.policy();
    let outcome: ReturnType<typeof evaluateResult>;
    let failure: { code: string; message: string } | undefined;
    try {
      const tooLarge = checkInputLimits(result);
      if (tooLarge) throw new GatehouseError('INPUT_TOO_LARGE', tooLarge.replace('arguments', 'result'));
      outcome = evaluateResult(bundle, {
        tool: original.tool ?? '',
        server: original.server ?? '',
        agent: { id: original.agent },
        tenant: original.tenant,
      }, result, this.options.redactionKeys);
    } catch (error) {
      failure = { code: error instanceof GatehouseError ? error.code : 'INTERNAL', message: errorMessage(error) };
      outcome = { action: 'deny', reason: `fail closed: result could not be checked: ${failure.message}`, findings: [], forAgent: undefined, forLedger: undefined, matched: [] };
    }
    const recorded = recordFindings(outcome.findings);
    const entry: LedgerRecord = {
      time: new Date().toISOString(),
      tenant: original.tenant,
      agent: original.agent,
      ...(original.session ? { session: original.session } : {}),
      enforcementPoint: options.enforcementPoint ?? original.enforcementPoint,
      kind: 'after_call',
      ...(original.server !== undefined ? { server: original.server } : {}),
      ...(original.tool !== undefined ? { tool: original.tool } : {}),
      findings: recorded.findings,
      reason: outcome.reason,
      bundleDigest: bundle.digest,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      data: {
        decisionActionId: actionId,
        resultAction: outcome.action,
        ...(failure ? {} : { resultDigest: argumentsDigest(result) }),
        ...(failure ? { error: failure } : {}),
        ...(recorded.omitted ? { findingsOmitted: recorded.omitted } : {}),
      },
      ...(outcome.matched[0] ? { rule: ruleRecord(outcome.matched[0]) } : {}),
    };
    const appended = await this.options.ledger.append(entry);
    return {
      actionId: appended.actionId,
      action: outcome.action,
      reason: outcome.reason,
      result: outcome.action === 'deny' ? undefined : outcome.forAgent,
      findings: outcome.findings,
      ledgerIndex: appended.index,
    };
  }
}

/** Identity fields as the ledger can store them, even for a malformed call. */
function recordable(value: unknown): string {
  if (typeof value !== 'string') return '(invalid)';
  if (value.length === 0) return '(missing)';
  return value.length > 256 ? `${value.slice(0, 256)}…` : value;
}

function ruleRecord(ref: RuleRef): LedgerRecord['rule'] {
  return {
    name: ref.rule,
    document: `${ref.kind}/${ref.policy}`,
    ...(ref.file ? { file: ref.file } : {}),
    ...(ref.line !== undefined ? { line: ref.line } : {}),
  };
}

