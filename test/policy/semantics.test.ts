import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleDigest } from '../../src/policy/index.ts';
import { bundleFrom, decide } from '../helpers/policy.ts';

const policy = (rules: string, extra = '') => `
kind: ToolPolicy
metadata: { name: p }
spec:
  agents: ["*"]
  defaultAction: allow
${extra}
  rules:
${rules}`;

test('most restrictive matching rule wins regardless of order', () => {
  const allowFirst = bundleFrom(policy(`  - { name: a, tools: ["*"], action: allow }\n  - { name: d, tools: [bash], action: deny }\n  - { name: r, tools: [bash], action: require_approval }`));
  const denyFirst = bundleFrom(policy(`  - { name: d, tools: [bash], action: deny }\n  - { name: r, tools: [bash], action: require_approval }\n  - { name: a, tools: ["*"], action: allow }`));
  for (const b of [allowFirst, denyFirst]) {
    const d = decide(b, { tool: 'bash' });
    assert.equal(d.action, 'deny');
    assert.equal(d.rule.rule, 'd');
    assert.deepEqual(d.matched.map((m) => m.rule), ['d', 'r', 'a']);
  }
  const approvalOverAllow = bundleFrom(policy(`  - { name: a, tools: [bash], action: allow }\n  - { name: r, tools: ["b*"], action: require_approval }`));
  assert.equal(decide(approvalOverAllow, { tool: 'bash' }).action, 'require_approval');
});

test('defaultAction applies only when no rule of the policy matches', () => {
  const b = bundleFrom(policy(`  - { name: only-read, tools: [read], action: deny }`));
  assert.equal(decide(b, { tool: 'read' }).action, 'deny');
  const d = decide(b, { tool: 'grep' });
  assert.equal(d.action, 'allow');
  assert.equal(d.rule.rule, 'defaultAction');
});

test('the most restrictive rule across several policies and files wins; defaults of unmatched policies do not override a match', () => {
  const strict = `kind: ToolPolicy\nmetadata: { name: strict }\nspec:\n  defaultAction: deny\n  rules:\n  - { tools: [read], action: allow }`;
  const loose = `kind: ToolPolicy\nmetadata: { name: loose }\nspec:\n  defaultAction: allow\n  rules:\n  - { tools: [bash], action: require_approval }`;
  const b = bundleFrom(strict, loose);
  assert.equal(decide(b, { tool: 'read' }).action, 'allow'); // strict matched allow; loose's default is not consulted
  assert.equal(decide(b, { tool: 'bash' }).action, 'require_approval');
  const nothing = decide(b, { tool: 'grep' }); // no rule anywhere: the defaults combine, most restrictive
  assert.equal(nothing.action, 'deny');
  assert.equal(nothing.rule.policy, 'strict');
});

test('several documents in one file', () => {
  const b = bundleFrom(`kind: ToolPolicy\nmetadata: { name: a }\nspec:\n  agent: alice\n  defaultAction: allow\n---\nkind: ToolPolicy\nmetadata: { name: b }\nspec:\n  agent: bob\n  defaultAction: deny\n`);
  assert.equal(decide(b, { tool: 'x', agent: { id: 'alice' } }).action, 'allow');
  assert.equal(decide(b, { tool: 'x', agent: { id: 'bob' } }).action, 'deny');
  assert.equal(decide(b, { tool: 'x', agent: { id: 'bob' } }).rule.line, 11);
});

test('a call no policy covers is denied unless the deployment sets another global default', () => {
  const b = bundleFrom(`kind: ToolPolicy\nmetadata: { name: a }\nspec:\n  agent: alice\n  mcpServer: github\n  defaultAction: allow\n`);
  const d = decide(b, { tool: 'x', agent: { id: 'mallory' }, server: 'github' });
  assert.equal(d.action, 'deny');
  assert.deepEqual(d.rule, { policy: 'gatehouse', kind: 'global', rule: 'globalDefault' });
  assert.equal(decide(b, { tool: 'x', agent: { id: 'alice' }, server: 'slack' }).action, 'deny');
  assert.equal(decide(b, { tool: 'x', agent: { id: 'mallory' } }, 'require_approval').action, 'require_approval');
});

test('globs select agents, servers and tools', () => {
  const b = bundleFrom(`kind: ToolPolicy\nmetadata: { name: a }\nspec:\n  agents: ["team-*"]\n  mcpServer: "git{hub,lab}"\n  defaultAction: deny\n  rules:\n  - { tools: ["get_*", "list_?ssues", "[cd]elete_*"], action: allow }\n`);
  const call = (tool: string, agent = 'team-a', server = 'github') => decide(b, { tool, agent: { id: agent }, server }).action;
  assert.equal(call('get_file'), 'allow');
  assert.equal(call('list_issues'), 'allow');
  assert.equal(call('delete_x'), 'allow');
  assert.equal(call('edelete_x'), 'deny');
  assert.equal(call('get_file', 'team-b', 'gitlab'), 'allow');
  assert.equal(call('get_file', 'ops', 'github'), 'deny');
  assert.equal(call('get_file', 'team-a', 'gitea'), 'deny');
});

