/**
 * Load generation for bench/governor.ts: a closed-loop runner (C callers, each issuing its next
 * call when the previous one answers), latency quantiles, a keep-alive HTTP client and a
 * `gatehouse serve` child process.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface RunLimits {
  /** Stop after this many measured operations... */
  count: number;
  /** ...or after this many ms, whichever comes first. */
  ms: number;
  /** Unmeasured operations first (JIT, caches, connections). */
  warmup: number;
}

export interface RunResult {
  concurrency: number;
  ops: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time (user + system) the measured process spent per operation, when a CPU meter was given. */
  cpuUsPerOp?: number;
}

/** CPU microseconds used so far by some process. */
export type CpuMeter = () => number;

export const ownCpu: CpuMeter = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

let ticks: number | undefined;
/** CPU meter of another process, from /proc/PID/stat (utime + stime, in clock ticks). */
export function processCpu(pid: number): CpuMeter {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticks!;
  };
}

/** Runs `op(i)` with `concurrency` callers in a closed loop; op must resolve when its call has answered. */
export async function closedLoop(concurrency: number, limits: RunLimits, op: (i: number) => Promise<void>, cpu?: CpuMeter): Promise<RunResult> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < limits.warmup) await op(next++);
    }),
  );
  const samples = new Float64Array(limits.count);
  let issued = 0;
  const cpu0 = cpu?.();
  const t0 = performance.now();
  const deadline = t0 + limits.ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < limits.count && performance.now() < deadline) {
        const slot = issued++;
        const s = performance.now();
        await op(slot);
        samples[slot] = performance.now() - s;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = cpu && cpu0 !== undefined ? cpu() - cpu0 : undefined;
  return summarise(concurrency, samples.subarray(0, issued), seconds, cpuUs);
}

function summarise(concurrency: number, samples: Float64Array, seconds: number, cpuUs?: number): RunResult {
  const sorted = samples.sort();
  const issued = sorted.length;
  return {
    concurrency,
    ops: issued,
    seconds,
    perSecond: issued / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    ...(cpuUs !== undefined ? { cpuUsPerOp: cpuUs / Math.max(1, issued) } : {}),
  };
}

/**
 * Open loop: `callers` independent callers, each waiting an exponentially distributed think time
 * between its calls so that together they offer `ratePerSecond`; latency is measured per call.
 */
export async function openLoop(callers: number, ratePerSecond: number, limits: RunLimits, op: (i: number) => Promise<void>, cpu?: CpuMeter): Promise<RunResult> {
  const meanGapMs = (callers / ratePerSecond) * 1000;
  const pause = () => new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * meanGapMs));
  for (let i = 0; i < limits.warmup; i++) await op(i);
  const samples = new Float64Array(limits.count);
  let issued = 0;
  const cpu0 = cpu?.();
  const t0 = performance.now();
  const deadline = t0 + limits.ms;
  let lastDone = t0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (;;) {
        await pause();
        if (issued >= limits.count || performance.now() >= deadline) return;
        const slot = issued++;
        const s = performance.now();
        await op(slot);
        lastDone = performance.now();
        samples[slot] = lastDone - s;
      }
    }),
  );
  // callers still in a think time after the deadline do not count
  const seconds = (Math.max(lastDone, deadline) - t0) / 1000;
  return summarise(callers, samples.subarray(0, issued), seconds, cpu && cpu0 !== undefined ? cpu() - cpu0 : undefined);
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** µs below 1 ms, ms above. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

export interface HttpClient {
  /** Resolves with status and body text. */
  send(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; text: string }>;
  close(): void;
}

/** node:http with one keep-alive socket per concurrent caller. */
export function httpClient(baseUrl: string, token: string, maxSockets: number): HttpClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const auth = `Bearer ${token}`;
  return {
    send(method, path, body) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { authorization: auth };
        if (body !== undefined) {
          headers['content-type'] = 'application/json';
          headers['content-length'] = Buffer.byteLength(body);
        }
        const req = request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

const MAIN_TS = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

export interface ServeChild {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** `node --import tsx src/cli/main.ts serve --config FILE --port 0 --json` in its own process. */
export function startServe(configFile: string, nodeArgs: string[] = []): Promise<ServeChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', MAIN_TS, 'serve', '--config', configFile, '--port', '0', '--json'], {
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gatehouse serve did not start within 60 s: ${stderr}`));
    }, 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse serve exited with ${code}: ${stderr}`));
    };
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        child,
        url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
