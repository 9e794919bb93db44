import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePoliciesOrThrow } from '../../src/policy/index.ts';
import { GatehouseError } from '../../src/errors.ts';
import { bundleFrom, decide, problemsOf } from '../helpers/policy.ts';

const one = (text: string) => {
  const problems = problemsOf(text);
  assert.ok(problems.length > 0, 'expected a problem');
  return problems[0]!;
};

test('malformed YAML: a syntax error with line and column', () => {
  const p = one('kind: ToolPolicy\nmetadata:\n  name: x\nspec: [unclosed\n');
  assert.match(p.message, /YAML syntax/);
  assert.equal(p.where.file, 'policy0.yaml');
  assert.ok(p.where.line >= 4);
});

test('YAML nested thousands deep is an error saying so, with its position', () => {
  const p = one(`kind: ToolPolicy\nmetadata: {name: x}\nspec:\n  rules:\n  - tools: [a]\n    action: allow\n    conditions: ${'['.repeat(20000)}${']'.repeat(20000)}\n`);
  assert.match(p.message, /nested too deeply to parse/);
  assert.doesNotMatch(p.message, /call stack/);
  assert.equal(p.where.line, 7);
});

test('duplicate keys in YAML are an error, not a silent override', () => {
  const p = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  defaultAction: allow\n  defaultAction: deny\n');
  assert.match(p.message, /unique|duplicate/i);
  assert.equal(p.where.line, 5);
});

test('unknown kind names the known kinds or the nearest', () => {
  const p = one('kind: ToolPolicyy\nmetadata: { name: x }\nspec: {}\n');
  assert.match(p.message, /unknown kind "ToolPolicyy"/);
  assert.equal(p.hint, 'did you mean "ToolPolicy"?');
  const q = one('kind: Banana\nmetadata: { name: x }\nspec: {}\n');
  assert.match(q.hint ?? '', /known kinds: ToolPolicy, GuardrailPolicy/);
});

test('an unknown key points at the key and suggests the nearest valid one', () => {
  const p = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  defaultAction: deny\n  rules:\n  - tools: [a]\n    action: allow\n    condtions:\n      - cel: "true"\n');
  assert.equal(p.message, 'unknown key "condtions" in spec.rules[0]');
  assert.equal(p.hint, 'did you mean "conditions"?');
  assert.deepEqual([p.where.line, p.where.column], [8, 5]);
  const q = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  defaultActon: deny\n');
  assert.equal(q.hint, 'did you mean "defaultAction"?');
});

test('wrong types and bad enum values name the path and position', () => {
  const p = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  rules:\n  - tools: bash\n    action: allow\n');
  assert.match(p.message, /spec\.rules\[0\]\.tools/);
  assert.deepEqual([p.where.line, p.where.column], [5, 12]);
  const q = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  rules:\n  - tools: [bash]\n    action: permit\n');
  assert.match(q.message, /action/);
  assert.equal(q.where.line, 6);
  const r = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  rules:\n  - tools: [bash]\n');
  assert.match(r.message, /missing required "spec.rules\[0\].action"/);
});

test('duplicate policy names across files are an error naming both places', () => {
  const doc = 'kind: ToolPolicy\nmetadata: { name: same }\nspec: { defaultAction: deny }\n';
  const problems = problemsOf(doc, doc);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /duplicate ToolPolicy\/same, first defined at policy0\.yaml:2/);
  assert.equal(problems[0]!.where.file, 'policy1.yaml');
});

test('an invalid CEL expression is a load error at its position', () => {
  const p = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  rules:\n  - tools: [bash]\n    action: allow\n    conditions:\n      - cel: "request.arguments.command.startsWith("\n');
  assert.match(p.message, /invalid CEL/);
  assert.equal(p.where.line, 8);
});

test('a glob that matches no builtin tool, and a malformed glob, are errors', () => {
  const p = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  mcpServer: builtin\n  rules:\n  - tools: [bsah]\n    action: allow\n');
  assert.match(p.message, /"bsah" matches no builtin tool/);
  assert.equal(p.where.line, 6);
  const q = one('kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  rules:\n  - tools: ["get_[abc"]\n    action: allow\n');
  assert.match(q.message, /invalid glob: unclosed "\["/);
});

test('a file with no documents, or a non-mapping document, is an error', () => {
  assert.match(one('# nothing here\n').message, /no policy documents/);
  assert.match(one('- just\n- a list\n').message, /must be a mapping/);
});

test('compilePoliciesOrThrow reports every error at once with POLICY_INVALID', () => {
  assert.throws(
    () => compilePoliciesOrThrow([{ path: 'a.yaml', text: 'kind: Nope\n---\nkind: ToolPolicy\nmetadata: { name: BAD NAME }\nspec: {}\n' }]),
    (e: unknown) => e instanceof GatehouseError && e.code === 'POLICY_INVALID' && e.details.length === 2,
  );
});

test('huge, deeply nested or non-JSON arguments are denied before any rule runs', () => {
  const b = bundleFrom('kind: ToolPolicy\nmetadata: { name: open }\nspec: { defaultAction: allow }\n');
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 100_000; i++) {
    const next = {};
    deep.x = next;
    deep = next;
  }
  const deepDecision = decide(b, { tool: 't', arguments: root });
  assert.equal(deepDecision.action, 'deny');
  assert.match(deepDecision.reason, /nested deeper than 64/);
  const huge = decide(b, { tool: 't', arguments: { blob: 'a'.repeat(2 * 1024 * 1024) } });
  assert.equal(huge.action, 'deny');
  assert.match(huge.reason, /larger than/);
  const wide = decide(b, { tool: 't', arguments: { list: Array.from({ length: 200_000 }, () => 1) } });
  assert.equal(wide.action, 'deny');
  assert.equal(decide(b, { tool: 't', arguments: { f: () => 1 } as never }).action, 'deny');
  assert.equal(decide(b, { tool: 't', arguments: { ok: 'small' } }).action, 'allow');
});

test('a YAML alias bomb is refused', () => {
  const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
  const p = one(bomb);
  assert.match(p.message, /alias|YAML/i);
});
