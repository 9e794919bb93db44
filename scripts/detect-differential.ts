// Differential check of the detectors: the working tree against an older commit, on a large corpus.
//   node --import tsx scripts/detect-differential.ts [--base <commit>] [--random <n>]
//       compares every output (test/detect/differential-run.ts) on the Presidio cases, all
//       agent-threat-rules texts, the benchmark inputs and <n> random mixtures (default 50000).
//   node --import tsx scripts/detect-differential.ts --time
//       times the benchmark's 1 KB call (bench/detect.ts) with both, interleaved in one process:
//       median µs per call over 20 rounds of 500 calls each, so machine load hits both alike.
//   node --import tsx scripts/detect-differential.ts --write-digests
//       writes test/detect/fixtures/differential-digests.json from the base commit's detectors,
//       which test/detect/differential.test.ts compares the current code with.
import { execSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as current from '../src/detect/index.ts';
import { benchText, corpus } from '../test/detect/differential-corpus.ts';
import { COMMITTED_CORPUS, digest, DIGESTS_FILE, outputs, type DetectApi } from '../test/detect/differential-run.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const base = opt('--base', 'c64260c');
const root = new URL('..', import.meta.url).pathname;
const dir = join(root, '.differential', base);

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
execSync(`git archive ${base} src | tar -x -C ${JSON.stringify(dir)}`, { cwd: root });
const old = (await import(join(dir, 'src/detect/index.ts'))) as DetectApi;

if (args.includes('--time')) {
  const value = { to: 'jane.doe@example.org', subject: 'Q3 numbers', command: 'ls -la /srv/app', body: benchText(904) };
  const cases: Array<[string, string[]]> = [['all (pii+secrets+destr.+inj.)', ['pii', 'secrets', 'destructive', 'injection']], ['pii', ['pii']], ['secrets', ['secrets']], ['destructive', ['destructive']], ['injection', ['injection']]];
  for (const [label, detectors] of cases) {
    const med: Record<'old' | 'now', number[]> = { old: [], now: [] };
    const run = (api: DetectApi) => api.detectAll(value, { surface: 'arguments', detectors });
    for (let i = 0; i < 2000; i++) run(old), run(current);
    for (let r = 0; r < 20; r++) {
      for (const [k, api] of [['old', old], ['now', current]] as const) {
        const t0 = performance.now();
        for (let i = 0; i < 500; i++) run(api);
        med[k].push(((performance.now() - t0) * 1000) / 500);
      }
    }
    const m = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    console.log(`${label.padEnd(30)} ${base} ${m(med.old).toFixed(1).padStart(6)} µs   now ${m(med.now).toFixed(1).padStart(6)} µs   ×${(m(med.old) / m(med.now)).toFixed(2)}`);
  }
} else if (args.includes('--write-digests')) {
  const values = corpus(COMMITTED_CORPUS);
  const digests = values.map((v) => digest(outputs(old, v)).slice(0, 8));
  writeFileSync(DIGESTS_FILE, JSON.stringify({ base, corpus: COMMITTED_CORPUS, count: values.length, digests }) + '\n');
  console.log(`wrote ${values.length} digests from ${base}`);
} else {
  const values = corpus({ randomCount: Number(opt('--random', '50000')), seed: 12345, external: true });
  let calls = 0;
  let diffs = 0;
  for (const v of values) {
    const a = outputs(old, v);
    const b = outputs(current, v);
    calls += a.length;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (++diffs <= 10) console.log(`DIFF on ${JSON.stringify(v).slice(0, 300)}\n  ${base}: ${a[i]!.slice(0, 600)}\n  now: ${b[i]!.slice(0, 600)}`);
    }
  }
  console.log(`${values.length} values, ${calls} calls compared with ${base}: ${diffs} differences`);
  process.exitCode = diffs === 0 ? 0 : 1;
}
