import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PostToolUseHookInput, PreToolUseHookInput, SyncHookJSONOutput, PreToolUseHookSpecificOutput, PostToolUseHookSpecificOutput } from '@anthropic-ai/claude-agent-sdk';
import { claudeAgentSdkGovernance } from '../../src/enforce/claude-agent-sdk/index.ts';
import { testDeployment } from '../helpers/runtime.ts';

const POLICY = `
kind: ToolPolicy
metadata: { name: github }
spec:
  agent: coder
  mcpServer: github
  defaultAction: deny
  rules:
  - { tools: [get_file_contents, create_issue], action: allow }
  - { tools: [merge_pull_request], action: require_approval }
---
kind: ToolPolicy
metadata: { name: builtin }
spec:
  agent: coder
  mcpServer: builtin
  defaultAction: deny
  rules:
  - { name: read, tools: [read, grep, glob], action: allow }
  - { name: bash, tools: [bash], action: allow }
  - name: no-destructive
    tools: [bash]
    action: deny
    conditions: [{ cel: "destructive(request.arguments).count > 0" }]
---
kind: GuardrailPolicy
metadata: { name: cards }
spec:
  rules:
  - name: mask-cards
    detector: pii
    types: [credit_card]
    on: [result]
    action: redact
    redaction: { mode: mask, applyTo: [ledger, agent] }
`;
const d = testDeployment(POLICY);
after(() => d.cleanup());
const runtime = await d.open();
const client = {
  decide: (ctx: Parameters<typeof runtime.governor.decide>[0]) => runtime.governor.decide(ctx),
  afterCall: (id: string, r: unknown, o?: { enforcementPoint?: string }) => runtime.governor.afterCall(id, r, o),
  waitForApproval: (id: string, s?: AbortSignal) => runtime.governor.waitForApproval(id, s),
};
const governance = claudeAgentSdkGovernance(client, { agent: 'coder', blockOnEscalate: false });
const signal = new AbortController().signal;

const base = { session_id: 'sess-1', transcript_path: '/tmp/t.jsonl', cwd: '/work' };
const pre = (tool_name: string, tool_input: unknown, tool_use_id: string): PreToolUseHookInput => ({ ...base, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id });
const post = (tool_name: string, tool_input: unknown, tool_response: unknown, tool_use_id: string): PostToolUseHookInput => ({ ...base, hook_event_name: 'PostToolUse', tool_name, tool_input, tool_response, tool_use_id });
const preOut = (o: unknown) => (o as SyncHookJSONOutput).hookSpecificOutput as PreToolUseHookSpecificOutput;
const postOut = (o: unknown) => (o as SyncHookJSONOutput).hookSpecificOutput as PostToolUseHookSpecificOutput | undefined;

test('canUseTool: allow with updatedInput, deny with a message; builtin names are normalised', async () => {
  const allowed = await governance.canUseTool('mcp__github__create_issue', { title: 'x' }, { signal, toolUseID: 'tu-1', requestId: 'r1' } as never);
  assert.deepEqual(allowed, { behavior: 'allow', updatedInput: { title: 'x' }, toolUseID: 'tu-1' });
  const denied = await governance.canUseTool('mcp__github__delete_file', { path: 'a' }, { signal, toolUseID: 'tu-2', requestId: 'r2' } as never);
  assert.equal(denied!.behavior, "deny");
  assert.match((denied as { message: string }).message, /Gatehouse denied this call/);
  const rm = await governance.canUseTool('Bash', { command: 'rm -rf /' }, { signal, toolUseID: 'tu-3', requestId: 'r3' } as never);
  assert.equal(rm!.behavior, "deny");
  const ls = await governance.canUseTool('Bash', { command: 'ls -la' }, { signal, toolUseID: 'tu-4', requestId: 'r4' } as never);
  assert.equal(ls!.behavior, "allow");
});

test('PreToolUse hook returns permissionDecision allow/deny; an escalation names the approval', async () => {
  const allow = preOut(await governance.preToolUse(pre('Read', { file_path: '/work/a.ts' }, 'tu-10'), 'tu-10', { signal }));
  assert.equal(allow.permissionDecision, 'allow');
  const deny = preOut(await governance.preToolUse(pre('mcp__github__create_or_update_file', { path: 'a' }, 'tu-11'), 'tu-11', { signal }));
  assert.equal(deny.permissionDecision, 'deny');
  const ask = preOut(await governance.preToolUse(pre('mcp__github__merge_pull_request', { pull_number: 1 }, 'tu-12'), 'tu-12', { signal }));
  assert.equal(ask.permissionDecision, 'deny');
  assert.match(ask.permissionDecisionReason!, /approval required \(approval [0-9a-f-]{36}/);
  const ledgerKinds = (await runtime.ledger.range(0, 100)).map((r) => r.entry.enforcementPoint);
  assert.ok(ledgerKinds.includes('claude-agent-sdk'));
});

test('PostToolUse redacts MCP results through updatedMCPToolOutput and builtin results through updatedToolOutput', async () => {
  await governance.preToolUse(pre('mcp__github__get_file_contents', { path: 'pay.txt' }, 'tu-20'), 'tu-20', { signal });
  const mcp = postOut(await governance.postToolUse(post('mcp__github__get_file_contents', { path: 'pay.txt' }, { content: [{ type: 'text', text: 'card 4111 1111 1111 1111' }] }, 'tu-20'), 'tu-20', { signal }));
  assert.ok(mcp && 'updatedMCPToolOutput' in mcp);
  assert.doesNotMatch(JSON.stringify(mcp.updatedMCPToolOutput), /4111 1111 1111 1111/);
  await governance.preToolUse(pre('Read', { file_path: '/work/pay.txt' }, 'tu-21'), 'tu-21', { signal });
  const builtin = postOut(await governance.postToolUse(post('Read', { file_path: '/work/pay.txt' }, 'card 4111 1111 1111 1111', 'tu-21'), 'tu-21', { signal }));
  assert.ok(builtin && 'updatedToolOutput' in builtin);
  assert.doesNotMatch(String(builtin.updatedToolOutput), /4111 1111 1111 1111/);
  const clean = await governance.postToolUse(post('Read', {}, 'nothing here', 'tu-22'), 'tu-22', { signal });
  assert.equal((clean as SyncHookJSONOutput).decision, 'block', 'a result for a call never decided is withheld');
});

test('hooks are ready to pass to query(): matchers that block on failure', () => {
  assert.equal(governance.hooks.PreToolUse[0]!.onFailure, 'block');
  assert.equal(governance.hooks.PostToolUse[0]!.hooks[0], governance.postToolUse);
});
