import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { testDeployment } from '../helpers/runtime.ts';
import { startServe } from '../helpers/serve.ts';

test('/metrics counts every pending approval (a count, not a listing of up to 100,000 requests per scrape)', async () => {
  const d = testDeployment();
  const serve = await startServe(d.configFile);
  try {
    const db = new Database(serve.db);
    const far = Date.parse('2099-01-01T00:00:00Z');
    // 100,001 pending requests: the gauge listed (and parsed) up to 100,000 of them and reported 100000
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100001)
       INSERT INTO approvals_requests (id, status, tenant, agent, server, tool, arguments_digest, arguments_redacted,
         bundle_digest, binding_digest, created_at, created_at_ms, expires_at, expires_at_ms)
       SELECT 'p-' || i, 'pending', 'acme', 'a', 's', 't', 'd', '{"x":1}', 'b', 'bd', '2026-01-01T00:00:00Z', 0,
         '2099-01-01T00:00:00Z', ? FROM n`,
    ).run(far);
    db.close();
    const adminKey = readFileSync(serve.adminKeyFile!, 'utf8').trim();
    const res = await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^gatehouse_approvals_pending 100001$/m);
  } finally {
    await serve.stop();
    await d.cleanup();
  }
});

test('GET /api/v1/approvals with an unknown status is a 400 naming the statuses, not an empty list', async () => {
  const d = testDeployment();
  const serve = await startServe(d.configFile);
  try {
    const adminKey = readFileSync(serve.adminKeyFile!, 'utf8').trim();
    const get = (q: string) => fetch(`${serve.url}/api/v1/approvals${q}`, { headers: { authorization: `Bearer ${adminKey}` } });
    const bad = await get('?status=pendng');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /status must be one of pending, approved/);
    assert.equal((await get('?status=pending')).status, 200);
  } finally {
    await serve.stop();
    await d.cleanup();
  }
});
