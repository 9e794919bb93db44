// Detector throughput and latency; PII side by side with redact-pii and @redactpii/node.
// Run: node --import tsx bench/detect.ts
import { createRequire } from 'node:module';
import { Redactor } from '@redactpii/node';
import { detectAll, detectPii, type Surface } from '../src/detect/index.ts';

const require = createRequire(import.meta.url);
const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new () => { redact(s: string): string } };

const FILLER = 'The quarterly report is attached; please review the numbers before the meeting on Thursday. ';
const PII_LINE =
  'Contact jane.doe@example.org or call (415) 555-0132; card 4111 1111 1111 1111, SSN 078-05-1123, IBAN GB82 WEST 1234 5698 7654 32, host 10.20.30.40. ';

function text(bytes: number): string {
  let s = '';
  while (s.length < bytes) s += s.length % 1024 < 300 ? PII_LINE : FILLER;
  return s.slice(0, bytes);
}
function args(bytes: number): Record<string, unknown> {
  const t = text(bytes - 120);
  return { to: 'jane.doe@example.org', subject: 'Q3 numbers', command: 'ls -la /srv/app', body: t };
}

function measure(fn: () => unknown, iterations: number): { p50: number; p99: number; mbps: number; bytes: number } {
  // Warm-up to steady state, as a long-running server is: 2,000 calls or 0.5 s, whichever comes
  // first (and at least 50), so tier-up of the optimising compiler is not in the measured calls.
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < 2000 && (i < 50 || performance.now() < warmUntil); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  return { p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]!, mbps: 0, bytes: total };
}

function row(label: string, size: number, fn: () => unknown, iterations: number, extra = ''): void {
  const m = measure(fn, iterations);
  const mbps = (size * iterations) / (m.bytes / 1e6) / 1e6;
  console.log(`${label.padEnd(34)} ${String(size / 1024).padStart(3)} KB  p50 ${m.p50.toFixed(1).padStart(8)} µs  p99 ${m.p99.toFixed(1).padStart(8)} µs  ${mbps.toFixed(1).padStart(6)} MB/s  ${extra}`);
}

console.log(`node ${process.version}, ${process.arch}; times per call`);
const surfaces: Record<string, Surface> = { pii: 'arguments', secrets: 'arguments', destructive: 'arguments', injection: 'result', poisoning: 'definition' };
for (const size of [1024, 64 * 1024]) {
  const value = args(size);
  const iterations = size <= 1024 ? 5000 : 200;
  for (const [d, surface] of Object.entries(surfaces)) row(`gatehouse ${d}`, size, () => detectAll(value, { surface, detectors: [d] }), iterations);
  row('gatehouse all (pii+secrets+destr.+inj.)', size, () => detectAll(value, { surface: 'arguments', detectors: ['pii', 'secrets', 'destructive', 'injection'] }), iterations);

  const plain = value.body as string;
  const ours = detectPii(plain).length;
  const rp = new SyncRedactor();
  const rpn = new Redactor();
  const count = (s: string) => (s.match(/\b[A-Z]{2,}(?:_[A-Z]+)+\b/g) ?? []).length;
  row('gatehouse detectPii (text)', size, () => detectPii(plain), iterations, `${ours} findings`);
  row('redact-pii SyncRedactor', size, () => rp.redact(plain), Math.max(20, iterations / 10), `${count(rp.redact(plain))} redactions`);
  row('@redactpii/node Redactor', size, () => rpn.redact(plain), iterations, `${count(rpn.redact(plain))} redactions`);
}
console.log(`PII line used: ${PII_LINE.trim()}`);
console.log('per line (one of each): ours', detectPii(PII_LINE).map((f) => f.type).join(','));
console.log('  redact-pii     :', new SyncRedactor().redact(PII_LINE));
console.log('  @redactpii/node:', new Redactor().redact(PII_LINE));
