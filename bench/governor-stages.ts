/**
 * Where a decision's time goes, for bench/governor.ts: the stages of runtime.governor.decide
 * timed apart on the same runtime (policy + detectors, argument digest, the Governor with the
 * durable ledger append replaced by an in-memory one, the durable append alone, a raw fdatasync).
 */
import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { argumentsDigest } from '../src/govern/digest.ts';
import { Governor } from '../src/govern/governor.ts';
import type { LedgerRecord } from '../src/govern/ports.ts';
import type { LedgerEntry } from '../src/ledger/entry.ts';
import { evaluatePolicy } from '../src/policy/index.ts';
import { approvalsPort } from '../src/runtime/adapters.ts';
import type { Runtime } from '../src/runtime/runtime.ts';
import { AGENT, CALLS } from './governor-calls.ts';
import { closedLoop, quantile, type CpuMeter, type RunLimits, type RunResult } from './governor-load.ts';

export interface StageTiming {
  stage: string;
  p50Ms: number;
  p99Ms: number;
}

function timeSync(n: number, fn: (i: number) => void): { p50Ms: number; p99Ms: number } {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn(i);
    t[i] = performance.now() - s;
  }
  t.sort();
  return { p50Ms: quantile(t, 0.5), p99Ms: quantile(t, 0.99) };
}

/** evaluatePolicy (rules + CEL + the GuardrailPolicy's detectors) per call of the mix, single caller. */
export function policyStages(runtime: Runtime, perCall: number): StageTiming[] {
  const bundle = runtime.policies.bundle;
  const rows: StageTiming[] = [];
  const all: number[] = [];
  for (const call of CALLS) {
    const text = JSON.stringify(call.arguments);
    const request = (args: unknown) => ({ tool: call.tool, server: call.server, arguments: args, agent: { id: AGENT }, tenant: 'acme', now: new Date() });
    for (let i = 0; i < 200; i++) evaluatePolicy(bundle, request(JSON.parse(text)), { globalDefault: 'deny' });
    const inputs = Array.from({ length: perCall }, () => request(JSON.parse(text)));
    const r = timeSync(perCall, (i) => evaluatePolicy(bundle, inputs[i]!, { globalDefault: 'deny' }));
    rows.push({ stage: `evaluatePolicy: ${call.label}`, ...r });
    all.push(r.p50Ms);
  }
  const digestInputs = CALLS.map((c) => JSON.parse(JSON.stringify(c.arguments)) as unknown);
  rows.push({ stage: 'argumentsDigest (canonical JSON + SHA-256), mix', ...timeSync(perCall * 4, (i) => argumentsDigest(digestInputs[i % digestInputs.length])) });
  return rows;
}

/** The Governor exactly as the runtime builds it, but with an in-memory ledger: everything but durability. */
export function governorWithoutDurableAppend(runtime: Runtime): Governor {
  let index = 0;
  return new Governor({
    policy: () => runtime.policies.bundle,
    ledger: {
      append: async (entry: LedgerRecord) => ({ index: index++, actionId: entry.actionId ?? '' }),
      findByActionId: async () => null,
    },
    approvals: approvalsPort(runtime.approvals),
    limits: runtime.limits,
    globalDefault: runtime.loaded.config.decisions.globalDefault,
    failOpen: runtime.loaded.config.decisions.failOpen,
  });
}

/** runtime.ledger.append of a real decision entry (taken from the ledger) with C concurrent writers. */
export async function ledgerAppendRun(runtime: Runtime, concurrency: number, limits: RunLimits, cpu?: CpuMeter): Promise<RunResult> {
  const last = await runtime.ledger.get((await runtime.ledger.size()) - 1);
  if (!last) throw new Error('ledger is empty: run decisions first');
  const { actionId: _id, index: _index, v: _v, ...template } = last.entry;
  return closedLoop(concurrency, limits, async () => {
    await runtime.ledger.append({ ...template, time: new Date().toISOString() } satisfies LedgerEntry);
  }, cpu);
}

/**
 * One sliding-window rate-limit hit (what a rule with `rateLimit` adds to a decision): a BEGIN
 * IMMEDIATE write transaction on the shared database, committed on its own (not group-committed).
 */
export async function rateLimitHit(runtime: Runtime, n: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await runtime.limits.hit(`bench:${i % 8}`, 1_000_000, 60_000, new Date());
    t[i] = performance.now() - s;
  }
  t.sort();
  return { p50Ms: quantile(t, 0.5), p99Ms: quantile(t, 0.99) };
}

/** fdatasync of a 4 KiB write in `dir`: the floor of any durable commit on this disk. */
export function fsyncProbe(dir: string, n = 100): { p50Ms: number; p99Ms: number } {
  const file = join(dir, 'fsync-probe.dat');
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096, 7);
  try {
    return timeSync(n, () => {
      writeSync(fd, page);
      fdatasyncSync(fd);
    });
  } finally {
    closeSync(fd);
    unlinkSync(file);
  }
}
