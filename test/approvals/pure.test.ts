import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { APPROVAL_STATUSES, canTransition, isTerminal, nextStatus } from '../../src/approvals/state.ts';
import { bindingDigest, canonicalBinding, digestsEqual } from '../../src/approvals/binding.ts';
import { formatDuration, parseDuration } from '../../src/policy/duration.ts';

test('state machine: only pending → approved | denied | expired | cancelled', () => {
  const allowed: string[] = [];
  for (const from of APPROVAL_STATUSES) for (const to of APPROVAL_STATUSES) if (canTransition(from, to)) allowed.push(`${from}->${to}`);
  assert.deepEqual(allowed, ['pending->approved', 'pending->denied', 'pending->expired', 'pending->cancelled']);
  assert.equal(nextStatus('pending', 'approve'), 'approved');
  assert.equal(nextStatus('pending', 'expire'), 'expired');
  for (const decided of APPROVAL_STATUSES.filter(isTerminal)) {
    for (const ev of ['approve', 'deny', 'expire', 'cancel'] as const) {
      assert.throws(() => nextStatus(decided, ev), { code: 'CONFLICT' });
    }
  }
});

const binding = {
  tenant: 'acme',
  agent: 'bot',
  server: 'github',
  tool: 'merge',
  argumentsDigest: 'sha256:aa',
  bundleDigest: 'sha256:bb',
  expiresAt: '2030-01-01T00:30:00.000Z',
};

test('binding digest: SHA-256 of the canonical encoding, sensitive to every field', () => {
  const canon = canonicalBinding(binding);
  assert.equal(canon, '["gatehouse.approval-binding.v1","acme","bot","github","merge","sha256:aa","sha256:bb","2030-01-01T00:30:00.000Z"]');
  assert.equal(bindingDigest(binding), 'sha256:' + createHash('sha256').update(canon).digest('hex'));
  const seen = new Set([bindingDigest(binding)]);
  for (const k of Object.keys(binding) as Array<keyof typeof binding>) seen.add(bindingDigest({ ...binding, [k]: binding[k] + '1' }));
  assert.equal(seen.size, 8);
  // moving a separator between fields must not produce the same encoding
  assert.notEqual(bindingDigest({ ...binding, tenant: 'acme","bot', agent: '' }), bindingDigest(binding));
  assert.notEqual(bindingDigest({ ...binding, server: 'git', tool: 'hubmerge' }), bindingDigest(binding));
  assert.equal(digestsEqual('sha256:ab', 'sha256:ab'), true);
  assert.equal(digestsEqual('sha256:ab', 'sha256:ac'), false);
  assert.equal(digestsEqual('sha256:ab', 'sha256:abc'), false);
});

test('parseDuration accepts one whole number and one unit', () => {
  assert.equal(parseDuration('45s'), 45_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(formatDuration(1_800_000), '30m');
  assert.equal(formatDuration(90_000), '90s');
  assert.equal(formatDuration(1500), '1500ms');
});

test('parseDuration rejects everything else with a clear message', () => {
  for (const bad of ['', '30', '1.5h', '-5m', '+5m', '5 m', '1h30m', '5M', '5w', 'm', ' 5m', '0s', '25d', '99999999999999999d']) {
    assert.throws(() => parseDuration(bad, 'approval.timeout'), (e: unknown) => {
      const err = e as { code: string; message: string };
      return err.code === 'INPUT_INVALID' && err.message.includes('approval.timeout');
    }, JSON.stringify(bad));
  }
  assert.throws(() => parseDuration('30'), { hint: /"30s"/ });
  assert.throws(() => parseDuration(30 as unknown as string), { code: 'INPUT_INVALID' });
});
