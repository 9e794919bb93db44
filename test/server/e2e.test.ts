import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createGatehouse, GovernanceDenied } from '../../src/enforce/sdk/index.ts';
import { runCli } from '../helpers/cli.ts';
import { testDeployment } from '../helpers/runtime.ts';
import { startServe } from '../helpers/serve.ts';

// The acceptance scenario: a scripted agent loop governs its tool calls through the SDK against
// `gatehouse serve` on loopback; a human approves over the REST API; the ledger verifies.
test('end to end: agent loop through the SDK against gatehouse serve', async (t) => {
  const d = testDeployment();
  const serve = await startServe(d.configFile);
  try {
    const key = async (role: string, extra: string[] = []) => {
      const r = await runCli(['keys', 'create', '--db', serve.db, '--tenant', 'acme', '--role', role, '--json', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).token as string;
    };
    const [agentKey, approverKey] = await Promise.all([key('agent', ['--agent', 'dev-assistant']), key('approver', ['--name', 'alice'])]);
    const adminKey = readFileSync(serve.adminKeyFile!, 'utf8').trim();
    const api = async (method: string, path: string, token: string | undefined, body?: unknown) => {
      const res = await fetch(serve.url + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    };

    const agent = await createGatehouse({ agent: 'dev-assistant', remote: { url: serve.url, apiKey: agentKey }, blockOnEscalate: true, escalationTimeoutMs: 20_000 });
    const steps: string[] = [];

    // 1. allowed calls pass
    const issue = await agent.govern('mcp__github__create_issue', { title: 'Flaky test in CI' });
    assert.equal(issue.action, 'allow');
    steps.push(issue.actionId);
    const pr = await agent.govern('create_pull_request', { base: 'develop', head: 'fix' }, { server: 'github' });
    assert.equal(pr.action, 'allow');

    // 2. denied calls are refused with reasons
    const denied = await agent.govern('mcp__github__delete_file', { path: 'README.md' }).catch((e: unknown) => e);
    assert.ok(denied instanceof GovernanceDenied);
    assert.match(denied.reason, /no-writes/);
    const toMain = await agent.govern('mcp__github__create_pull_request', { base: 'main' }).catch((e: unknown) => e);
    assert.ok(toMain instanceof GovernanceDenied);

    // 3. a merge waits for approval, is approved over the REST API, proceeds
    const approver = (async () => {
      for (;;) {
        const list = await api('GET', '/api/v1/approvals?status=pending', approverKey);
        assert.equal(list.status, 200);
        const pending = list.body.approvals.find((a: { tool: string }) => a.tool === 'merge_pull_request');
        if (pending) {
          const approved = await api('POST', `/api/v1/approvals/${pending.id}/approve`, approverKey, { reason: 'reviewed the diff' });
          assert.equal(approved.status, 200, JSON.stringify(approved.body));
          assert.equal(approved.body.decidedBy, 'alice');
          return pending.id as string;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const [merge, approvalId] = await Promise.all([agent.govern('mcp__github__merge_pull_request', { pull_number: 42 }), approver]);
    assert.equal(merge.action, 'allow');
    assert.match(merge.reason, new RegExp(`approval ${approvalId} released this call`));

    // 4. another times out and is denied
    const timedOut = await agent.govern('mcp__github__quick_merge', { pull_number: 43 }).catch((e: unknown) => e);
    assert.ok(timedOut instanceof GovernanceDenied);
    assert.match(timedOut.reason, /expired/);

    // 5. results are checked after the call
    const read = await agent.govern('mcp__github__get_file_contents', { path: 'billing.txt' });
    const checked = await agent.afterCall(read.actionId, { text: 'card on file: 4111 1111 1111 1111' });
    assert.equal(checked.action, 'redact');
    assert.doesNotMatch(JSON.stringify(checked.result), /4111 1111 1111 1111/);

    // authentication and roles
    assert.equal((await api('GET', '/healthz', undefined)).status, 200);
    assert.equal((await api('GET', '/readyz', undefined)).status, 200);
    assert.equal((await api('POST', '/api/v1/decide', undefined, { tool: 'x' })).status, 401);
    assert.equal((await api('GET', '/api/v1/approvals', 'gh_0000000000000000_nope')).status, 401);
    const impersonate = await api('POST', '/api/v1/decide', agentKey, { tool: 'create_issue', server: 'github', agent: 'someone-else' });
    assert.equal(impersonate.status, 403);
    assert.equal((await api('GET', '/api/v1/ledger/entries', agentKey)).status, 403);
    assert.equal((await api('POST', `/api/v1/approvals/${approvalId}/approve`, agentKey, {})).status, 403);
    const broken = await fetch(serve.url + '/api/v1/decide', { method: 'POST', headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' }, body: '{"tool": ' });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, 'INPUT_INVALID');
    const metrics = await api('GET', '/metrics', adminKey);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /gatehouse_decisions_total\{action="allow",enforcement_point="http"\} \d+/);
    assert.match(metrics.body, /gatehouse_ledger_entries \d+/);
    const proof = await api('GET', `/api/v1/ledger/proof/${issue.actionId}`, adminKey);
    assert.equal(proof.status, 200);
    assert.ok(Array.isArray(proof.body.proof));

    // the ledger holds every step, and audit verify passes after a graceful shutdown
    assert.equal(await serve.stop(), 0, serve.stderr());
    const verify = await runCli(['audit', 'verify', '--db', serve.db, '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const tail = await runCli(['audit', 'tail', '--db', serve.db, '-n', '200', '--json']);
    assert.equal(tail.code, 0, tail.stderr);
    const entries = JSON.parse(tail.stdout) as Array<{ entry: { kind: string; decision?: string; tool?: string } }>;
    const kinds = entries.map((e) => e.entry.kind);
    for (const kind of ['decision', 'approval.requested', 'approval.granted', 'approval.expired', 'after_call']) {
      assert.ok(kinds.includes(kind), `ledger has ${kind}: ${kinds.join(',')}`);
    }
    const decisions = entries.filter((e) => e.entry.kind === 'decision').map((e) => `${e.entry.tool}:${e.entry.decision}`);
    for (const expected of ['create_issue:allow', 'delete_file:deny', 'merge_pull_request:require_approval', 'merge_pull_request:allow', 'quick_merge:require_approval']) {
      assert.ok(decisions.includes(expected), `ledger has ${expected}`);
    }
    t.diagnostic(`ledger entries: ${entries.length}`);
  } finally {
    await serve.stop();
    await d.cleanup();
  }
});
