/**
 * Ledger benchmark: durable appends/s with 1, 8 and 64 concurrent writers, full `audit verify`
 * time and inclusion-proof latency at N entries, side by side with the AuditLogger of
 * @microsoft/agent-governance-sdk (an in-memory SHA-256 hash chain) on the same entries.
 *
 *   node --import tsx bench/ledger.ts [N]          (or LEDGER_BENCH_N=N; default 1,000,000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogger } from '@microsoft/agent-governance-sdk';
import { openLedger } from '../src/ledger/service/ledger.ts';
import type { LedgerEntry } from '../src/ledger/entry.ts';

const N = Number(process.argv[2] ?? process.env.LEDGER_BENCH_N ?? 1_000_000);
const APPEND_SECONDS = Number(process.env.LEDGER_BENCH_APPEND_SECONDS ?? 3);
const PROOFS = Number(process.env.LEDGER_BENCH_PROOFS ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ledger-bench-'));

function entry(i: number): LedgerEntry {
  return {
    tenant: 'acme',
    agent: `agent-${i % 50}`,
    session: `s-${i % 1000}`,
    enforcementPoint: 'mcp',
    kind: 'decision',
    server: 'github',
    tool: i % 3 ? 'create_issue' : 'merge_pull_request',
    argumentsDigest: '9f'.repeat(32),
    argumentsRedacted: { repo: 'acme/api', title: 'Fix [REDACTED:email]' },
    decision: i % 7 ? 'allow' : 'deny',
    rule: { name: 'protect-main', document: 'ToolPolicy/github', file: 'policies/github.yaml', line: 14 },
    reason: i % 7 ? 'allowed by protect-main' : 'merge to main requires approval',
    bundleDigest: 'ab'.repeat(32),
    latencyMs: 0.3,
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function durableAppends(writers: number): Promise<{ rate: number; count: number }> {
  const ledger = await openLedger({ path: join(dir, `w${writers}.db`) });
  const deadline = performance.now() + APPEND_SECONDS * 1000;
  let count = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        await ledger.append(entry(count));
        count++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  await ledger.close();
  return { rate: count / secs, count };
}

function agtRun(n: number): { appendRate: number; verifyMs: number; ok: boolean } {
  const logger = new AuditLogger({ maxEntries: n });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const e = entry(i);
    logger.log({ agentId: e.agent, action: e.tool!, decision: e.decision === 'deny' ? 'deny' : 'allow' });
  }
  const appendMs = performance.now() - t0;
  const t1 = performance.now();
  const ok = logger.verify();
  return { appendRate: n / (appendMs / 1000), verifyMs: performance.now() - t1, ok };
}

async function main(): Promise<void> {
  console.log(`Ledger benchmark, N = ${fmt(N)}, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`\ndurable appends (each append resolves after its group-commit transaction is fsynced), ${APPEND_SECONDS} s per run`);
  for (const w of [1, 8, 64]) {
    const r = await durableAppends(w);
    console.log(`  gatehouse ledger, ${String(w).padStart(2)} writers: ${fmt(r.rate).padStart(8)} appends/s (${fmt(r.count)} entries)`);
  }

  const path = join(dir, 'big.db');
  const ledger = await openLedger({ path, checkpointEvery: 10_000, checkpointIntervalMs: 0 });
  const t0 = performance.now();
  const CHUNK = 256;
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < N) {
        const start = next;
        const count = Math.min(CHUNK, N - start);
        next += count;
        await ledger.appendMany(Array.from({ length: count }, (_, k) => entry(start + k)));
      }
    }),
  );
  const loadS = (performance.now() - t0) / 1000;
  await ledger.checkpoint();
  console.log(`\nload ${fmt(N)} entries (64 writers x appendMany(${CHUNK}), durable): ${loadS.toFixed(1)} s, ${fmt(N / loadS)} entries/s`);

  const v0 = performance.now();
  const report = await ledger.verify();
  const verifyS = (performance.now() - v0) / 1000;
  console.log(`audit verify over ${fmt(report.size)} entries (${report.checkpoints} checkpoints): ${verifyS.toFixed(2)} s, ok=${report.ok}`);

  const size = await ledger.size();
  const times: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const idx = Math.floor(Math.random() * size);
    const s = performance.now();
    await ledger.proveInclusion(idx, size);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(`inclusion proof at size ${fmt(size)} (${fmt(PROOFS)} random leaves, incl. root): p50 ${quantile(times, 0.5).toFixed(3)} ms, p99 ${quantile(times, 0.99).toFixed(3)} ms`);
  await ledger.close();

  const agt = agtRun(N);
  console.log(`\n@microsoft/agent-governance-sdk AuditLogger (in-memory hash chain, 3 fields hashed, not durable, no proofs):`);
  console.log(`  append ${fmt(N)}: ${fmt(agt.appendRate)} appends/s; verify: ${(agt.verifyMs / 1000).toFixed(2)} s, ok=${agt.ok}`);
  console.log(`  inclusion proof: not available (a hash chain can only be checked by replaying it from the start)`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
