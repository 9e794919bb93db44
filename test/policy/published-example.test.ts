import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, exampleBundle } from '../helpers/policy.ts';

// Jozu's April 2026 ToolPolicy, verbatim in examples/policies/github.yaml. Its prose: "starts from a
// default-deny posture and whitelists specific tools. It allows the agent to create issues and read
// code, permits PRs only against non-production branches, requires human approval for merges, and
// blocks file deletion and direct writes entirely."
const bundle = exampleBundle('github.yaml');
const call = (tool: string, args: Record<string, unknown> = {}, agent = 'dev-assistant', server = 'github') =>
  decide(bundle, { tool, server, agent: { id: agent }, arguments: args });

test('whitelisted tools are allowed: create issues and read code', () => {
  for (const tool of ['create_issue', 'list_issues', 'get_file_contents']) {
    const d = call(tool, { owner: 'acme', repo: 'app' });
    assert.equal(d.action, 'allow', tool);
    assert.equal(d.rule.rule, 'rules[0]');
    assert.equal(d.rule.file, 'examples/policies/github.yaml');
    assert.equal(d.rule.line, 13);
  }
});

test('PRs are permitted only against non-production branches', () => {
  assert.equal(call('create_pull_request', { base: 'develop' }).action, 'allow');
  assert.equal(call('create_pull_request', { base: 'feature/login' }).action, 'allow');
  for (const base of ['main', 'production', 'release-main', 'production-eu']) {
    const d = call('create_pull_request', { base });
    assert.equal(d.action, 'deny', base);
    assert.equal(d.rule.rule, 'defaultAction');
  }
});

test('a PR without a base branch is denied (fail closed), naming the condition', () => {
  const d = call('create_pull_request', { head: 'x' });
  assert.equal(d.action, 'deny');
  assert.equal(d.rule.rule, 'rules[1]');
  assert.match(d.reason, /fail closed/);
  assert.match(d.reason, /github\.yaml:18/);
});

test('merges require human approval with the 30m timeout', () => {
  const d = call('merge_pull_request', { pull_number: 7 });
  assert.equal(d.action, 'require_approval');
  assert.deepEqual(d.approval, { type: 'human-in-the-loop', timeoutMs: 30 * 60_000 });
});

test('file deletion and direct writes are blocked entirely', () => {
  assert.equal(call('delete_file', { path: 'a' }).action, 'deny');
  assert.equal(call('create_or_update_file', { path: 'a', content: 'b' }).action, 'deny');
  assert.equal(call('delete_file').rule.rule, 'rules[3]');
});

test('default deny: any other tool, another agent or another server is denied', () => {
  assert.equal(call('fork_repository').action, 'deny');
  assert.equal(call('fork_repository').rule.rule, 'defaultAction');
  const other = call('create_issue', {}, 'other-agent');
  assert.equal(other.action, 'deny');
  assert.equal(other.rule.kind, 'global');
  assert.equal(call('create_issue', {}, 'dev-assistant', 'gitlab').action, 'deny');
});

test('every decision carries the bundle digest', () => {
  assert.match(call('create_issue').bundleDigest, /^sha256:[0-9a-f]{64}$/);
});
