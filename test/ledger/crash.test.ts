import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { leafHash, toHex } from '../../src/ledger/hash.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from './helpers.ts';

const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

/** Runs the appender until `killAfterMs` after its first ack, then SIGKILLs it; returns the acks seen. */
function runAndKill(db: string, killAfterMs: number): Promise<{ start: number; acks: Map<number, { hash: string; id: string }> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, db, '16'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = new Map<number, { hash: string; id: string }>();
    let start = -1;
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const [a, b, c] = line.split(' ');
        if (a === 'ready') start = Number(b);
        else acks.set(Number(a), { hash: b!, id: c! });
        if (!timer && acks.size > 0) timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
      }
    });
    const guard = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('error', reject);
    p.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || acks.size === 0) reject(new Error(`child ended without acks (${signal}): ${stderr}`));
      else resolve({ start, acks });
    });
  });
}

test('SIGKILL under load never loses or alters an acknowledged entry, and the log verifies after each restart', { timeout: 60_000 }, async (t) => {
  const db = join(tempDir(t), 'crash.db');
  const acked = new Map<number, { hash: string; id: string }>();
  let expectedStart = 0;
  for (let round = 0; round < 4; round++) {
    const killAfter = 60 + Math.floor(Math.random() * 400);
    const { start, acks } = await runAndKill(db, killAfter);
    assert.ok(start >= expectedStart, `restart resumes at ${start} (>= last acked + 1 = ${expectedStart})`);
    for (const [i, a] of acks) acked.set(i, a);
    expectedStart = Math.max(...acked.keys()) + 1;

    const conn = new Database(db, { readonly: true });
    const get = conn.prepare('SELECT leaf, action_id FROM ledger_entries WHERE idx = ?');
    for (const [i, a] of acked) {
      const row = get.get(i) as { leaf: Buffer; action_id: string } | undefined;
      assert.ok(row, `acknowledged index ${i} is present`);
      assert.equal(toHex(leafHash(row.leaf)), a.hash, `index ${i} unchanged`);
      assert.equal(row.action_id, a.id);
    }
    conn.close();
    const v = await runCli(['audit', 'verify', '--db', db, '--json']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const report = JSON.parse(v.stdout) as { ok: boolean; size: number };
    assert.equal(report.ok, true);
    assert.ok(report.size >= expectedStart);
    t.diagnostic(`round ${round}: killed after ${killAfter} ms, ${acks.size} acks this round, log size ${report.size}`);
  }
});
