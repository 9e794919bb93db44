import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDestructive, detectInjection, detectPii, detectPoisonedDefinition, detectSecrets } from '../../src/detect/index.ts';

/**
 * Linearity: time per KB on a 1 MB adversarial input must stay within FACTOR of the time per KB
 * on a 16 KB one. A quadratic scan is 64× slower per KB at 1 MB and fails; the factor is loose so
 * a noisy shared machine does not. Ratios are compared, never absolute timings.
 */
const SMALL = 16 * 1024;
const LARGE = 1024 * 1024;
const FACTOR = 16;
/** Attempts for a seed over FACTOR before it counts: the best attempt is kept. */
const RETRIES = 5;

const custom = [{ name: 'emp', pattern: '[A-Z]{3}-\\d{1,6}-[a-z]{0,20}' }];
const DETECTORS: Record<string, (s: string) => unknown> = {
  pii: (s) => detectPii(s, { customRecognizers: custom }),
  secrets: (s) => detectSecrets(s, { keyName: 'api_key' }),
  injection: (s) => detectInjection(s),
  destructive: (s) => detectDestructive(s),
  poisoning: (s) => detectPoisonedDefinition({ description: s }),
};

const SEEDS = [
  'a', '1 ', '1-', 'a@', 'a.', ':', 'f:', 'AKIA', 'eyJ', 'x=', 'ignore all ', 'rm -rf ', '$(', '"', '`', '<!--', '\u200B',
  ' ', '+1 ', 'AL47 ', 'EMP-1', 'https://', 'Bearer ', '<IMPORTANT>', 'send ', "SELECT '",
  // Dense with findings (about one per 10 chars): the work after matching must stay linear too.
  'mail jane.doe@example.org, card 4111 1111 1111 1111, SSN 078-05-1123, IBAN GB82 WEST 1234 5698 7654 32, key AKIAIOSFODNN7EXAMPLE password=hunter2xyz, rm -rf / ignore previous instructions <IMPORTANT> ',
];

function fill(seed: string, n: number): string {
  return seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
}

/** Best CPU time of `repeat` runs: CPU time, unlike wall time, does not grow while a shared machine runs other work. */
function timeMs(fn: () => unknown, repeat: number): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * Worst ratio of per-KB time (large vs small) over all seeds. Noise (a stall, another thread's CPU
 * time) can push a ratio either way, so a ratio on the side that would fail the test is measured
 * again: for a detector, a ratio over FACTOR keeps the lowest of its attempts; for the harness's
 * known-quadratic scan (`expectQuadratic`), a ratio under FACTOR keeps the highest.
 */
function worstRatio(detect: (s: string) => unknown, seeds = SEEDS, SMALL_N = SMALL, LARGE_N = LARGE, expectQuadratic = false): { ratio: number; seed: string } {
  let worst = { ratio: 0, seed: '' };
  for (const seed of seeds) {
    const small = fill(seed, SMALL_N);
    const large = fill(seed, LARGE_N);
    for (let i = 0; i < 3; i++) detect(small); // warm up the JIT so the small run is not dominated by compilation
    const measure = (): number => {
      const perKbSmall = Math.max(timeMs(() => detect(small), 5), 0.05) / (SMALL_N / 1024);
      const perKbLarge = timeMs(() => detect(large), 2) / (LARGE_N / 1024);
      return perKbLarge / perKbSmall;
    };
    // A super-linear scan is slow on every attempt; a stall of the shared machine is not.
    let ratio = measure();
    if (expectQuadratic) for (let attempt = 1; attempt < RETRIES && ratio <= FACTOR; attempt++) ratio = Math.max(ratio, measure());
    else for (let attempt = 1; attempt < RETRIES && ratio >= FACTOR; attempt++) ratio = Math.min(ratio, measure());
    if (ratio > worst.ratio) worst = { ratio, seed };
  }
  return worst;
}

test('the harness catches a quadratic scan', (t) => {
  // What a backtracking regex does on a failing match: from every start, scan to the end.
  const quadratic = (s: string) => {
    let steps = 0;
    for (let start = 0; start < s.length; start++) for (let i = start; i < s.length; i += 32) steps += s.charCodeAt(i) & 1;
    return steps;
  };
  // 4 KB vs 128 KB: 32 times the work per KB, twice FACTOR. The small run is long enough (~0.3 ms)
  // that timer resolution and the 0.05 ms floor do not flatten the ratio.
  const r = worstRatio(quadratic, ['a'], 4 * 1024, 128 * 1024, true);
  t.diagnostic(`known-quadratic scan: per-KB ratio 128 KB / 4 KB = ${r.ratio.toFixed(1)}`);
  assert.ok(r.ratio > FACTOR, `a known-quadratic scan was not caught (ratio ${r.ratio.toFixed(1)})`);
});

for (const [name, detect] of Object.entries(DETECTORS)) {
  test(`${name} stays linear on adversarial input up to 1 MB`, (t) => {
    const r = worstRatio(detect);
    t.diagnostic(`${name}: worst per-KB ratio 1 MB / 16 KB = ${r.ratio.toFixed(2)} (seed ${JSON.stringify(r.seed)}), ${SEEDS.length} seeds`);
    assert.ok(r.ratio < FACTOR, `${name} is super-linear on seed ${JSON.stringify(r.seed)}: ratio ${r.ratio.toFixed(1)}`);
  });
}
