import { createHash } from 'node:crypto';
import { applyGuardrails, type RedactionKeys } from '../detect/index.ts';
import { GatehouseError } from '../errors.ts';
import { checkInputLimits } from './input-limits.ts';
import type { CelVariables } from './cel/engine.ts';
import type {
  Action,
  Candidate,
  CompiledGuardrailPolicy,
  CompiledToolRule,
  GuardrailOutcome,
  IndexedRule,
  PolicyBundle,
  PolicyDecision,
  PolicyRequest,
  RateLimitRequirement,
  RuleRef,
  Selector,
} from './types.ts';
import { reasonPath } from './reason-path.ts';
import { cutText } from '../cut-text.ts';

export interface EvaluateOptions {
  /** Decision for a call no policy covers at all; deny unless the deployment says otherwise. */
  globalDefault?: Action;
  /** The deployment's salt and keys for `hash` and `encrypt` redaction. */
  redactionKeys?: RedactionKeys;
}

const RANK: Record<Action, number> = { allow: 0, require_approval: 1, deny: 2 };

export function moreRestrictive(a: Action, b: Action): Action {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Decides one call. Pure and synchronous. The most restrictive matching rule wins whatever the
 * order; a policy's defaultAction applies only when none of its rules matched; a call that no
 * policy covers gets the global default. Any error while evaluating is a deny naming the cause.
 */
export function evaluatePolicy(bundle: PolicyBundle, request: PolicyRequest, options: EvaluateOptions = {}): PolicyDecision {
  const base = { bundleDigest: bundle.digest, rateLimits: [] as RateLimitRequirement[] };
  const emptyGuardrails: GuardrailOutcome = {
    findings: [],
    matched: [],
    redactedForLedger: undefined,
    forTool: request.arguments,
    modifiedForTool: false,
  };
  const inputProblem = checkInputLimits(request.arguments);
  if (inputProblem) {
    return {
      ...base,
      action: 'deny',
      reason: `input rejected: ${inputProblem}`,
      rule: { policy: 'gatehouse', kind: 'global', rule: 'input-limits' },
      matched: [],
      guardrails: emptyGuardrails,
      error: { code: 'INPUT_TOO_LARGE', message: inputProblem },
    };
  }
  let guardrails: GuardrailOutcome;
  const guardrailCandidates: Candidate[] = [];
  try {
    const applicable = bundle.guardrailPolicies.filter((p) => selects(p.selector, request));
    guardrails = runGuardrails(applicable, request.arguments, guardrailCandidates, options.redactionKeys ?? {});
  } catch (error) {
    return failClosed(base, emptyGuardrails, { policy: 'gatehouse', kind: 'global', rule: 'detectors' }, error);
  }

  const vars = variables(request);
  const candidates: Candidate[] = [...guardrailCandidates];
  const defaults: Candidate[] = [];
  let covered = false;
  for (const policy of bundle.toolPolicies) {
    if (!selects(policy.selector, request)) continue;
    covered = true;
    const before = candidates.length;
    const named = policy.index.rulesFor(request.tool);
    for (let i = 0; i < named.length; i++) {
      const candidate = matchRule(named[i]!, vars);
      if (candidate) candidates.push(candidate);
    }
    if (candidates.length === before) defaults.push(policy.index.defaultCandidate);
  }

  if (!covered) {
    // no ToolPolicy covers the call: the global default decides, unless a guardrail is stricter
    const action = options.globalDefault ?? 'deny';
    defaults.push({
      action,
      ref: { policy: 'gatehouse', kind: 'global', rule: 'globalDefault' },
      reason: `no policy covers agent "${request.agent.id}" calling ${request.server}/${request.tool}; global default is ${action}`,
    });
  }
  const pool = covered ? (candidates.length > 0 ? candidates : defaults) : [...defaults, ...candidates];
  const ordered = mostRestrictiveFirst(pool);
  const winner = ordered[0]!;
  // Built property by property (same keys, same order): an object spread here was a third of
  // this function's own time.
  const decision: PolicyDecision = {
    bundleDigest: base.bundleDigest,
    rateLimits: base.rateLimits,
    action: winner.action,
    reason: winner.reason,
    rule: winner.ref,
    matched: ordered.map((c) => c.ref),
    guardrails,
  };
  if (winner.error) decision.error = winner.error;
  if (winner.action === 'require_approval' && winner.rule?.approval) decision.approval = winner.rule.approval;
  if (winner.action === 'require_approval' && !decision.approval) decision.approval = { type: 'human-in-the-loop', timeoutMs: 15 * 60_000 };
  if (winner.action !== 'deny') {
    try {
      decision.rateLimits = rateLimitsFor(candidates, request, vars);
    } catch (error) {
      return failClosed(base, guardrails, winner.ref, error);
    }
  }
  return decision;
}

function failClosed(
  base: { bundleDigest: string; rateLimits: RateLimitRequirement[] },
  guardrails: GuardrailOutcome,
  ref: RuleRef,
  error: unknown,
): PolicyDecision {
  const code = error instanceof GatehouseError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return { ...base, action: 'deny', reason: `fail closed: ${message}`, rule: ref, matched: [ref], guardrails, error: { code, message } };
}

export function selects(selector: Selector, request: PolicyRequest): boolean {
  if (selector.server && !selector.server.test(request.server)) return false;
  if (selector.agents && !anyMatches(selector.agents, request.agent.id)) return false;
  if (selector.tenant && !selector.tenant.test(request.tenant ?? '')) return false;
  return true;
}

/** `globs.some((g) => g.test(name))` without a closure per call (this runs for every rule of every decision). */
function anyMatches(globs: readonly { test(name: string): boolean }[], name: string): boolean {
  for (let i = 0; i < globs.length; i++) if (globs[i]!.test(name)) return true;
  return false;
}

function variables(request: PolicyRequest): CelVariables {
  return {
    request: { tool: request.tool, server: request.server, arguments: request.arguments ?? {} },
    agent: request.agent,
    session: request.session ?? {},
    tenant: request.tenant ?? '',
    now: request.now ?? new Date(),
  };
}

/** A stable sort by RANK, most restrictive first, without a comparator call per pair. */
function mostRestrictiveFirst(pool: readonly Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const action of ['deny', 'require_approval', 'allow'] as const) {
    for (let i = 0; i < pool.length; i++) if (pool[i]!.action === action) out.push(pool[i]!);
  }
  return out;
}

