import { applyGuardrails, type Finding, type RedactionKeys } from '../detect/index.ts';
import { selects } from './evaluate.ts';
import type { PolicyBundle, PolicyRequest, RuleRef } from './types.ts';
import { reasonPath } from './reason-path.ts';

export interface ResultDecision {
  action: 'allow' | 'redact' | 'deny' | 'require_approval';
  reason: string;
  findings: Finding[];
  /** What the agent should see: the result, or a redacted copy where a rule applies redaction to the agent. */
  forAgent: unknown;
  /** What the ledger and console may store. */
  forLedger: unknown;
  /** Rules that matched, most restrictive first. */
  matched: RuleRef[];
}

const RANK = { allow: 0, flag: 0, redact: 1, require_approval: 2, deny: 3 } as const;

/** Runs the GuardrailPolicies that cover this call on the tool's result (surface "result"). */
export function evaluateResult(bundle: PolicyBundle, request: Omit<PolicyRequest, 'arguments'>, result: unknown, keys: RedactionKeys = {}): ResultDecision {
  const req = { ...request, arguments: undefined };
  const outcome: ResultDecision = { action: 'allow', reason: 'no guardrail matched the result', findings: [], forAgent: result, forLedger: result, matched: [] };
  const matched: Array<{ ref: RuleRef; action: keyof typeof RANK; why: string }> = [];
  for (const policy of bundle.guardrailPolicies) {
    if (!selects(policy.selector, req)) continue;
    const rules = policy.rules.filter((r) => r.surfaces.includes('result'));
    if (rules.length === 0) continue;
    const forLedger = applyGuardrails(outcome.forLedger, 'result', rules, { ...keys, customRecognizers: policy.recognizers });
    outcome.forLedger = forLedger.redacted;
    for (const f of forLedger.findings) outcome.findings.push(f); // a spread of ~130,000 overflows the stack
    const agentRules = rules.filter((r) => r.action === 'redact' && r.applyTo.includes('agent'));
    if (agentRules.length > 0) {
      outcome.forAgent = applyGuardrails(outcome.forAgent, 'result', agentRules, { ...keys, customRecognizers: policy.recognizers }).redacted;
    }
    for (const m of forLedger.matched) {
      const rule = rules.find((r) => r.name === m.rule);
      if (!rule) continue;
      const action = (m.action === 'redact' && !rule.applyTo.includes('agent') ? 'flag' : m.action) as keyof typeof RANK;
      matched.push({ ref: rule.ref, action, why: `guardrail "${rule.name}" of ${policy.name}: ${m.finding.detector} found ${m.finding.type} at ${reasonPath(m.finding.path)}` });
    }
  }
  matched.sort((a, b) => RANK[b.action] - RANK[a.action]);
  outcome.matched = matched.map((m) => m.ref);
  const top = matched[0];
  if (top && top.action !== 'flag' && top.action !== 'allow') {
    outcome.action = top.action;
    outcome.reason = top.why;
  } else if (top) {
    outcome.reason = `flagged: ${top.why}`;
  }
  return outcome;
}
