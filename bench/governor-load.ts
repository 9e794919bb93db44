/**
 * Load generation for bench/governor.ts: a closed-loop runner (C callers, each issuing its next
 * call when the previous one answers), latency quantiles, a keep-alive HTTP client and a
 * `gatehouse serve` child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
}

/** Runs `op(i)` with `concurrency` callers in a closed loop; op must resolve when its call has answered. */
export async function closedLoop(concurrency: number, limits: RunLimits, op: (i: number) => Promise<void>): Promise<RunResult> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < limits.warmup) await op(next++);
    }),
  );
  const samples = new Float64Array(limits.count);
  let issued = 0;
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
  const sorted = samples.subarray(0, issued).sort();
  return {
    concurrency,
    ops: issued,
    seconds,
    perSecond: issued / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
  };
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
