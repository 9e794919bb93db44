import { z } from 'zod';

/**
 * The policy document schema. It is the single source of truth: validation, the TypeScript
 * types and the published JSON Schema (schema/policy.schema.json) all derive from it.
 */

export const ACTIONS = ['allow', 'deny', 'require_approval'] as const;
export type Action = (typeof ACTIONS)[number];

export const GUARDRAIL_ACTIONS = ['flag', 'redact', 'deny', 'require_approval'] as const;
export const DETECTORS = ['pii', 'secrets', 'injection', 'destructive', 'poisoning', 'custom'] as const;
export const SURFACES = ['arguments', 'result', 'definition'] as const;

/** A duration such as 45s, 30m, 1h, 2d (or milliseconds as a number). */
const duration = z
  .union([z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration like 45s, 30m, 1h or 2d'), z.number().int().positive()])
  .describe('A duration: 45s, 30m, 1h, 2d, or milliseconds');

const celExpression = z.string().min(1).describe('A CEL expression');

const metadata = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/, 'lowercase letters, digits, ".", "_" and "-" (like a Kubernetes name)')
    .describe('Unique name of this document within the bundle'),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const agentSelector = {
  agent: z.string().min(1).optional().describe('Agent id (or glob, or "*") this document applies to'),
  agents: z.array(z.string().min(1)).min(1).optional().describe('Agent ids or globs this document applies to'),
  mcpServer: z
    .string()
    .min(1)
    .optional()
    .describe('MCP server name (or glob), or "builtin" for the agent runtime\'s own tools; omitted means any server'),
  tenant: z.string().min(1).optional().describe('Tenant (or glob) this document applies to; omitted means any tenant'),
};

export const approvalSchema = z.strictObject({
  type: z.enum(['human-in-the-loop', 'human']).default('human-in-the-loop'),
  timeout: duration.optional().describe('How long the request waits before it expires (denied); default 15m'),
  approvers: z.array(z.string().min(1)).optional().describe('Who may decide; anyone with the approver role if omitted'),
});

export const rateLimitSchema = z.strictObject({
  limit: z.number().int().positive().describe('Calls allowed per window'),
  per: duration.describe('Window length (sliding)'),
  key: celExpression.optional().describe('CEL expression for the bucket key; default: agent id + tool'),
});

export const toolRuleSchema = z.strictObject({
  name: z.string().min(1).optional().describe('Rule name shown in decisions; default rules[i]'),
  description: z.string().optional(),
  tools: z.array(z.string().min(1)).min(1).describe('Tool names or globs (*, ?, [abc], {a,b})'),
  action: z.enum(ACTIONS),
  conditions: z
    .array(z.strictObject({ cel: celExpression }))
    .optional()
    .describe('All conditions must be true for the rule to match'),
  approval: approvalSchema.optional(),
  rateLimit: rateLimitSchema.optional(),
  reason: z.string().optional().describe('Message returned to the agent when this rule decides'),
});

export const toolPolicySchema = z.strictObject({
  apiVersion: z.literal('gatehouse.dev/v1').optional(),
  kind: z.literal('ToolPolicy'),
  metadata,
  spec: z.strictObject({
    ...agentSelector,
    defaultAction: z.enum(ACTIONS).default('deny').describe('Applies only when no rule of this policy matches'),
    rules: z.array(toolRuleSchema).default([]),
  }),
});

export const redactionSchema = z.strictObject({
  mode: z.enum(['mask', 'hash', 'encrypt']).default('mask'),
  keyId: z.string().min(1).optional().describe('Encryption key name (mode encrypt)'),
  applyTo: z
    .array(z.enum(['ledger', 'tool', 'agent']))
    .optional()
    .describe('Where the redacted form is used: ledger (always), tool (arguments it receives), agent (result it sees)'),
});

export const guardrailRuleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  detector: z.enum(DETECTORS),
  types: z.array(z.string().min(1)).optional().describe('Finding types this rule reacts to; all if omitted'),
  on: z.array(z.enum(SURFACES)).min(1).default(['arguments', 'result']),
  minConfidence: z.number().min(0).max(1).optional(),
  action: z.enum(GUARDRAIL_ACTIONS),
  redaction: redactionSchema.optional(),
  sensitive: z.boolean().optional().describe('Matched values are masked in what the ledger and console store (default: true for redact rules and for the pii and secrets detectors)'),
});

export const recognizerSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lowercase snake_case'),
  pattern: z.string().min(1).max(1000),
  flags: z.string().regex(/^[i]*$/, 'only "i" is supported').optional(),
  validator: z.enum(['luhn', 'iban', 'mod97']).optional(),
  context: z.array(z.string().min(1)).optional(),
  confidence: z.number().min(0).max(1).optional(),
});

export const guardrailPolicySchema = z.strictObject({
  apiVersion: z.literal('gatehouse.dev/v1').optional(),
  kind: z.literal('GuardrailPolicy'),
  metadata,
  spec: z.strictObject({
    ...agentSelector,
    recognizers: z.array(recognizerSchema).optional(),
    rules: z.array(guardrailRuleSchema).min(1),
  }),
});

export const policyDocumentSchema = z.discriminatedUnion('kind', [toolPolicySchema, guardrailPolicySchema]);

export type ToolPolicyDoc = z.output<typeof toolPolicySchema>;
export type ToolRuleDoc = z.output<typeof toolRuleSchema>;
export type GuardrailPolicyDoc = z.output<typeof guardrailPolicySchema>;
export type GuardrailRuleDoc = z.output<typeof guardrailRuleSchema>;
export type RecognizerDoc = z.output<typeof recognizerSchema>;
export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export const KINDS = ['ToolPolicy', 'GuardrailPolicy'] as const;

/** The JSON Schema published for editors (yaml-language-server) and other tools. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policyDocumentSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://gatehouse.dev/schema/policy.schema.json',
    title: 'Gatehouse policy document (ToolPolicy | GuardrailPolicy)',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
