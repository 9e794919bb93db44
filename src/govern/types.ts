import type { Action, RuleRef } from '../policy/index.ts';
import type { Finding } from '../detect/index.ts';

/** Which door a call came through. */
export type EnforcementPoint = 'sdk' | 'claude-agent-sdk' | 'mcp' | 'managed' | 'http' | (string & {});

export interface ToolDefinition {
  name: string;
  description?: string;
  inputSchema?: unknown;
}

/** What every enforcement point builds for a tool call. */
export interface CallContext {
  tenant?: string;
  agent: { id: string; [key: string]: unknown };
  session?: { id?: string; [key: string]: unknown };
  /** MCP server name, or "builtin" for the runtime's own tools. */
  server: string;
  tool: string;
  arguments: unknown;
  enforcementPoint: EnforcementPoint;
  /** The tool's definition as the agent saw it, for the pinning check. */
  toolDefinition?: ToolDefinition;
  /** Set when retrying a call that was escalated: the approval that should release it. */
  approvalId?: string;
  now?: Date;
}

/** What every enforcement point gets back. */
export interface Decision {
  /** UUID of this decision's ledger entry; pass it to afterCall with the tool result. */
  actionId: string;
  action: Action;
  reason: string;
  rule: RuleRef;
  bundleDigest: string;
  /** Index of the durable ledger entry that recorded this decision. */
  ledgerIndex: number;
  /** The arguments the tool should receive: the originals, or a redacted copy where a GuardrailPolicy says so. */
  arguments: unknown;
  argumentsModified: boolean;
  argumentsDigest: string;
  findings: Finding[];
  approval?: { id: string; status: string; expiresAt: string };
  /** For a rate-limit or quota deny: when the call may succeed again. */
  retryAfterMs?: number;
  /** True when an internal failure let the call through because the deployment set failOpen. */
  failOpen?: boolean;
  latencyMs: number;
}

export interface AfterCallResult {
  actionId: string;
  /** allow: pass the result on; redact: pass `result` (redacted) on; deny: withhold it; require_approval: hold it for a human. */
  action: 'allow' | 'redact' | 'deny' | 'require_approval';
  reason: string;
  result: unknown;
  findings: Finding[];
  ledgerIndex: number;
}
