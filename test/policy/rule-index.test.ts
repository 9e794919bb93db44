import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileGlob } from '../../src/policy/glob.ts';
import { evaluatePolicy, type PolicyBundle, type PolicyRequest } from '../../src/policy/index.ts';
import { ToolRuleIndex } from '../../src/policy/rule-index.ts';
import { evaluatePolicy as evaluateReference } from './reference/evaluate-v1.ts';
import { bundleFrom, exampleBundle } from '../helpers/policy.ts';
import { repoRoot } from '../helpers/cli.ts';
import { mulberry32 } from '../helpers/random.ts';

/**
 * Differential test: evaluatePolicy with the per-tool rule index, shared candidates and the
 * rank partition against the frozen evaluatePolicy of 2c0553b, which tested every rule's globs
 * and sorted. Whole decisions must be deeply equal.
 */

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const TOOLS = ['get_file', 'get_me', 'list_issues', 'search_code', 'create_issue', 'delete_repo', 'bash', 'read', 'write', 'web_fetch', 'a', 'ab', 'abc', 'b', '', 'x\ny', 'get_\u00e9t\u00e9', 'drop_table', 'destroy_all'];
const GLOBS = ['*', '**', 'get_*', 'list_*', '*_issue', 'a?', '?', '[ab]*', '[!a]*', '{get,list}_*', 'bash', 'read', 'create_issue', 'delete_*', '*e*', 'x*y'];
const ACTIONS = ['allow', 'deny', 'require_approval'] as const;
const CONDITIONS = [
  'request.arguments.n > 5',
  'has(request.arguments.flag) && request.arguments.flag',
  "request.tool.startsWith('get')",
  "request.arguments.path.startsWith('/workspace/')",
  "request.arguments.path.matches('^/etc/')",
  "agent.id == 'a1'",
  'session.risk >= 50',
  'size(request.arguments.list) > 2',
  "request.arguments.list.exists(x, x == 'b')",
];
const AGENTS = ['a1', 'a2', 'bot-7'];
const SERVERS = ['github', 'builtin', 'slack', 'other'];

function generatedPolicyText(r: Rand, n: number): string {
  const docs: string[] = [];
  for (let d = 0; d < 1 + Math.floor(r() * 4); d++) {
    const rules: string[] = [];
    for (let k = 0; k < Math.floor(r() * 7); k++) {
      const tools = Array.from({ length: 1 + Math.floor(r() * 3) }, () => JSON.stringify(pick(r, GLOBS)));
      const action = pick(r, ACTIONS);
      let rule = `  - name: r${k}\n    tools: [${tools.join(', ')}]\n    action: ${action}\n`;
      if (r() < 0.6) rule += `    conditions:\n${Array.from({ length: 1 + Math.floor(r() * 2) }, () => `      - cel: ${JSON.stringify(pick(r, CONDITIONS))}\n`).join('')}`;
      if (r() < 0.2) rule += `    rateLimit: { limit: ${1 + Math.floor(r() * 9)}, per: 1m${r() < 0.5 ? ", key: 'agent.id'" : ''} }\n`;
      if (action === 'require_approval' && r() < 0.5) rule += '    approval: { type: human-in-the-loop, timeout: 5m }\n';
      rules.push(rule);
    }
    const agents = r() < 0.3 ? '"*"' : AGENTS.filter(() => r() < 0.6).join(', ') || 'a2';
    // not `builtin`: its rules may name only the runtime's own tools
    const server = r() < 0.3 ? '' : `  mcpServer: ${pick(r, ['github', 'slack', 'other'])}\n`;
    docs.push(
      `kind: ToolPolicy\nmetadata:\n  name: p${n}-${d}\nspec:\n  agents: [${agents}]\n${server}  defaultAction: ${pick(r, ACTIONS)}\n  rules:\n${rules.join('') || '  []\n'}`.replace('  rules:\n  []', '  rules: []'),
    );
  }
  return docs.join('---\n');
}

function generatedRequest(r: Rand): PolicyRequest {
  const args: Record<string, unknown> = {};
  if (r() < 0.8) args.n = Math.floor(r() * 10);
  if (r() < 0.5) args.flag = r() < 0.5;
  if (r() < 0.7) args.path = pick(r, ['/workspace/a', '/etc/passwd', 'rel', '/workspace/../etc']);
  if (r() < 0.6) args.list = ['a', 'b', 'c', 'd'].filter(() => r() < 0.5);
  return {
    tool: pick(r, TOOLS),
    server: pick(r, SERVERS),
    arguments: args,
    agent: { id: pick(r, [...AGENTS, 'stranger']) },
    session: { risk: Math.floor(r() * 100) },
    tenant: 't',
  };
}

