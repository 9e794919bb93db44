import type { Action } from './schema.ts';
import type { Glob } from './glob.ts';
import type { CelProgram } from './cel/engine.ts';
import type { GuardrailRule, CustomRecognizer, Finding } from '../detect/index.ts';

export type { Action };

/** Where a decision came from: the rule, its document, and file:line:column. */
export interface RuleRef {
  policy: string;
  kind: 'ToolPolicy' | 'GuardrailPolicy' | 'global';
  rule: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface CompiledCondition {
  source: string;
  where: string;
  program: CelProgram;
}

export interface CompiledApproval {
  type: string;
  timeoutMs: number;
  approvers?: string[];
}

export interface CompiledRateLimit {
  limit: number;
  windowMs: number;
  key?: CelProgram;
}

export interface CompiledToolRule {
  ref: RuleRef;
  tools: Glob[];
  action: Action;
  conditions: CompiledCondition[];
  approval?: CompiledApproval;
  rateLimit?: CompiledRateLimit;
  reason?: string;
}

export interface Selector {
  /** null means "any". */
  agents: Glob[] | null;
  server: Glob | null;
  tenant: Glob | null;
}

export interface CompiledToolPolicy {
  name: string;
  ref: RuleRef;
  selector: Selector;
  defaultAction: Action;
  defaultRef: RuleRef;
  rules: CompiledToolRule[];
  /** Which rules name a given tool, and the candidates they yield (rule-index.ts). */
  index: ToolRuleLookup;
}

/** One possible outcome of a decision, before the most restrictive is chosen. */
export interface Candidate {
  action: Action;
  ref: RuleRef;
  reason: string;
  rule?: CompiledToolRule;
  error?: { code: string; message: string };
}

/** A rule of a policy together with the candidate it yields when it matches (built once). */
export interface IndexedRule {
  rule: CompiledToolRule;
  matched: Candidate;
}

export interface ToolRuleLookup {
  /** The candidate of the policy's defaultAction. */
  readonly defaultCandidate: Candidate;
  /** The rules whose `tools` name this tool, in the policy's order. */
  rulesFor(tool: string): readonly IndexedRule[];
}

export interface CompiledGuardrailPolicy {
  name: string;
  ref: RuleRef;
  selector: Selector;
  rules: Array<GuardrailRule & { ref: RuleRef; applyTo: Array<'ledger' | 'tool' | 'agent'>; sensitive: boolean }>;
  recognizers: CustomRecognizer[];
}

export interface PolicyBundle {
  /** Content digest of the bundle ("sha256:<hex>"), carried by every decision. */
  digest: string;
  files: string[];
  toolPolicies: CompiledToolPolicy[];
  guardrailPolicies: CompiledGuardrailPolicy[];
}

/** What a call looks like to the policy engine. */
export interface PolicyRequest {
  tool: string;
  /** MCP server name, or "builtin" for the runtime's own tools. */
  server: string;
  arguments?: unknown;
  agent: { id: string; [key: string]: unknown };
  session?: { id?: string; [key: string]: unknown };
  tenant?: string;
  now?: Date;
}

export interface RateLimitRequirement {
  rule: RuleRef;
  limit: number;
  windowMs: number;
  /** The evaluated bucket key. */
  key: string;
}

export interface GuardrailOutcome {
  findings: Finding[];
  matched: Array<{ rule: RuleRef; finding: Finding; action: string }>;
  /** The arguments as the ledger may store them (sensitive values redacted). */
  redactedForLedger: unknown;
  /** The arguments the tool should receive (differs only where a rule applies redaction to the tool). */
  forTool: unknown;
  modifiedForTool: boolean;
}

export interface PolicyDecision {
  action: Action;
  reason: string;
  /** The rule that decided; for uncovered calls, kind "global". */
  rule: RuleRef;
  /** Every rule that matched, most restrictive first. */
  matched: RuleRef[];
  bundleDigest: string;
  approval?: CompiledApproval;
  rateLimits: RateLimitRequirement[];
  guardrails: GuardrailOutcome;
  /** Set when the decision is a fail-closed deny caused by an error. */
  error?: { code: string; message: string };
}
