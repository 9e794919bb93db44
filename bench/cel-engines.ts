// Compares CEL engines on the same realistic policy expressions, in one process run:
// @bufbuild/cel raw (as shipped: regex recompiled per call), raw with a memoising re2 option,
// Gatehouse's wrapper (memoised re2 + cost metering + input conversion), @marcbachmann/cel-js,
// and cel-js. Then a ReDoS probe of `matches` per engine in a child process with a timeout.
// Run: node --import tsx bench/cel-engines.ts
import { spawnSync } from 'node:child_process';
import { celEnv, isCelError, parse as bufParse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from '@bufbuild/re2';
import { parse as marcParse } from '@marcbachmann/cel-js';
import { evaluate as celJsEvaluate, parse as celJsParse } from 'cel-js';
import { createCelEngine } from '../src/policy/cel/engine.ts';

const EXPRESSIONS = [
  "request.tool == 'create_pull_request'",
  "request.tool in ['create_issue', 'list_issues', 'get_file_contents', 'create_pull_request']",
  "!request.arguments.base.matches('main|production')",
  "request.arguments.path.startsWith('/etc/') || request.arguments.path.endsWith('.env')",
  'request.arguments.count > 5 && request.arguments.count < 100',
  "request.arguments.files.exists(f, f.endsWith('.env'))",
  "agent.id == 'dev-assistant' && 'admin' in agent.roles",
  "size(request.arguments.title) < 200 && request.arguments.body.contains('TODO')",
  "request.arguments.labels.all(l, l in ['bug', 'feature', 'docs'])",
  "request.arguments.url.matches('^https://([a-z0-9-]+[.])*github[.]com/')",
];

function freshVars(): Record<string, unknown> {
  // A new object per evaluation, as a gateway builds one per call.
  return {
    request: {
      tool: 'create_pull_request',
      server: 'github',
      arguments: {
        base: 'feature/login', head: 'dev', path: '/src/app/config.ts', count: 12, title: 'Fix login flow',
        body: 'Refactor the session code. TODO: tests', files: ['src/a.ts', 'src/b.ts', 'README.md', '.env.example'],
        labels: ['bug', 'docs'], url: 'https://api.github.com/repos/acme/app/pulls',
      },
    },
    agent: { id: 'dev-assistant', roles: ['dev', 'admin'] },
  };
}

type Evaluator = (vars: Record<string, unknown>) => unknown;
type Engine = { name: string; prepare(expr: string): Evaluator };

const memo = new Map<string, { test(s: string): boolean }>();
const memoRe2 = { compile: (p: string) => { let m = memo.get(p); if (!m) { const r = RE2JS.compile(p); m = { test: (s: string) => r.test(s) }; memo.set(p, m); } return m; } };
const rawEnv = celEnv({ funcs: strings });
const memoEnv = celEnv({ funcs: strings, re2: memoRe2 });
const ours = createCelEngine();
const unwrap = (r: unknown) => { if (isCelError(r)) throw r; return r; };

const ENGINES: Engine[] = [
  { name: '@bufbuild/cel raw', prepare: (e) => { const p = plan(rawEnv, bufParse(e)); return (v) => unwrap(p(v as never)); } },
  { name: '@bufbuild/cel + memo re2', prepare: (e) => { const p = plan(memoEnv, bufParse(e)); return (v) => unwrap(p(v as never)); } },
  { name: 'gatehouse wrapper', prepare: (e) => { const p = ours.compile(e); return (v) => p.evaluate(v); } },
  { name: '@marcbachmann/cel-js', prepare: (e) => { const f = marcParse(e); return (v) => f(v); } },
  { name: 'cel-js', prepare: (e) => { const r = celJsParse(e); if (!r.isSuccess) throw new Error(r.errors.join('; ')); return (v) => celJsEvaluate(r.cst, v); } },
];

const BATCHES = Number(process.env.BATCHES ?? 800);
const PER_BATCH = 10;

function measure(fn: Evaluator): { p50: number; p99: number } {
  const inputs = Array.from({ length: PER_BATCH }, freshVars);
  for (let i = 0; i < 200; i++) fn(freshVars()); // warm-up
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < PER_BATCH; i++) inputs[i] = freshVars();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < PER_BATCH; i++) fn(inputs[i]!);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / PER_BATCH);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

