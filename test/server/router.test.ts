import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError } from '../../src/errors.ts';
import { statusFor } from '../../src/server/http.ts';
import { Router } from '../../src/server/router.ts';

test('path parameters are percent-decoded; broken encoding is a 400 naming the parameter, not a 500', () => {
  const router = new Router<never>().add('GET', '/api/v1/approvals/:id', null, () => {});
  const ok = router.match('GET', '/api/v1/approvals/a%20b%E2%9C%93');
  assert.ok(ok && 'params' in ok);
  assert.equal(ok.params.id, 'a b✓');
  // decodeURIComponent threw URIError 'URI malformed', which the server answered as 500 INTERNAL
  for (const path of ['/api/v1/approvals/%ZZ', '/api/v1/approvals/%E0%A4%A', '/api/v1/approvals/%ED%A0%80']) {
    assert.throws(
      () => router.match('GET', path),
      (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_INVALID' && statusFor(e) === 400 && /path parameter id/.test(e.message),
      path,
    );
  }
});
