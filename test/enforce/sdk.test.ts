import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createGatehouse, GovernanceDenied, GovernanceEscalated } from '../../src/enforce/sdk/index.ts';
import { testDeployment } from '../helpers/runtime.ts';

const d = testDeployment();
after(() => d.cleanup());

const open = (blockOnEscalate: boolean) =>
  createGatehouse({ config: d.configFile, agent: 'dev-assistant', tenant: 'acme', blockOnEscalate, escalationTimeoutMs: 5_000 });

test('govern resolves for allowed calls (mcp__server__tool names map to server + tool) and throws GovernanceDenied otherwise', async () => {
  const gh = await open(true);
  try {
    const decision = await gh.govern('mcp__github__create_issue', { title: 'flaky test' });
    assert.equal(decision.action, 'allow');
    await assert.rejects(gh.govern('mcp__github__delete_file', { path: 'README.md' }), (e: unknown) => {
      assert.ok(e instanceof GovernanceDenied);
      assert.equal(e.code, 'GOVERNANCE_DENIED');
      assert.match(e.reason, /no-writes/);
      assert.match(e.actionId, /^[0-9a-f-]{36}$/);
      return true;
    });
    await assert.rejects(gh.govern('create_issue', {}, { server: 'github', agent: 'intruder' }), GovernanceDenied);
  } finally {
    await gh.close();
  }
});

test('blockOnEscalate: false throws GovernanceEscalated with the approval id; a retry after approval proceeds', async () => {
  const gh = await open(false);
  try {
    const escalated = await gh.govern('mcp__github__merge_pull_request', { pull_number: 3 }).catch((e: unknown) => e);
    assert.ok(escalated instanceof GovernanceEscalated);
    await gh.runtime!.approvals.approve(escalated.approvalId, { by: 'alice' });
    const retried = await gh.govern('mcp__github__merge_pull_request', { pull_number: 3 }, { approvalId: escalated.approvalId });
    assert.equal(retried.action, 'allow');
  } finally {
    await gh.close();
  }
});

test('blockOnEscalate: true waits and is released the moment a human approves; a denial throws', async () => {
  const gh = await open(true);
  try {
    const approveSoon = async (decision: 'approve' | 'deny') => {
      for (;;) {
        const [pending] = await gh.runtime!.approvals.list({ status: 'pending' });
        if (pending) {
          if (decision === 'approve') await gh.runtime!.approvals.approve(pending.id, { by: 'alice' });
          else await gh.runtime!.approvals.deny(pending.id, { by: 'bob', reason: 'not today' });
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const [decision] = await Promise.all([gh.govern('mcp__github__merge_pull_request', { pull_number: 4 }), approveSoon('approve')]);
    assert.equal(decision.action, 'allow');
    const [denied] = await Promise.all([gh.govern('mcp__github__merge_pull_request', { pull_number: 5 }).catch((e: unknown) => e), approveSoon('deny')]);
    assert.ok(denied instanceof GovernanceDenied);
    assert.match(denied.reason, /denied: not today \(by bob\)/);
  } finally {
    await gh.close();
  }
});

test('wrap governs a function tool, passes the arguments it was allowed, and checks its result', async () => {
  const gh = await open(true);
  try {
    const getFile = gh.wrap('mcp__github__get_file_contents', async (input: { path: string }) => ({ path: input.path, content: 'card 4111 1111 1111 1111' }));
    const out = await getFile({ path: 'a.txt' });
    assert.equal(out.path, 'a.txt');
    assert.doesNotMatch(out.content, /4111 1111 1111 1111/);
    const deleteFile = gh.wrap('mcp__github__delete_file', async () => 'deleted');
    await assert.rejects(deleteFile({}), GovernanceDenied);
  } finally {
    await gh.close();
  }
});

test('remote: arguments that cannot be sent as JSON are INPUT_INVALID naming why, not a RangeError or TypeError', async () => {
  const { RemoteClient } = await import('../../src/enforce/sdk/remote.ts');
  const { GatehouseHarness } = await import('../../src/enforce/sdk/harness.ts');
  const { GatehouseError } = await import('../../src/errors.ts');
  // nothing listens there: the call must fail before any request is made
  const gh = new GatehouseHarness(new RemoteClient({ url: 'http://127.0.0.1:9', apiKey: 'gh_x_y', timeoutMs: 1_000 }), { agent: 'dev-assistant' });
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 20_000; i++) deep = (deep.x = {}) as Record<string, unknown>;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const [args, why] of [[root, /Maximum call stack/], [{ n: 1n }, /BigInt/], [cyclic, /circular/]] as const) {
    await assert.rejects(gh.govern('mcp__github__create_issue', args), (e: unknown) => {
      assert.ok(e instanceof GatehouseError, String(e));
      assert.equal(e.code, 'INPUT_INVALID');
      assert.match(e.message, /^the call cannot be sent as JSON: /);
      assert.match(e.message, why);
      return true;
    });
  }
});

test('a tool name that is not a string is a recorded invalid call, not a TypeError', async () => {
  const gh = await open(false);
  try {
    // was TypeError 'name.replace is not a function' (the Claude Agent SDK hooks passed it on as the deny reason)
    for (const name of [42, undefined, { tool: 'x' }]) {
      await assert.rejects(gh.govern(name as never, {}), (e: unknown) => {
        assert.ok(e instanceof GovernanceDenied, String(e));
        assert.match(e.reason, /^invalid call: tool must be 1-256 characters/);
        return true;
      });
    }
  } finally {
    await gh.close();
  }
});
