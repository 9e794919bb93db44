import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { openLedger } from '../../src/ledger/service/ledger.ts';
import { dev, testDeployment } from '../helpers/runtime.ts';

test('store unavailable: fail closed by default, recorded', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open();
    runtime.db.close(); // approvals live in this connection; the ledger and the limit counters have their own
    const decision = await runtime.governor.decide({ ...dev, tool: 'merge_pull_request', arguments: { pull_number: 9 } });
    assert.equal(decision.action, 'deny');
    assert.match(decision.reason, /^fail closed: .*database/i);
    const record = await runtime.ledger.getByActionId(decision.actionId);
    assert.equal(record?.entry.decision, 'deny');
    assert.equal((record?.entry.data as { error: { code: string } }).error.code, 'STORE_UNAVAILABLE');
  } finally {
    await d.cleanup();
  }
});

test('failOpen: true lets a call through when the pipeline fails, and records the pass as fail_open', async () => {
  const d = testDeployment(undefined, { decisions: { failOpen: true } });
  try {
    const runtime = await d.open();
    runtime.db.close();
    const decision = await runtime.governor.decide({ ...dev, tool: 'merge_pull_request', arguments: { pull_number: 9 } });
    assert.equal(decision.action, 'allow');
    assert.equal(decision.failOpen, true);
    const record = await runtime.ledger.getByActionId(decision.actionId);
    assert.equal(record?.entry.kind, 'fail_open');
    // failOpen never opens what policy denies, nor invalid input
    assert.equal((await runtime.governor.decide({ ...dev, tool: 'delete_file', arguments: {} })).action, 'deny');
    assert.equal((await runtime.governor.decide({ ...dev, agent: { id: 'bad id!' }, tool: 'x', arguments: {} })).action, 'deny');
    // arguments whose getter throws are unreadable input, not a pipeline failure (it was let through as fail_open)
    const unreadable = await runtime.governor.decide({
      ...dev,
      tool: 'create_issue',
      arguments: {
        get title(): string {
          throw new Error('getter exploded');
        },
      },
    });
    assert.equal(unreadable.action, 'deny');
    assert.equal(unreadable.failOpen, undefined);
    assert.match(unreadable.reason, /^invalid call: arguments could not be read: getter exploded/);
  } finally {
    await d.cleanup();
  }
});

test('a detector that throws fails closed with the reason', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open({
      detectors: [
        () => {
          throw new Error('model file corrupt');
        },
      ],
    });
    const decision = await runtime.governor.decide({ ...dev, tool: 'create_issue', arguments: {} });
    assert.equal(decision.action, 'deny');
    assert.match(decision.reason, /fail closed: model file corrupt/);
    assert.ok(decision.ledgerIndex >= 0);
  } finally {
    await d.cleanup();
  }
});

test('ledger unavailable: deny, and nothing already recorded is lost', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open();
    const before = await runtime.governor.decide({ ...dev, tool: 'create_issue', arguments: {} });
    assert.equal(before.action, 'allow');
    await runtime.ledger.close();
    const during = await runtime.governor.decide({ ...dev, tool: 'create_issue', arguments: {} });
    assert.equal(during.action, 'deny');
    assert.equal(during.ledgerIndex, -1);
    assert.match(during.reason, /could not be recorded in the ledger/);
    const reopened = await openLedger({ path: runtime.dbPath, readonly: true });
    try {
      const kept = await reopened.getByActionId(before.actionId);
      assert.equal(kept?.entry.decision, 'allow');
      const report = await reopened.verify();
      assert.equal(report.ok, true);
    } finally {
      await reopened.close();
    }
  } finally {
    await d.cleanup();
  }
});

