import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGuardrails, decryptRedaction, detectAll, type GuardrailRule } from '../../src/detect/index.ts';
import { GatehouseError } from '../../src/errors.ts';

const KEY = new Uint8Array(32).fill(9);
const SALT = 'deployment-salt-0123456789';
const args = {
  to: 'jane@example.org',
  body: 'Pay with 4111 1111 1111 1111 please',
  files: [{ name: 'a', content: 'aws AKIAZ3MSJV4WWNKWW5FH' }],
  'jane.roe@example.org': 'a key that is an email',
};

test('detectAll walks strings and keys with JSON paths', () => {
  const f = detectAll(args, { surface: 'arguments' });
  const where = f.map((x) => `${x.detector}/${x.type}@${x.path}${x.key ? '#key' : ''}`).sort();
  assert.deepEqual(where, [
    'pii/credit_card@$.body',
    'pii/email@$.to',
    'pii/email@$["jane.roe@example.org"]#key',
    'secrets/aws_access_key@$.files[0].content',
  ]);
  assert.deepEqual(detectAll('rm -rf /', { surface: 'result' }), [], 'destructive does not run on results by default');
  assert.equal(detectAll('rm -rf /', { surface: 'arguments' })[0]?.path, '$');
});

test('detectAll fails closed on oversize or too deep input', () => {
  const big = 'x'.repeat(2000);
  assert.throws(() => detectAll({ a: big }, { surface: 'arguments', limits: { maxChars: 1000 } }), (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_TOO_LARGE');
  let deep: unknown = 'x';
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => detectAll(deep, { surface: 'arguments' }), (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_TOO_LARGE');
  // the hint sent users to a gatehouse.yaml setting that does not exist ("raise detect limits in the configuration")
  assert.throws(
    () => detectAll(deep, { surface: 'arguments' }),
    (e: unknown) => e instanceof GatehouseError && /^send a smaller value/.test(e.hint ?? '') && !/configuration/.test(e.hint ?? ''),
  );
  assert.throws(() => detectAll('x', { surface: 'arguments', detectors: ['nope'] }), (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_INVALID');
});

test('applyGuardrails: most restrictive action wins regardless of rule order; redaction modes', () => {
  const rules: GuardrailRule[] = [
    { name: 'mask-cards', detector: 'pii', types: ['credit_card'], surfaces: ['arguments'], action: 'redact' },
    { name: 'enc-email', detector: 'pii', types: ['email'], surfaces: ['arguments'], action: 'flag', redaction: { mode: 'encrypt', keyId: 'k1' } },
    { name: 'deny-keys', detector: 'secrets', surfaces: ['arguments'], action: 'deny', redaction: { mode: 'hash' } },
    { name: 'results-only', detector: 'injection', surfaces: ['result'], action: 'require_approval' },
  ];
  for (const order of [rules, [...rules].reverse()]) {
    const r = applyGuardrails(args, 'arguments', order, { encryptionKeys: { k1: KEY }, hashSalt: SALT });
    assert.equal(r.action, 'deny');
    assert.equal(r.matched.length, 4);
    const red = r.redacted as typeof args;
    assert.equal(red.body, 'Pay with [REDACTED:credit_card:…1111] please');
    assert.match(red.files[0]!.content, /^aws sha256:[0-9a-f]{64}$/);
    assert.match(red.to, /^enc:v1:k1:/);
    assert.equal(decryptRedaction(red.to, { k1: KEY }), 'jane@example.org');
    const encKey = Object.keys(red).find((k) => k.startsWith('enc:v1:k1:'))!;
    assert.equal(decryptRedaction(encKey, { k1: KEY }), 'jane.roe@example.org');
    assert.equal(args.to, 'jane@example.org', 'input is not modified');
  }
  const h1 = applyGuardrails({ a: 'AKIAZ3MSJV4WWNKWW5FH' }, 'arguments', [rules[2]!], { hashSalt: SALT }).redacted;
  const h2 = applyGuardrails({ a: 'AKIAZ3MSJV4WWNKWW5FH' }, 'arguments', [rules[2]!], { hashSalt: SALT }).redacted;
  assert.deepEqual(h1, h2, 'hashing is deterministic per salt');
  const none = applyGuardrails(args, 'result', rules.slice(0, 3));
  assert.deepEqual([none.action, none.findings.length], ['allow', 0]);
});

test('applyGuardrails: weak findings do not act unless minConfidence says so; order of outcomes', () => {
  const rule: GuardrailRule = { name: 'ssn', detector: 'pii', types: ['us_ssn'], surfaces: ['arguments'], action: 'require_approval' };
  assert.equal(applyGuardrails({ n: 'order 078051121' }, 'arguments', [rule]).action, 'allow');
  assert.equal(applyGuardrails({ n: 'order 078051121' }, 'arguments', [{ ...rule, minConfidence: 0 }]).action, 'require_approval');
  const flag: GuardrailRule = { ...rule, name: 'f', action: 'flag' };
  const red: GuardrailRule = { ...rule, name: 'r', action: 'redact' };
  assert.equal(applyGuardrails({ n: 'ssn 078-05-1123' }, 'arguments', [flag, red]).action, 'redact');
  assert.equal(applyGuardrails({ n: 'ssn 078-05-1123' }, 'arguments', [red, rule, flag]).action, 'require_approval');
});

test('redaction fails closed on missing keys and rejects tampered tokens', () => {
  const enc: GuardrailRule = { name: 'e', detector: 'pii', surfaces: ['arguments'], action: 'redact', redaction: { mode: 'encrypt', keyId: 'missing' } };
  assert.throws(() => applyGuardrails(args, 'arguments', [enc]), (e: unknown) => e instanceof GatehouseError && e.code === 'CONFIG_INVALID');
  const hash: GuardrailRule = { ...enc, redaction: { mode: 'hash' } };
  assert.throws(() => applyGuardrails(args, 'arguments', [hash]), /hashSalt/);
  const ok = applyGuardrails(args, 'arguments', [{ ...enc, redaction: { mode: 'encrypt', keyId: 'k1' } }], { encryptionKeys: { k1: KEY } });
  const token = (ok.redacted as typeof args).to;
  const i = token.length - 10; // a byte of the tag (the last base64 char may hold only padding bits)
  const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
  assert.throws(() => decryptRedaction(tampered, { k1: KEY }), /does not decrypt/);
  assert.throws(() => decryptRedaction(token, { k1: new Uint8Array(32) }), /does not decrypt/);
  assert.throws(() => decryptRedaction(token, {}), (e: unknown) => e instanceof GatehouseError && e.code === 'NOT_FOUND');
  assert.throws(() => applyGuardrails(args, 'arguments', [{ ...enc, detector: 'nope' }]), (e: unknown) => e instanceof GatehouseError && e.code === 'POLICY_INVALID');
});
