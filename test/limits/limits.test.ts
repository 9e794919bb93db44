import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../../src/store/sqlite/database.ts';
import { SqliteLimitsStore } from '../../src/store/sqlite/limits-store.ts';
import { Budgets, Quotas, RateLimiter } from '../../src/limits/index.ts';

const memory = () => new SqliteLimitsStore(openSqlite(':memory:'));
const T = Date.parse('2030-06-01T23:59:59.000Z');

test('rate limit: remaining counts down, then deny with the time until the window frees', async () => {
  const rl = new RateLimiter(memory());
  const spec = { limit: 3, windowMs: 10_000 };
  assert.deepEqual(await rl.check('agent:bot', spec, T), { allowed: true, limit: 3, remaining: 2, retryAfterMs: 0 });
  assert.equal((await rl.check('agent:bot', spec, T + 2000)).remaining, 1);
  assert.equal((await rl.check('agent:bot', spec, T + 4000)).remaining, 0);
  assert.deepEqual(await rl.check('agent:bot', spec, T + 6000), { allowed: false, limit: 3, remaining: 0, retryAfterMs: 4000 });
  assert.equal((await rl.check('agent:bot', spec, T + 9999)).retryAfterMs, 1);
  // boundary: the first call (at T) stops counting at exactly T + windowMs
  assert.deepEqual(await rl.check('agent:bot', spec, T + 10_000), { allowed: true, limit: 3, remaining: 0, retryAfterMs: 0 });
  assert.deepEqual(await rl.peek('agent:bot', spec, T + 10_000), { count: 3, remaining: 0 });
  assert.equal((await rl.check('agent:bot', spec, T + 10_001)).retryAfterMs, 1999);
});

test('rate limit: a sliding window does not allow a burst of 2x at a fixed-window edge', async () => {
  const rl = new RateLimiter(memory());
  const spec = { limit: 5, windowMs: 60_000 };
  let allowed = 0;
  for (let i = 0; i < 5; i++) if ((await rl.check('k', spec, T + 59_000 + i)).allowed) allowed++;
  for (let i = 0; i < 5; i++) if ((await rl.check('k', spec, T + 61_000 + i)).allowed) allowed++;
  assert.equal(allowed, 5);
});

test('rate limit: invalid specs and keys are INPUT_INVALID', async () => {
  const rl = new RateLimiter(memory());
  await assert.rejects(rl.check('k', { limit: 0, windowMs: 1000 }), { code: 'INPUT_INVALID' });
  await assert.rejects(rl.check('k', { limit: 1, windowMs: 1.5 }), { code: 'INPUT_INVALID' });
  await assert.rejects(rl.check('', { limit: 1, windowMs: 1000 }), { code: 'INPUT_INVALID' });
});

test('quotas: calls per UTC day, reset at 00:00 UTC, refused calls not counted', async () => {
  const q = new Quotas(memory());
  const r1 = await q.consume('agent:acme/bot', { perDay: 2 }, T);
  assert.deepEqual(r1, { allowed: true, limit: 2, used: 1, remaining: 1, resetsAt: '2030-06-02T00:00:00.000Z' });
  assert.equal((await q.consume('agent:acme/bot', { perDay: 2 }, T + 500)).allowed, true);
  assert.deepEqual(await q.consume('agent:acme/bot', { perDay: 2 }, T + 999), {
    allowed: false, limit: 2, used: 2, remaining: 0, resetsAt: '2030-06-02T00:00:00.000Z',
  });
  assert.equal(await q.usage('agent:acme/bot', T + 999), 2);
  // T + 1000 is 2030-06-02T00:00:00.000Z
  const next = await q.consume('agent:acme/bot', { perDay: 2 }, T + 1000);
  assert.deepEqual([next.allowed, next.used, next.resetsAt], [true, 1, '2030-06-03T00:00:00.000Z']);
  assert.equal((await q.consume('tenant:acme', { perDay: 2 }, T)).used, 1, 'scopes are independent');
});