test('hot reload: a valid edit swaps the bundle and is recorded; garbage is rejected and changes nothing', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open();
    const original = runtime.policies.bundle.digest;
    const text = readFileSync(d.policyFile, 'utf8');
    writeFileSync(d.policyFile, 'kind: ToolPolicy\nmetadata: { name: [broken\n');
    assert.equal(runtime.policies.reload(), false);
    assert.equal(runtime.policies.bundle.digest, original);
    assert.equal((await runtime.governor.decide({ ...dev, tool: 'create_issue', arguments: {} })).action, 'allow');
    writeFileSync(d.policyFile, text.replace('{ name: read, tools: [create_issue, list_issues, get_file_contents], action: allow }', '{ name: read, tools: [list_issues], action: allow }'));
    assert.equal(runtime.policies.reload(), true);
    const next = runtime.policies.bundle.digest;
    assert.notEqual(next, original);
    const after = await runtime.governor.decide({ ...dev, tool: 'create_issue', arguments: {} });
    assert.equal(after.action, 'deny');
    assert.equal(after.bundleDigest, next);
    await new Promise((r) => setTimeout(r, 50));
    const entries = (await runtime.ledger.range(0, 100)).map((r) => r.entry);
    const rejected = entries.find((e) => e.kind === 'policy.reload_rejected');
    const reload = entries.find((e) => e.kind === 'policy.reload');
    assert.equal(rejected?.data?.current, original);
    assert.deepEqual([reload?.data?.from, reload?.data?.to], [original, next]);
  } finally {
    await d.cleanup();
  }
});

test('hot reload: an edit with thousands of problems is still recorded as rejected (50 listed, the rest counted)', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open();
    const rules = Array.from({ length: 1500 }, (_, i) => `  - { tools: [t${i}], action: alow }\n`).join('');
    writeFileSync(d.policyFile, `kind: ToolPolicy\nmetadata: { name: p }\nspec:\n  agent: x\n  mcpServer: y\n  defaultAction: deny\n  rules:\n${rules}`);
    assert.equal(runtime.policies.reload(), false);
    // the entry listing all 1,500 problems passed the ledger's limit: no policy.reload_rejected at all
    // (the append is asynchronous: poll for it, up to 5 s)
    const find = async () => (await runtime.ledger.range(0, 100)).map((r) => r.entry).find((e) => e.kind === 'policy.reload_rejected');
    let rejected = await find();
    for (let i = 0; i < 100 && !rejected; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rejected = await find();
    }
    assert.ok(rejected, 'the rejection is recorded');
    assert.equal((rejected.data?.problems as unknown[]).length, 50);
    assert.equal(rejected.data?.problemsOmitted, 1450);
  } finally {
    await d.cleanup();
  }
});

test('approval webhook target down: the decision still returns, the failure is recorded, the request stays pending', async () => {
  const { createServer } = await import('node:http');
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const d = testDeployment(undefined, { approvals: { webhooks: [{ url: `http://127.0.0.1:${port}/hook`, secret: 'a-very-long-shared-secret' }] } });
  try {
    const runtime = await d.open({ webhookRetry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, timeoutMs: 500 } });
    const decision = await runtime.governor.decide({ ...dev, tool: 'merge_pull_request', arguments: { pull_number: 1 } });
    assert.equal(decision.action, 'require_approval');
    let failed;
    for (let i = 0; i < 100 && !failed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      failed = (await runtime.ledger.range(0, 100)).find((r) => r.entry.kind === 'approval.webhook_failed');
    }
    assert.ok(failed, 'webhook failure recorded in the ledger');
    assert.equal(failed.entry.data?.approvalId, decision.approval!.id);
    assert.equal((await runtime.approvals.get(decision.approval!.id)).status, 'pending');
  } finally {
    await d.cleanup();
  }
});

test('hot reload by file watching: an edit saved to disk takes effect without a restart', async () => {
  const d = testDeployment();
  try {
    const runtime = await d.open({ watchPolicies: true });
    const before = runtime.policies.bundle.digest;
    const text = readFileSync(d.policyFile, 'utf8');
    writeFileSync(d.policyFile, text.replace('{ name: no-writes, tools: [delete_file, create_or_update_file], action: deny }', '{ name: no-writes, tools: [delete_file, create_or_update_file, fork_repository], action: deny }'));
    for (let i = 0; i < 100 && runtime.policies.bundle.digest === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.notEqual(runtime.policies.bundle.digest, before, 'the watcher reloaded the edited file');
    const decision = await runtime.governor.decide({ ...dev, tool: 'fork_repository', arguments: {} });
    assert.equal(decision.rule.rule, 'no-writes');
  } finally {
    await d.cleanup();
  }
});
