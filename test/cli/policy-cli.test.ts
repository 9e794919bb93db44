import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));

test('policy validate: ok on the examples (exit 0) and one JSON document with --json', async () => {
  const r = await runCli(['policy', 'validate', 'examples/policies', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.ok, true);
  assert.match(doc.bundleDigest, /^sha256:/);
  assert.equal(doc.files.length, 3);
});

test('policy validate: every problem with file:line:column, exit 1', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'bad.yaml'), 'kind: ToolPolicy\nmetadata: { name: x }\nspec:\n  defaultActon: deny\n---\nkind: Nope\n');
    const r = await runCli(['policy', 'validate', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bad\.yaml:4:3: error: unknown key "defaultActon" in spec \(did you mean "defaultAction"\?\)/);
    assert.match(r.stdout, /bad\.yaml:6:7: error: unknown kind "Nope"/);
    assert.doesNotMatch(r.stdout + r.stderr, /at .*\.ts:\d+/); // no stack trace
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy validate: a missing path is a usage error (exit 2) that says what to do', async () => {
  const r = await runCli(['policy', 'validate', 'no/such/dir', '--json']);
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'POLICY_NOT_FOUND');
  assert.ok(doc.error.hint);
});

test('policy eval prints the decision; deny exits 1; bad --args exits 2', async () => {
  const allow = await runCli(['policy', 'eval', '--policy', 'examples/policies/github.yaml', '--tool', 'create_pull_request', '--server', 'github', '--agent', 'dev-assistant', '--args', '{"base":"develop"}', '--json']);
  assert.equal(allow.code, 0, allow.stderr);
  const d = JSON.parse(allow.stdout);
  assert.equal(d.action, 'allow');
  assert.equal(d.rule.rule, 'rules[1]');
  assert.match(d.bundleDigest, /^sha256:/);
  const deny = await runCli(['policy', 'eval', '--policy', 'examples/policies/github.yaml', '--tool', 'delete_file', '--server', 'github', '--agent', 'dev-assistant']);
  assert.equal(deny.code, 1);
  assert.match(deny.stdout, /decision: deny/);
  assert.match(deny.stdout, /rule:\s+github-dev-agent \/ rules\[3\] at examples\/policies\/github\.yaml:24:5/);
  const bad = await runCli(['policy', 'eval', '--policy', 'examples/policies', '--tool', 'x', '--args', '{nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--args is not valid JSON/);
});

test('policy test runs *.test.yaml files and ends with "N passed, N failed"', async () => {
  const r = await runCli(['policy', 'test', 'examples/policies']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^13 passed, 0 failed$/m);
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'p.yaml'), 'kind: ToolPolicy\nmetadata: { name: p }\nspec: { defaultAction: allow }\n');
    writeFileSync(join(dir, 'p.test.yaml'), 'tests:\n- { name: wrong on purpose, tool: x, expect: deny }\n- { name: right, tool: x, expect: allow }\n');
    const f = await runCli(['policy', 'test', dir, '--json']);
    assert.equal(f.code, 1);
    const doc = JSON.parse(f.stdout);
    assert.equal(doc.passed, 1);
    assert.equal(doc.failed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('schema prints the JSON Schema', async () => {
  const r = await runCli(['schema']);
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.$id, 'https://gatehouse.dev/schema/policy.schema.json');
});

test('init writes a working starter into an empty folder and refuses a non-empty one', async () => {
  const dir = tmp();
  try {
    const r = await runCli(['init', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.written.includes('gatehouse.yaml'));
    assert.match(readFileSync(join(dir, 'policies/github.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\.\.\/policy\.schema\.json/);
    const v = await runCli(['policy', 'validate', join(dir, 'policies')]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const t = await runCli(['policy', 'test', join(dir, 'policies')]);
    assert.equal(t.code, 0, t.stdout);
    const again = await runCli(['init', dir]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /not empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
