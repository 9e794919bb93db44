import { z } from 'zod';

/** Request bodies of the REST API; validation and the OpenAPI document both derive from these. */
export const decideBody = z.strictObject({
  tool: z.string().min(1).max(256),
  server: z.string().min(1).max(256).default('builtin'),
  arguments: z.unknown().optional(),
  agent: z.string().min(1).max(256).optional().describe('Required for non-agent keys; agent keys act as their own agent'),
  tenant: z.string().min(1).max(256).optional().describe('Ignored: the tenant comes from the API key'),
  session: z.record(z.string(), z.unknown()).optional(),
  approvalId: z.string().min(1).max(64).optional().describe('Retry an escalated call with its granted approval'),
  toolDefinition: z
    .strictObject({ name: z.string(), description: z.string().optional(), inputSchema: z.unknown().optional() })
    .optional(),
});

export const afterCallBody = z.strictObject({
  actionId: z.string().uuid(),
  result: z.unknown(),
});

export const approvalDecisionBody = z.strictObject({
  reason: z.string().min(1).max(2000).optional(),
});

export const spendBody = z.strictObject({
  scope: z.string().min(1).max(300).describe('"agent:<id>" or "tenant:<id>"'),
  amountUsd: z.number().nonnegative(),
});
