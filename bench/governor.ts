/**
 * Governor benchmark: decisions/s and p50/p99 latency through the Gatehouse Governor
 *   (1) in-process: runtime.governor.decide(ctx) (policy + detectors + durable ledger append), and
 *   (2) over HTTP on loopback: POST /api/v1/decide with an agent API key against `gatehouse serve`
 *       running in its own process (the load generator's CPU is not in the server's event loop),
 * at 1, 16 and 128 concurrent callers (closed loop), with the example policies as shipped and a
 * labelled policy-only variant; then the stages timed apart (see governor-stages.ts).
 *
 *   node --import tsx bench/governor.ts [--only=inprocess,http,stages,tmpfs]
 *   GOVERNOR_BENCH_SECONDS (default 2) and GOVERNOR_BENCH_COUNT (default 50000) bound every run;
 *   GOVERNOR_BENCH_SERVE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes node flags to the server.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config/load.ts';
import type { Governor } from '../src/govern/governor.ts';
import { openRuntime, type Runtime } from '../src/runtime/runtime.ts';
import { AGENT, CALLS, benchDeployment, createAgentKey, expected, type PolicySet } from './governor-calls.ts';
import { closedLoop, formatLatency, httpClient, openLoop, ownCpu, processCpu, startServe, type RunLimits, type RunResult } from './governor-load.ts';
import { fsyncProbe, governorWithoutDurableAppend, ledgerAppendRun, policyStages, rateLimitHit } from './governor-stages.ts';

const SECONDS = Number(process.env.GOVERNOR_BENCH_SECONDS ?? 2);
const COUNT = Number(process.env.GOVERNOR_BENCH_COUNT ?? 50_000);
const CONCURRENCY = [1, 16, 128];
/** Open-loop offered loads over HTTP: 128 agents, each calling about 2 or 4 times a second. */
const OPEN_RATES = [256, 512];
const TARGET_P99_MS = 2;
const only = new Set((process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'inprocess,http,stages,tmpfs').split(','));
const serveArgs = (process.env.GOVERNOR_BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean);
const limits = (c: number): RunLimits => ({ count: COUNT, ms: SECONDS * 1000, warmup: Math.max(300, 4 * c) });
const SHM = '/dev/shm';

interface Row extends RunResult {
  mode: string;
  policies: PolicySet | '-';
  store: string;
}
const rows: Row[] = [];
let mismatches = 0;

const argTexts = CALLS.map((c) => JSON.stringify(c.arguments));
const httpBodies = CALLS.map((c) => JSON.stringify({ server: c.server, tool: c.tool, arguments: c.arguments }));

function sdkCall(k: number) {
  const c = CALLS[k]!;
  return { tenant: 'acme', agent: { id: AGENT }, server: c.server, tool: c.tool, arguments: JSON.parse(argTexts[k]!) as unknown, enforcementPoint: 'sdk' as const };
}

/** Every call of the mix once, checked against its expected decision, before anything is measured. */
async function verifyInProcess(governor: Governor, policies: PolicySet): Promise<void> {
  for (let k = 0; k < CALLS.length; k++) {
    const d = await governor.decide(sdkCall(k));
    const want = expected(CALLS[k]!, policies);
    if (d.action !== want) throw new Error(`${CALLS[k]!.label}: expected ${want}, got ${d.action} (${d.reason})`);
    if (policies === 'shipped' && CALLS[k]!.pii && !d.findings.some((f) => f.type === 'credit_card')) throw new Error(`${CALLS[k]!.label}: the card number was not found`);
  }
}

function record(mode: string, policies: Row['policies'], store: string, r: RunResult): void {
  rows.push({ mode, policies, store, ...r });
  console.error(`  ${mode.padEnd(39)} ${String(policies).padEnd(11)} ${store.padEnd(5)} c=${String(r.concurrency).padStart(3)}: ${Math.round(r.perSecond)}/s p50 ${formatLatency(r.p50Ms)} p99 ${formatLatency(r.p99Ms)}`);
}

