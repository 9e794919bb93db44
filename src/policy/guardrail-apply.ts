import { applyGuardrails, mostRestrictive, type Finding, type GuardrailOutcome, type RedactionKeys, type Surface } from '../detect/index.ts';
import type { CompiledGuardrailPolicy, RuleRef } from './types.ts';

export interface GuardrailPoliciesResult {
  /** Most restrictive over every matched rule: deny > require_approval > redact > flag > allow. */
  action: GuardrailOutcome;
  findings: Finding[];
  matched: Array<{ rule: RuleRef; finding: Finding; action: string }>;
  /** The value with every redaction applied (what the ledger stores). */
  redacted: unknown;
}

/** Runs GuardrailPolicies on one surface of a value (e.g. for `gatehouse detect --policy`). */
export function applyGuardrailPolicies(policies: readonly CompiledGuardrailPolicy[], surface: Surface, value: unknown, keys: RedactionKeys = {}): GuardrailPoliciesResult {
  const out: GuardrailPoliciesResult = { action: 'allow', findings: [], matched: [], redacted: value };
  for (const policy of policies) {
    const rules = policy.rules.filter((r) => r.surfaces.includes(surface));
    if (rules.length === 0) continue;
    const r = applyGuardrails(out.redacted, surface, rules, { ...keys, customRecognizers: policy.recognizers });
    out.redacted = r.redacted;
    for (const f of r.findings) out.findings.push(f); // a spread of ~130,000 overflows the stack
    out.action = mostRestrictive(out.action, r.action);
    for (const m of r.matched) {
      const rule = rules.find((x) => x.name === m.rule)!;
      out.matched.push({ rule: rule.ref, finding: m.finding, action: m.action });
    }
  }
  return out;
}
