import { GatehouseError } from '../errors.ts';
import type { CustomRecognizer, DetectLimits, Finding, Surface } from './types.ts';
import { DETECTOR_NAMES } from './types.ts';
import { detectAll } from './detect-all.ts';
import { redactValue, type Redaction, type RedactionKeys, type RedactionSpec } from './redact.ts';

export type GuardrailAction = 'flag' | 'redact' | 'deny' | 'require_approval';
export type GuardrailOutcome = 'allow' | GuardrailAction;

export interface GuardrailRule {
  name: string;
  detector: string;
  /** Finding types this rule covers (default: all of the detector's). */
  types?: string[];
  surfaces: Surface[];
  /** Default DEFAULT_RULE_MIN_CONFIDENCE: weak candidates (a bare 9-digit number as SSN) do not act. */
  minConfidence?: number;
  action: GuardrailAction;
  /** How to redact (default mask). Used by action 'redact'; other actions may set it to redact too. */
  redaction?: RedactionSpec;
}

export interface GuardrailOptions extends RedactionKeys {
  customRecognizers?: readonly CustomRecognizer[];
  limits?: DetectLimits;
}

export interface GuardrailResult {
  action: GuardrailOutcome;
  findings: Finding[];
  matched: Array<{ rule: string; finding: Finding; action: GuardrailAction }>;
  redacted: unknown;
}

export const DEFAULT_RULE_MIN_CONFIDENCE = 0.3;
const RANK: Record<GuardrailOutcome, number> = { allow: 0, flag: 1, redact: 2, require_approval: 3, deny: 4 };

/** The most restrictive of two outcomes: deny > require_approval > redact > flag > allow. */
export function mostRestrictive(a: GuardrailOutcome, b: GuardrailOutcome): GuardrailOutcome {
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * Runs the detectors the rules for `surface` need, matches findings to rules, and returns the most
 * restrictive action plus a redacted deep copy. Pure apart from random IVs for encryption.
 */
export function applyGuardrails(value: unknown, surface: Surface, rules: readonly GuardrailRule[], options: GuardrailOptions = {}): GuardrailResult {
  const active = rules.filter((r) => r.surfaces.includes(surface));
  for (const r of active) {
    if (!(DETECTOR_NAMES as readonly string[]).includes(r.detector)) {
      throw new GatehouseError('POLICY_INVALID', `guardrail rule ${JSON.stringify(r.name)}: unknown detector ${JSON.stringify(r.detector)}`, {
        hint: `known detectors: ${DETECTOR_NAMES.join(', ')}`,
      });
    }
    if (!(r.action in RANK)) throw new GatehouseError('POLICY_INVALID', `guardrail rule ${JSON.stringify(r.name)}: unknown action ${JSON.stringify(r.action)}`);
  }
  const detectors = [...new Set(active.map((r) => r.detector))];
  if (detectors.length === 0) return { action: 'allow', findings: [], matched: [], redacted: structuredClone(value) };
  const findings = detectAll(value, {
    surface,
    detectors,
    ...(options.customRecognizers ? { customRecognizers: options.customRecognizers } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  let action: GuardrailOutcome = 'allow';
  const matched: GuardrailResult['matched'] = [];
  const redactions: Redaction[] = [];
  for (const rule of active) {
    const min = rule.minConfidence ?? DEFAULT_RULE_MIN_CONFIDENCE;
    for (const f of findings) {
      if (f.detector !== rule.detector || f.confidence < min) continue;
      if (rule.types && !rule.types.includes(f.type)) continue;
      matched.push({ rule: rule.name, finding: f, action: rule.action });
      action = mostRestrictive(action, rule.action);
      if (rule.action === 'redact' || rule.redaction) redactions.push({ finding: f, spec: rule.redaction ?? { mode: 'mask' } });
    }
  }
  const redacted = redactions.length > 0 ? redactValue(value, redactions, options) : structuredClone(value);
  return { action, findings, matched, redacted };
}