async function openBench(policies: PolicySet, root?: string): Promise<{ runtime: Runtime; cleanup: () => Promise<void> }> {
  const d = benchDeployment(policies, root);
  const runtime = await openRuntime({ loaded: loadConfig({ config: d.configFile }) });
  return { runtime, cleanup: async () => { await runtime.close(); d.cleanup(); } };
}

async function inProcess(governor: Governor, policies: PolicySet, mode: string, store: string, levels = CONCURRENCY): Promise<void> {
  await verifyInProcess(governor, policies);
  const want = CALLS.map((c) => expected(c, policies));
  for (const c of levels) {
    record(mode, policies, store, await closedLoop(c, limits(c), async (i) => {
      const k = i % CALLS.length;
      if ((await governor.decide(sdkCall(k))).action !== want[k]) mismatches++;
    }, ownCpu));
  }
}

const ACTION = /"action":"([a-z_]+)"/;

async function overHttp(policies: PolicySet, store: string, root?: string, floor = false): Promise<void> {
  const d = benchDeployment(policies, root);
  const token = await createAgentKey(d.dbPath, AGENT);
  const serve = await startServe(d.configFile, serveArgs);
  try {
    const want = CALLS.map((c) => expected(c, policies));
    const probe = httpClient(serve.url, token, 1);
    for (let k = 0; k < CALLS.length; k++) {
      const r = await probe.send('POST', '/api/v1/decide', httpBodies[k]);
      const action = ACTION.exec(r.text)?.[1];
      if (r.status !== 200 || action !== want[k]) throw new Error(`HTTP ${CALLS[k]!.label}: expected 200 ${want[k]}, got ${r.status} ${r.text.slice(0, 300)}`);
    }
    probe.close();
    const serverCpu = processCpu(serve.child.pid!);
    const decideOp = (client: ReturnType<typeof httpClient>) => async (i: number) => {
      const k = i % CALLS.length;
      const r = await client.send('POST', '/api/v1/decide', httpBodies[k]);
      if (r.status !== 200 || ACTION.exec(r.text)?.[1] !== want[k]) mismatches++;
    };
    for (const c of CONCURRENCY) {
      const client = httpClient(serve.url, token, c);
      record('HTTP POST /api/v1/decide', policies, store, await closedLoop(c, limits(c), decideOp(client), serverCpu));
      client.close();
    }
    if (floor) {
      for (const c of CONCURRENCY) {
        const client = httpClient(serve.url, token, c);
        record('HTTP floor: GET /healthz (no work)', '-', '-', await closedLoop(c, limits(c), async () => {
          if ((await client.send('GET', '/healthz')).status !== 200) mismatches++;
        }, serverCpu));
        client.close();
      }
      for (const rate of OPEN_RATES) {
        const client = httpClient(serve.url, token, 128);
        record(`HTTP decide, open loop ${rate}/s offered`, policies, store, await openLoop(128, rate, { ...limits(128), warmup: 100 }, decideOp(client), serverCpu));
        client.close();
      }
    }
  } finally {
    await serve.stop();
    d.cleanup();
  }
}

function printTable(): void {
  console.log('\nmode                                    policies     store  callers  decisions/s        p50        p99        max       n    cpu/op');
  for (const r of rows) {
    const ok = r.mode.startsWith('HTTP') && r.concurrency === 128 && r.policies !== '-' ? (r.p99Ms <= TARGET_P99_MS ? '  (target met)' : `  (target p99 <= ${TARGET_P99_MS} ms: missed)`) : '';
    const cpu = r.cpuUsPerOp !== undefined ? formatLatency(r.cpuUsPerOp / 1000) : '-';
    console.log(
      `${r.mode.padEnd(39)} ${String(r.policies).padEnd(12)} ${r.store.padEnd(5)} ${String(r.concurrency).padStart(7)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(12)} ${formatLatency(r.p50Ms).padStart(10)} ${formatLatency(r.p99Ms).padStart(10)} ${formatLatency(r.maxMs).padStart(10)} ${String(r.ops).padStart(7)} ${cpu.padStart(9)}${ok}`,
    );
  }
  console.log('\ncpu/op: CPU time (user + system) per decision of the process doing the work: the bench process in-process, the server process over HTTP.');
}