test('budgets: spend accumulates per period; exceeded once nothing is left', async () => {
  const store = memory();
  const b = new Budgets(store);
  const day1 = Date.parse('2030-06-30T10:00:00.000Z');
  const day2 = Date.parse('2030-07-01T10:00:00.000Z');
  assert.deepEqual(await b.checkBudget('tenant:acme', day1), {
    scope: 'tenant:acme', limitMicros: null, period: null, spentMicros: 0, remainingMicros: null, exceeded: false, resetsAt: null,
  });
  await b.recordSpend('tenant:acme', 1_500_000, day1); // spend before any budget is still counted
  await b.setBudget('tenant:acme', { limitMicros: 2_000_000, period: 'month' });
  let s = await b.checkBudget('tenant:acme', day1);
  assert.deepEqual([s.spentMicros, s.remainingMicros, s.exceeded, s.resetsAt], [1_500_000, 500_000, false, '2030-07-01T00:00:00.000Z']);
  s = await b.recordSpend('tenant:acme', 500_000, day1);
  assert.deepEqual([s.spentMicros, s.remainingMicros, s.exceeded], [2_000_000, 0, true]);
  s = await b.recordSpend('tenant:acme', 1, day1);
  assert.deepEqual([s.spentMicros, s.remainingMicros, s.exceeded], [2_000_001, 0, true]);
  s = await b.checkBudget('tenant:acme', day2);
  assert.deepEqual([s.spentMicros, s.exceeded], [0, false], 'a new month starts from zero');
  await b.setBudget('tenant:acme', { limitMicros: 3_000_000, period: 'total' });
  s = await b.recordSpend('tenant:acme', 999_999, day2);
  assert.deepEqual([s.spentMicros, s.remainingMicros, s.exceeded, s.resetsAt], [3_000_000, 0, true, null]);
  await b.setBudget('tenant:acme', { limitMicros: 1_000_000, period: 'day' });
  s = await b.checkBudget('tenant:acme', day2);
  assert.deepEqual([s.spentMicros, s.exceeded, s.resetsAt], [999_999, false, '2030-07-02T00:00:00.000Z']);
  await assert.rejects(b.recordSpend('tenant:acme', -1, day2), { code: 'INPUT_INVALID' });
  await assert.rejects(b.recordSpend('tenant:acme', 0.5, day2), { code: 'INPUT_INVALID' });
  await assert.rejects(b.setBudget('tenant:acme', { limitMicros: 1, period: 'week' as 'day' }), { code: 'INPUT_INVALID' });
});

test('limits survive a restart: close and reopen the SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-limits-'));
  try {
    const path = join(dir, 'g.db');
    let db = openSqlite(path);
    let store = new SqliteLimitsStore(db);
    await new RateLimiter(store).check('k', { limit: 1, windowMs: 60_000 }, T);
    await new Quotas(store).consume('agent:a', { perDay: 1 }, T);
    await new Budgets(store).setBudget('agent:a', { limitMicros: 10, period: 'day' });
    await new Budgets(store).recordSpend('agent:a', 10, T);
    db.close();
    db = openSqlite(path);
    store = new SqliteLimitsStore(db);
    assert.equal((await new RateLimiter(store).check('k', { limit: 1, windowMs: 60_000 }, T + 1)).allowed, false);
    assert.equal((await new Quotas(store).consume('agent:a', { perDay: 1 }, T + 1)).allowed, false);
    assert.equal((await new Budgets(store).checkBudget('agent:a', T + 1)).exceeded, true);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const hammer = fileURLToPath(new URL('./fixtures/hammer.ts', import.meta.url));
function runHammer(path: string, n: number, limit: number): Promise<{ allowed: number; quotaAllowed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', hammer, path, String(n), String(limit)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`hammer exited ${code}: ${err}`))));
  });
}

test('rate limits and quotas stay exact when several processes share the database', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-limits-mp-'));
  try {
    const path = join(dir, 'g.db');
    const db = openSqlite(path);
    new SqliteLimitsStore(db); // migrate once up front
    db.close();
    const results = await Promise.all([runHammer(path, 300, 250), runHammer(path, 300, 250)]);
    assert.equal(results.reduce((n, r) => n + r.allowed, 0), 250);
    assert.equal(results.reduce((n, r) => n + r.quotaAllowed, 0), 250);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
