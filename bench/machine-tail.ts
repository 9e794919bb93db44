// The latency tail this machine adds to any call, whatever the code: a fixed, allocation-free
// integer loop timed call by call at several lengths. Where the host takes the CPU away for a
// moment at a steady rate, a call of length d is hit with a probability proportional to d, and
// once that passes 1% its p99 is its median plus the length of one interruption. Read the p99
// targets of bench/policy.ts and bench/detect.ts against this floor.
// Run: node --import tsx bench/machine-tail.ts
import { loadavg } from 'node:os';

const CALLS = 20_000;
const LOOP_LENGTHS = [500, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000];
/** A call this much slower than the median counts as interrupted. */
const INTERRUPTED_EXTRA_US = 15;

function fixedWork(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) | 0;
  return x;
}

console.log(`machine tail: ${CALLS} timed calls per row of a fixed integer loop; node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('   median µs      p99 µs   interrupted calls   median / 1 ms   median extra when interrupted');
let sink = 0;
for (const n of LOOP_LENGTHS) {
  for (let i = 0; i < 2_000; i++) sink ^= fixedWork(n);
  const times = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t0 = process.hrtime.bigint();
    sink ^= fixedWork(n);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  const median = times[CALLS / 2]!;
  const extras = Array.from(times.filter((t) => t > median + INTERRUPTED_EXTRA_US), (t) => t - median);
  const extra = extras.length > 0 ? `${extras[Math.floor(extras.length / 2)]!.toFixed(0)} µs` : '-';
  console.log(
    `${median.toFixed(1).padStart(12)}${times[Math.floor(CALLS * 0.99)]!.toFixed(1).padStart(12)}` +
      `${`${((extras.length / CALLS) * 100).toFixed(2)}%`.padStart(20)}${`${(median / 10).toFixed(2)}%`.padStart(16)}${extra.padStart(32)}`,
  );
}
if (sink === 0.5) console.log('unreachable');