async function main(): Promise<void> {
  const disk = tmpdir();
  console.log(`Governor benchmark, node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine)`);
  console.log(`each run: closed loop, at most ${COUNT.toLocaleString('en-US')} decisions or ${SECONDS} s after a warm-up; call mix of ${CALLS.length} calls cycled:`);
  console.log(`  ${CALLS.map((c) => `${c.label} → ${c.expect}${c.pii ? ' (card masked in ledger)' : ''}`).join('; ')}`);
  const fs = fsyncProbe(disk);
  console.log(`disk (${disk}): fdatasync of 4 KiB p50 ${formatLatency(fs.p50Ms)}, p99 ${formatLatency(fs.p99Ms)} — the floor of every durable ledger commit`);
  console.log(`Little's law: with 128 closed-loop callers, mean latency = 128 / throughput; p99 <= ${TARGET_P99_MS} ms needs > ${(128 / TARGET_P99_MS * 1000).toLocaleString('en-US')} decisions/s\n`);
  const shm = existsSync(SHM) ? SHM : undefined;

  if (only.has('inprocess') || only.has('stages')) {
    const shipped = await openBench('shipped');
    try {
      if (only.has('inprocess')) await inProcess(shipped.runtime.governor, 'shipped', 'in-process governor.decide', 'disk');
      if (only.has('stages')) {
        const stages = policyStages(shipped.runtime, 2000);
        stages.push({ stage: 'rate-limit hit alone (rules with rateLimit; own SQLite commit)', ...(await rateLimitHit(shipped.runtime, 300)) });
        console.log('\nstages, single caller, shipped policies:');
        for (const s of stages) console.log(`  ${s.stage.padEnd(62)} p50 ${formatLatency(s.p50Ms).padStart(9)}  p99 ${formatLatency(s.p99Ms).padStart(9)}`);
        console.log('');
        const memGov = governorWithoutDurableAppend(shipped.runtime);
        await inProcess(memGov, 'shipped', 'in-process, ledger append in memory', 'none');
        for (const c of CONCURRENCY) record('ledger.append alone (durable)', '-', 'disk', await ledgerAppendRun(shipped.runtime, c, limits(c), ownCpu));
      }
    } finally {
      await shipped.cleanup();
    }
    if (only.has('inprocess')) {
      const policyOnly = await openBench('policy-only');
      try {
        await inProcess(policyOnly.runtime.governor, 'policy-only', 'in-process governor.decide', 'disk');
      } finally {
        await policyOnly.cleanup();
      }
    }
  }
  if (only.has('tmpfs') && only.has('inprocess') && shm) {
    const t = await openBench('shipped', shm);
    try {
      await inProcess(t.runtime.governor, 'shipped', 'in-process governor.decide', 'tmpfs', [1, 128]);
    } finally {
      await t.cleanup();
    }
  }
  if (only.has('http')) {
    await overHttp('shipped', 'disk', disk, true);
    await overHttp('policy-only', 'disk', disk);
    if (only.has('tmpfs') && shm) await overHttp('shipped', 'tmpfs', shm);
  }
  printTable();
  console.log('\nstore: disk = SQLite WAL, synchronous=FULL on ext4 (durable); tmpfs = the same on /dev/shm, where fsync is a no-op (NOT durable; shows the CPU-only cost).');
  if (mismatches > 0) {
    console.log(`\n${mismatches} responses did not carry the expected decision or status`);
    process.exitCode = 1;
  }
}

await main();