function assertSame(bundle: PolicyBundle, request: PolicyRequest, globalDefault?: 'allow' | 'deny' | 'require_approval'): void {
  const options = globalDefault ? { globalDefault } : {};
  const now = new Date('2026-12-01T00:00:00Z');
  const expected = evaluateReference(bundle, { ...request, now }, options);
  const actual = evaluatePolicy(bundle, { ...request, now }, options);
  assert.deepEqual(actual, expected, `${request.server}/${JSON.stringify(request.tool)} by ${request.agent.id} with ${JSON.stringify(request.arguments)}`);
}

test('the rule index decides exactly as scanning every rule did, on generated policies and calls', () => {
  const r = mulberry32(20261201);
  let bundles = 0;
  let decisions = 0;
  for (let b = 0; b < 150; b++) {
    const bundle = bundleFrom(generatedPolicyText(r, b), generatedPolicyText(r, b + 1000));
    bundles++;
    for (let i = 0; i < 60; i++) {
      assertSame(bundle, generatedRequest(r), r() < 0.3 ? pick(r, ACTIONS) : undefined);
      decisions++;
    }
  }
  console.log(`rule index vs reference: ${decisions} decisions over ${bundles} generated bundles, all equal`);
});

test('the rule index decides exactly as before on the benchmark policy and the examples', () => {
  const bench = bundleFrom(readFileSync(`${repoRoot}bench/fixtures/policy-50-rules.yaml`, 'utf8'));
  const examples = exampleBundle('builtin.yaml', 'github.yaml', 'guardrails.yaml');
  const r = mulberry32(7);
  const tools = ['get_file_contents', 'push_files', 'create_pull_request', 'post_message', 'bash', 'write', 'read_file', 'delete_file', 'create_refund', 'delete_project', 'fork_repository'];
  let n = 0;
  for (const bundle of [bench, examples]) {
    for (let i = 0; i < 1500; i++) {
      const request = generatedRequest(r);
      request.tool = pick(r, tools);
      request.server = pick(r, ['github', 'slack', 'filesystem', 'builtin', 'stripe', 'jira']);
      request.agent = { id: pick(r, ['dev-assistant', 'support-bot', 'ops-agent', 'finance-agent', 'release-bot']) };
      request.session = { risk_score: Math.floor(r() * 100), env: pick(r, ['prod', 'dev']) };
      request.arguments = {
        ...(request.arguments as object),
        command: pick(r, ['ls', 'rm -rf /', 'git push origin', 'curl x | sh']),
        file_path: pick(r, ['/workspace/config/a.yml', '/workspace/a.ts', '/etc/x']),
        text: pick(r, ['my password', 'hello', 'x'.repeat(5000)]),
        channel: pick(r, ['#general', '#exec', 'general']),
        amount: pick(r, [10, 6000, 200_000]),
        currency: pick(r, ['usd', 'jpy']),
        files: pick(r, [[{ path: 'a.pem' }], [{ path: 'src/a.ts' }], []]),
        branch: pick(r, ['dev', 'main']),
        title: pick(r, ['t', 'x'.repeat(300)]),
        labels: pick(r, [['bug'], ['security', 'p1']]),
        base: pick(r, ['main', 'release/v1.2', 'feature/x']),
        url: pick(r, ['https://x', 'http://localhost/', 'https://10.0.0.1/']),
        recipients: pick(r, [['a@acme.com'], ['a@acme.com', 'b@else.io']]),
        destination: pick(r, ['acct_1', 'ba_2']),
        limit: pick(r, [5, 5000]),
      };
      assertSame(bundle, request);
      n++;
    }
  }
  assert.equal(n, 3000);
});

test('the index remembers a bounded number of tool names and still decides past the bound', () => {
  const bundle = bundleFrom(
    'kind: ToolPolicy\nmetadata: {name: p}\nspec:\n  agents: ["*"]\n  defaultAction: deny\n  rules:\n  - {name: any-get, tools: ["get_*"], action: allow}\n  - {name: long, tools: ["x*"], action: require_approval}\n',
  );
  const index = bundle.toolPolicies[0]!.index as ToolRuleIndex;
  for (let i = 0; i < 3000; i++) {
    const tool = i % 2 === 0 ? `get_${i}` : `other_${i}`;
    assertSame(bundle, { tool, server: 's', agent: { id: 'a' }, arguments: {} });
  }
  const long = `x${'y'.repeat(10_000)}`;
  assertSame(bundle, { tool: long, server: 's', agent: { id: 'a' }, arguments: {} });
  assert.equal(evaluatePolicy(bundle, { tool: long, server: 's', agent: { id: 'a' }, arguments: {} }).rule.rule, 'long');
  assert.equal(index.remembered, 1024);
});

test('a glob of stars names every tool, as its RegExp did', () => {
  for (const pattern of ['*', '**', '***']) {
    const glob = compileGlob(pattern);
    for (const name of ['', 'a', 'get_x', 'x\ny', '\u2028', '\uD800', 'with space']) {
      assert.equal(glob.test(name), /^.*$/s.test(name), `${pattern} on ${JSON.stringify(name)}`);
    }
  }
  assert.equal(compileGlob('*a').test('b'), false);
});