const fmt = (n: number) => n.toFixed(2).padStart(7);
console.log(`CEL engines, µs per evaluation (p50 / p99 over ${BATCHES} batches of ${PER_BATCH}; fresh input object per call), node ${process.version}`);
console.log(['expression'.padEnd(46), ...ENGINES.map((e) => e.name.padStart(26))].join(' '));
const totals = ENGINES.map(() => ({ p50: 0, p99: 0, ok: 0 }));
const reference = ours;
for (const expr of EXPRESSIONS) {
  const expected = reference.compile(expr).evaluate(freshVars());
  const cells: string[] = [];
  ENGINES.forEach((engine, i) => {
    try {
      const fn = engine.prepare(expr);
      const got = fn(freshVars());
      if (got !== expected) { cells.push(`wrong: ${String(got)}`.padStart(26)); return; }
      const m = measure(fn);
      totals[i]!.p50 += m.p50; totals[i]!.p99 += m.p99; totals[i]!.ok++;
      cells.push(`${fmt(m.p50)} / ${fmt(m.p99)}`.padStart(26));
    } catch (e) {
      cells.push(`error: ${(e as Error).message.slice(0, 18)}`.padStart(26));
    }
  });
  console.log([expr.slice(0, 46).padEnd(46), ...cells].join(' '));
}
console.log(['mean over expressions that ran'.padEnd(46), ...totals.map((t) => (t.ok ? `${fmt(t.p50 / t.ok)} / ${fmt(t.p99 / t.ok)} (${t.ok})` : 'n/a').padStart(26))].join(' '));

// ReDoS probe: `^(a+)+$` against 30 a's and a '!'. Each engine runs in a child process killed after TIMEOUT_MS.
const TIMEOUT_MS = Number(process.env.REDOS_TIMEOUT_MS ?? 5000);
const PROBES: Record<string, string> = {
  '@bufbuild/cel raw': `import { run } from '@bufbuild/cel'; console.log(String(run("s.matches('^(a+)+$')", { s }) ));`,
  'gatehouse wrapper': `const { createCelEngine } = await import(${JSON.stringify(new URL('../src/policy/cel/engine.ts', import.meta.url).href)}); console.log(createCelEngine({ variables: '*' }).compile("s.matches('^(a+)+$')").evaluate({ s }));`,
  '@marcbachmann/cel-js': `import { evaluate } from '@marcbachmann/cel-js'; console.log(evaluate("s.matches('^(a+)+$')", { s }));`,
  'cel-js': `import { evaluate } from 'cel-js'; console.log(evaluate("s.matches('^(a+)+$')", { s }));`,
};
console.log(`\nReDoS probe: s.matches('^(a+)+$') with s = 'a' x 30 + '!' (child process, killed after ${TIMEOUT_MS / 1000} s)`);
for (const [name, body] of Object.entries(PROBES)) {
  const code = `const s = 'a'.repeat(30) + '!'; const t0 = performance.now(); ${body.replace('console.log(', 'const __r = (')}; console.log(JSON.stringify({ result: String(__r), ms: performance.now() - t0 }));`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: new URL('..', import.meta.url).pathname, timeout: TIMEOUT_MS, encoding: 'utf8' });
  const wall = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.error || r.signal) console.log(`${name.padEnd(26)} > ${TIMEOUT_MS / 1000} s, killed`);
  else if (r.status !== 0) console.log(`${name.padEnd(26)} error: ${(r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr).trim().slice(0, 80)}`);
  else { const o = JSON.parse(r.stdout.trim().split('\n').pop()!); console.log(`${name.padEnd(26)} ${o.result} in ${o.ms.toFixed(1)} ms (process ${wall} s)`); }
}
