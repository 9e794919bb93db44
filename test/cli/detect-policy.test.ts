import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

test('detect --policy applies GuardrailPolicies: action and redacted form; exit 1 unless allow', async () => {
  const card = await runCli(['detect', '--policy', 'examples/policies/guardrails.yaml', '--json'], { input: '{"body":"card 4111 1111 1111 1111"}' });
  assert.equal(card.code, 1, card.stderr);
  const doc = JSON.parse(card.stdout);
  assert.equal(doc.action, 'redact');
  assert.equal(doc.matched[0].rule.rule, 'mask-payment-data');
  assert.doesNotMatch(JSON.stringify(doc.redacted), /4111 1111 1111 1111/);
  const secret = await runCli(['detect', '--policy', 'examples/policies/guardrails.yaml'], { input: '{"token":"ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"}' });
  assert.equal(secret.code, 1);
  assert.match(secret.stdout, /action: deny/);
  const clean = await runCli(['detect', '--policy', 'examples/policies/guardrails.yaml'], { input: '{"title":"hello"}' });
  assert.equal(clean.code, 0);
  assert.match(clean.stdout, /action: allow/);
  const noGuardrails = await runCli(['detect', '--policy', 'examples/policies/github.yaml'], { input: '{}' });
  assert.equal(noGuardrails.code, 2);
  assert.match(noGuardrails.stderr, /no GuardrailPolicy/);
});

test('detect --policy PATH FILE scans FILE (the option takes one path; repeat it for more)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-detect-'));
  try {
    const file = join(dir, 'args.json');
    writeFileSync(file, '{"body":"card 4111 1111 1111 1111"}');
    const r = await runCli(['detect', '--policy', 'examples/policies/guardrails.yaml', '--policy', 'examples/policies/github.yaml', file, '--json'], { input: '{}' });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).action, 'redact', 'the file was scanned, not read as a policy');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
