import type {
  CanUseTool,
  HookCallback,
  HookCallbackMatcher,
  HookJSONOutput,
  PermissionResult,
  PostToolUseHookInput,
  PreToolUseHookInput,
} from '@anthropic-ai/claude-agent-sdk';
import { errorMessage } from '../../errors.ts';
import type { Decision } from '../../govern/types.ts';
import { GovernanceDenied, GovernanceEscalated } from '../sdk/errors.ts';
import { GatehouseHarness, type DecisionClient } from '../sdk/harness.ts';

export interface ClaudeAgentSdkOptions {
  agent: string;
  tenant?: string;
  /** true (default): a call that needs a human waits for the decision; false: it is denied with the approval id. */
  blockOnEscalate?: boolean;
  escalationTimeoutMs?: number;
}

export interface ClaudeAgentSdkGovernance {
  /** Pass as `options.canUseTool` to query(). */
  canUseTool: CanUseTool;
  /** Pass as `options.hooks` to query(): PreToolUse decides, PostToolUse checks and redacts results. */
  hooks: { PreToolUse: HookCallbackMatcher[]; PostToolUse: HookCallbackMatcher[] };
  preToolUse: HookCallback;
  postToolUse: HookCallback;
}

/**
 * Gatehouse for the Claude Agent SDK: tool names such as `mcp__github__create_issue` map to
 * server github / tool create_issue and `Bash` to builtin / bash. Use canUseTool or the
 * PreToolUse hook (or both: a call decided by the hook is remembered and not decided twice).
 */
export function claudeAgentSdkGovernance(client: DecisionClient, options: ClaudeAgentSdkOptions): ClaudeAgentSdkGovernance {
  const harness = new GatehouseHarness(client, {
    agent: options.agent,
    ...(options.tenant ? { tenant: options.tenant } : {}),
    blockOnEscalate: options.blockOnEscalate ?? true,
    ...(options.escalationTimeoutMs !== undefined ? { escalationTimeoutMs: options.escalationTimeoutMs } : {}),
    enforcementPoint: 'claude-agent-sdk',
  });
  // tool_use_id → the allow decision, so PostToolUse can tie the result to it
  const decided = new Map<string, Decision>();
  const remember = (toolUseId: string | undefined, decision: Decision) => {
    if (!toolUseId) return;
    decided.set(toolUseId, decision);
    if (decided.size > 10_000) decided.delete(decided.keys().next().value!);
  };

  const decide = async (toolName: string, input: unknown, sessionId: string | undefined, signal: AbortSignal | undefined) => {
    try {
      const decision = await harness.govern(toolName, input, {
        ...(sessionId ? { session: { id: sessionId } } : {}),
        ...(signal ? { signal } : {}),
      });
      return { ok: true as const, decision };
    } catch (error) {
      if (error instanceof GovernanceEscalated) {
        return { ok: false as const, message: `Gatehouse: approval required (approval ${error.approvalId}, expires ${error.expiresAt}): ${error.decision.reason}` };
      }
      if (error instanceof GovernanceDenied) return { ok: false as const, message: `Gatehouse denied this call: ${error.reason}` };
      return { ok: false as const, message: `Gatehouse could not decide this call, so it is denied: ${errorMessage(error)}` };
    }
  };

  const canUseTool: CanUseTool = async (toolName, input, opts): Promise<PermissionResult> => {
    const earlier = decided.get(opts.toolUseID);
    if (earlier) return { behavior: 'allow', updatedInput: earlier.arguments as Record<string, unknown>, toolUseID: opts.toolUseID };
    const outcome = await decide(toolName, input, undefined, opts.signal);
    if (!outcome.ok) return { behavior: 'deny', message: outcome.message, toolUseID: opts.toolUseID };
    remember(opts.toolUseID, outcome.decision);
    return { behavior: 'allow', updatedInput: outcome.decision.arguments as Record<string, unknown>, toolUseID: opts.toolUseID };
  };

  const preToolUse: HookCallback = async (input, toolUseId, { signal }): Promise<HookJSONOutput> => {
    if (input.hook_event_name !== 'PreToolUse') return {};
    const pre = input as PreToolUseHookInput;
    const outcome = await decide(pre.tool_name, pre.tool_input, pre.session_id, signal);
    if (!outcome.ok) {
      return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: outcome.message } };
    }
    remember(toolUseId ?? pre.tool_use_id, outcome.decision);
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        permissionDecisionReason: `Gatehouse: ${outcome.decision.reason}`,
        ...(outcome.decision.argumentsModified ? { updatedInput: outcome.decision.arguments as Record<string, unknown> } : {}),
      },
    };
  };

  const postToolUse: HookCallback = async (input, toolUseId): Promise<HookJSONOutput> => {
    if (input.hook_event_name !== 'PostToolUse') return {};
    const post = input as PostToolUseHookInput;
    const id = toolUseId ?? post.tool_use_id;
    const decision = decided.get(id);
    decided.delete(id);
    const isMcp = post.tool_name.startsWith('mcp__');
    const replace = (output: unknown) => ({ hookEventName: 'PostToolUse' as const, ...(isMcp ? { updatedMCPToolOutput: output } : { updatedToolOutput: output }) });
    if (!decision) {
      // A result for a call Gatehouse never allowed: withhold it rather than pass it on unchecked.
      return { decision: 'block', reason: 'Gatehouse has no decision for this tool call', hookSpecificOutput: replace('[withheld by Gatehouse: no decision recorded for this call]') };
    }
    try {
      const checked = await client.afterCall(decision.actionId, post.tool_response, { enforcementPoint: 'claude-agent-sdk' });
      if (checked.action === 'allow') return {};
      if (checked.action === 'redact') return { hookSpecificOutput: replace(checked.result) };
      return { decision: 'block', reason: `Gatehouse: ${checked.reason}`, hookSpecificOutput: replace(`[withheld by Gatehouse: ${checked.reason}]`) };
    } catch (error) {
      return { decision: 'block', reason: `Gatehouse could not check the result: ${errorMessage(error)}`, hookSpecificOutput: replace('[withheld by Gatehouse: the result could not be checked]') };
    }
  };

  return {
    canUseTool,
    preToolUse,
    postToolUse,
    hooks: { PreToolUse: [{ hooks: [preToolUse], onFailure: 'block' }], PostToolUse: [{ hooks: [postToolUse], onFailure: 'block' }] },
  };
}