/** The rule's candidate when all its conditions hold (its tools already name the call's tool). */
function matchRule({ rule, matched }: IndexedRule, vars: CelVariables): Candidate | undefined {
  for (const condition of rule.conditions) {
    let result: unknown;
    try {
      result = condition.program.evaluate(vars);
    } catch (error) {
      const message = cutText(error instanceof Error ? error.message : String(error), MESSAGE_MAX);
      return {
        action: 'deny',
        ref: rule.ref,
        rule,
        reason: `fail closed: condition ${JSON.stringify(condition.source)} at ${condition.where} could not be evaluated: ${message}`,
        error: { code: error instanceof GatehouseError ? error.code : 'CEL_EVAL', message },
      };
    }
    if (result !== true) {
      if (typeof result !== 'boolean') {
        return {
          action: 'deny',
          ref: rule.ref,
          rule,
          reason: `fail closed: condition ${JSON.stringify(condition.source)} at ${condition.where} returned ${typeof result}, not a boolean`,
          error: { code: 'CEL_EVAL', message: 'condition did not return a boolean' },
        };
      }
      return undefined;
    }
  }
  return matched;
}

/**
 * Longest CEL error message a reason quotes. An error can quote a value from the arguments (`no
 * such key: <key>`); quoted whole, a 300,000-character key took the reason and error past the
 * ledger's entry size limit, and the call was refused as "could not be recorded".
 */
const MESSAGE_MAX = 1000;

/** Longest rate-limit key kept as written; a longer one (from the arguments) is kept as its digest. */
const RATE_KEY_MAX = 256;

/**
 * A `rateLimit.key` expression such as `request.arguments.user` yields whatever the caller sent:
 * every allowed call stored that text in the limits store (a megabyte per row). Equal keys still
 * give equal digests, so the windows are the same.
 */
function boundedKey(key: string): string {
  return key.length > RATE_KEY_MAX ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
}

function rateLimitsFor(candidates: Candidate[], request: PolicyRequest, vars: CelVariables): RateLimitRequirement[] {
  const out: RateLimitRequirement[] = [];
  for (const c of candidates) {
    const rl = c.rule?.rateLimit;
    if (!rl) continue;
    const key = rl.key ? boundedKey(String(rl.key.evaluate(vars))) : `${request.tenant ?? ''}/${request.agent.id}/${request.server}/${request.tool}`;
    out.push({ rule: c.ref, limit: rl.limit, windowMs: rl.windowMs, key: `${c.ref.policy}/${c.ref.rule}:${key}` });
  }
  return out;
}

function runGuardrails(policies: CompiledGuardrailPolicy[], args: unknown, candidates: Candidate[], keys: RedactionKeys): GuardrailOutcome {
  const outcome: GuardrailOutcome = { findings: [], matched: [], redactedForLedger: args, forTool: args, modifiedForTool: false };
  for (const policy of policies) {
    const rules = policy.rules.filter((r) => r.surfaces.includes('arguments'));
    if (rules.length === 0) continue;
    const ledgerResult = applyGuardrails(outcome.redactedForLedger, 'arguments', rules, { ...keys, customRecognizers: policy.recognizers });
    // One by one: a spread of ~130,000 findings (1 MB of IP addresses) overflowed the stack.
    for (const f of ledgerResult.findings) outcome.findings.push(f);
    outcome.redactedForLedger = ledgerResult.redacted;
    const toolRules = rules.filter((r) => r.action === 'redact' && r.applyTo.includes('tool'));
    if (toolRules.length > 0) {
      const toolResult = applyGuardrails(outcome.forTool, 'arguments', toolRules, { ...keys, customRecognizers: policy.recognizers });
      if (toolResult.matched.length > 0) {
        outcome.forTool = toolResult.redacted;
        outcome.modifiedForTool = true;
      }
    }
    for (const m of ledgerResult.matched) {
      const rule = rules.find((r) => r.name === m.rule)!;
      outcome.matched.push({ rule: rule.ref, finding: m.finding, action: m.action });
      if (m.action === 'deny' || m.action === 'require_approval') {
        candidates.push({
          action: m.action,
          ref: rule.ref,
          reason: `guardrail "${rule.name}" of ${policy.name}: ${m.finding.detector} found ${m.finding.type} at ${reasonPath(m.finding.path)}`,
        });
      }
    }
  }
  return outcome;
}