test('conditions see request, agent, session, tenant and now', () => {
  const b = bundleFrom(policy(`  - name: r
    tools: [pay]
    action: deny
    conditions:
      - cel: "request.arguments.amount > 100 && agent.id == 'bot' && session.env == 'prod' && tenant == 'acme' && request.server == 'builtin' && request.tool == 'pay' && now > timestamp('2020-01-01T00:00:00Z')"`));
  const base = { tool: 'pay', agent: { id: 'bot' }, session: { env: 'prod' }, tenant: 'acme' };
  assert.equal(decide(b, { ...base, arguments: { amount: 500 } }).action, 'deny');
  assert.equal(decide(b, { ...base, arguments: { amount: 50 } }).action, 'allow');
  assert.equal(decide(b, { ...base, tenant: 'other', arguments: { amount: 500 } }).action, 'allow');
});

test('an expression error at evaluation is a deny with that reason (fail closed), even on an allow rule', () => {
  const b = bundleFrom(policy(`  - name: r\n    tools: [x]\n    action: allow\n    conditions:\n      - cel: "request.arguments.missing.deeper == 1"`));
  const d = decide(b, { tool: 'x', arguments: {} });
  assert.equal(d.action, 'deny');
  assert.equal(d.rule.rule, 'r');
  assert.match(d.reason, /fail closed/);
  assert.ok(d.error);
});

test('a condition that does not return a boolean is a deny', () => {
  const b = bundleFrom(policy(`  - name: r\n    tools: [x]\n    action: allow\n    conditions:\n      - cel: "request.arguments.n"`));
  const d = decide(b, { tool: 'x', arguments: { n: 1 } });
  assert.equal(d.action, 'deny');
  assert.match(d.reason, /not a boolean/);
});

test('rate limits of matched rules come back with their evaluated keys', () => {
  const b = bundleFrom(policy(`  - name: r\n    tools: [search]\n    action: allow\n    rateLimit: { limit: 5, per: 1m, key: "agent.id + ':' + request.arguments.index" }\n  - name: plain\n    tools: [search]\n    action: allow\n    rateLimit: { limit: 10, per: 1h }`));
  const d = decide(b, { tool: 'search', agent: { id: 'bot' }, arguments: { index: 'docs' } });
  assert.equal(d.action, 'allow');
  assert.deepEqual(
    d.rateLimits.map((r) => [r.limit, r.windowMs, r.key]),
    [
      [5, 60_000, 'p/r:bot:docs'],
      [10, 3_600_000, 'p/plain:/bot/builtin/search'],
    ],
  );
});

test('the bundle digest is content-addressed: same content same digest, any change a new one', () => {
  const a = { path: 'a.yaml', text: 'x: 1' };
  const b = { path: 'b.yaml', text: 'y: 2' };
  assert.equal(bundleDigest([a, b]), bundleDigest([b, a]));
  assert.equal(bundleDigest([a, b]), bundleDigest([{ ...a, path: 'elsewhere/a.yaml' }, b]));
  assert.notEqual(bundleDigest([a, b]), bundleDigest([a, { ...b, text: 'y: 3' }]));
});

test('a guardrail cannot loosen the global default for a call no ToolPolicy covers', () => {
  const b = bundleFrom(`kind: GuardrailPolicy\nmetadata: { name: g }\nspec:\n  rules:\n  - { detector: pii, types: [credit_card], on: [arguments], action: require_approval }\n`);
  const d = decide(b, { tool: 'x', arguments: { card: '4111 1111 1111 1111' } });
  assert.equal(d.action, 'deny');
  assert.equal(d.rule.rule, 'globalDefault');
  const open = decide(b, { tool: 'x', arguments: { card: '4111 1111 1111 1111' } }, 'allow');
  assert.equal(open.action, 'require_approval', 'with an allowing global default, the guardrail still applies');
  assert.equal(decide(b, { tool: 'x', arguments: {} }, 'allow').action, 'allow');
});

test('a condition error quoting a huge value is cut in the reason (the decision must fit its ledger entry)', () => {
  const b = bundleFrom(policy(`  - { name: lookup, tools: [t], action: allow, conditions: [{ cel: "request.arguments[request.arguments.x] == 1" }] }`));
  // "no such key: <300,000 characters>" was quoted whole, in the reason and again in the error
  const d = decide(b, { tool: 't', arguments: { x: 'v'.repeat(300_000) } });
  assert.equal(d.action, 'deny');
  assert.match(d.reason, /^fail closed: condition .* could not be evaluated: .*v… \(\d+ chars\)$/);
  assert.ok(d.reason.length < 2_000, `reason of ${d.reason.length} chars`);
  assert.ok(d.error!.message.length < 2_000, `error of ${d.error!.message.length} chars`);
});

test('a rate-limit key from the arguments is kept as written up to 256 characters, as its digest beyond', () => {
  const b = bundleFrom(policy(`  - { name: per-user, tools: [t], action: allow, rateLimit: { limit: 5, per: 1m, key: "request.arguments.user" } }`));
  const key = (user: string) => decide(b, { tool: 't', arguments: { user } }).rateLimits[0]!.key;
  assert.equal(key('alice'), 'p/per-user:alice');
  // every allowed call stored the whole key (here 1 MB) as a row of the limits store
  const long = key('u'.repeat(1_000_000));
  assert.match(long, /^p\/per-user:sha256:[0-9a-f]{64}$/);
  assert.equal(key('u'.repeat(1_000_000)), long);
  assert.notEqual(key(`${'u'.repeat(999_999)}v`), long);
});
