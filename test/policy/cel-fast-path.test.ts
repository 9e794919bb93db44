// The compiled fast path (src/policy/cel/fast) against the library path on the same inputs:
// every condition of the benchmark and example policies plus expressions aimed at the corners
// of CEL's semantics, over thousands of generated argument objects. Same value, same budget
// left, same CEL_LIMIT message; a CEL error on the fast path must be one on the library path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { mulberry32 } from '../helpers/random.ts';
import { createCelEngine, type CelEngine, type CelVariables, type CompiledProgram } from '../../src/policy/cel/engine.ts';
import { compilePoliciesOrThrow, type PolicyBundle } from '../../src/policy/index.ts';
import { loadGatehouseBundle } from '../../bench/policy-engines.ts';
import { prng } from '../../bench/policy-calls.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Field names and string constants an expression mentions, to aim the generated inputs at it. */
function vocabulary(source: string): { fields: string[]; strings: string[] } {
  const fields = new Set<string>(['a', 'b', 'c', 'l', 'm', 'x', 'path', 'id']);
  const strings = new Set<string>();
  const walk = (e: Expr | undefined): void => {
    if (!e) return;
    const k = e.exprKind;
    if (k.case === 'selectExpr') {
      fields.add(k.value.field);
      walk(k.value.operand);
    } else if (k.case === 'constExpr' && k.value.constantKind.case === 'stringValue') strings.add(k.value.constantKind.value);
    else if (k.case === 'callExpr') {
      walk(k.value.target);
      k.value.args.forEach(walk);
    } else if (k.case === 'listExpr') k.value.elements.forEach(walk);
    else if (k.case === 'comprehensionExpr') [k.value.iterRange, k.value.loopStep, k.value.loopCondition].forEach(walk);
  };
  walk(parse(source).expr);
  return { fields: [...fields], strings: [...strings] };
}

const NUMBERS = [0, 1, -1, 2, 3, 20, 21, 79, 80, 1000, 1001, 5000, 5001, 100000, 100001, 0.5, -2.5, 1e20, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 53) - 2, -0, 1e-300, Infinity];
const STRINGS = ['', 'a', 'A', 'main', 'x'.repeat(70), 'ü', 'K', '\u212A', '😀', 'a😀b', '\uD800', 'pass word', 'SECRET', '/workspace/a', '/workspace/../etc', '.github/x', 'k.pem', 'U12345678', 'a@acme.com', '(', '^a', '#exec'];

function randomString(r: Rand, v: { strings: string[] }): string {
  const s = r() < 0.6 && v.strings.length > 0 ? pick(r, v.strings) : pick(r, STRINGS);
  switch (Math.floor(r() * 6)) {
    case 0:
      return s.slice(0, Math.floor(r() * (s.length + 1)));
    case 1:
      return `${pick(r, STRINGS)}${s}`;
    case 2:
      return `${s}${pick(r, STRINGS)}`;
    case 3:
      return r() < 0.1 ? s.repeat(200) : s.toUpperCase();
    default:
      return s;
  }
}

function randomValue(r: Rand, v: { fields: string[]; strings: string[] }, depth: number): unknown {
  const roll = r();
  if (roll < 0.3) return randomString(r, v);
  if (roll < 0.5) return pick(r, NUMBERS);
  if (roll < 0.58) return r() < 0.5;
  if (roll < 0.64) return null;
  if (depth > 2) return randomString(r, v);
  if (roll < 0.84) return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, v, depth + 1));
  return randomMap(r, v, depth + 1);
}

function randomMap(r: Rand, v: { fields: string[]; strings: string[] }, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of v.fields) {
    const roll = r();
    if (roll < 0.35) continue;
    out[f] = roll < 0.4 ? undefined : randomValue(r, v, depth);
  }
  if (r() < 0.2) out[randomString(r, v)] = randomValue(r, v, depth);
  return out;
}

function randomVars(r: Rand, v: { fields: string[]; strings: string[] }): CelVariables {
  const args = r() < 0.05 ? randomValue(r, v, 2) : randomMap(r, v, 0);
  const request: Record<string, unknown> = { tool: randomString(r, v), server: randomString(r, v), arguments: args };
  if (r() < 0.05) delete request.arguments;
  const vars: CelVariables = { request, agent: { id: randomString(r, v) }, session: randomMap(r, v, 1), tenant: randomString(r, v) };
  if (r() < 0.05) delete vars.session;
  if (r() < 0.03) vars.request = randomValue(r, v, 2);
  return vars;
}

/** Inputs the fast path must hand to the library path untouched. */
function notPlainVars(r: Rand, v: { fields: string[]; strings: string[] }): CelVariables {
  const odd = pick(r, [new Date(0), new Map([['a', 1]]), 5n, NaN, new Uint8Array([1]), new (class Box { a = 1 })(), { $typeName: 'x' }]);
  const args = randomMap(r, v, 0);
  args[pick(r, v.fields)] = odd;
  return { request: { tool: 't', server: 's', arguments: args }, agent: { id: 'x' }, session: {}, tenant: 't' };
}

interface Tally {
  value: number;
  celError: number;
  limit: number;
  fallback: number;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

function compare(p: CompiledProgram, vars: CelVariables, plain: boolean, tally: Tally, label: string): void {
  const fast = p.hasFastPath ? p.trace(vars, 'fast') : undefined;
  const lib = p.trace(vars, 'library');
  const what = `${label}: ${p.source} with ${JSON.stringify(vars, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 300)}`;
  switch (fast?.outcome) {
    case undefined:
      break;
    case 'value':
      tally.value++;
      assert.equal(lib.outcome, 'value', `${what}: fast gave ${String(fast.value)}, library ${JSON.stringify(lib)}`);
      assert.deepStrictEqual(fast.value, lib.outcome === 'value' ? lib.value : undefined, what);
      assert.equal(fast.remaining, lib.outcome === 'value' ? lib.remaining : NaN, `${what}: budget left`);
      break;
    case 'error':
      tally.limit++;
      assert.deepEqual(lib.outcome === 'error' ? { code: lib.code, message: lib.message, remaining: lib.remaining } : lib, { code: fast.code, message: fast.message, remaining: fast.remaining }, what);
      break;
    case 'cel-error':
      tally.celError++;
      assert.ok(lib.outcome === 'error' && lib.code === 'CEL_EVAL', `${what}: fast gave a CEL error, library ${JSON.stringify(lib)}`);
      break;
    case 'fallback':
      tally.fallback++;
      // Only inputs that are not plain data, or a list or map result, may leave it to the library.
      assert.ok(!plain || (lib.outcome === 'value' && isObject(lib.value)) || (lib.outcome === 'error' && lib.code === 'CEL_LIMIT' && /input/.test(lib.message)), `${what}: unexpected fallback, library ${JSON.stringify(lib)}`);
      break;
  }
  // And evaluate() itself (fast path, then the library for errors) answers as the library does.
  let combined: unknown;
  try {
    combined = { value: p.evaluate(vars) };
  } catch (e) {
    combined = { code: (e as { code?: string }).code ?? 'THROW', message: (e as Error).message };
  }
  const expected = lib.outcome === 'value' ? { value: lib.value } : lib.outcome === 'error' ? { code: lib.code, message: lib.message } : undefined;
  assert.deepStrictEqual(combined, expected, `${what}: evaluate()`);
}

function exercise(programs: Array<{ program: CompiledProgram; label: string }>, casesEach: number, seed: number): Tally {
  const tally: Tally = { value: 0, celError: 0, limit: 0, fallback: 0 };
  programs.forEach(({ program, label }, i) => {
    const r = prng(seed + i);
    const v = vocabulary(program.source);
    for (let n = 0; n < casesEach; n++) compare(program, randomVars(r, v), true, tally, label);
    for (let n = 0; n < 20; n++) compare(program, notPlainVars(r, v), false, tally, label);
  });
  return tally;
}

function conditionsOf(bundle: PolicyBundle): Array<{ program: CompiledProgram; label: string }> {
  const out: Array<{ program: CompiledProgram; label: string }> = [];
  for (const p of bundle.toolPolicies) {
    for (const rule of p.rules) {
      for (const c of rule.conditions) out.push({ program: c.program as CompiledProgram, label: `${p.name}/${rule.ref.rule}` });
      if (rule.rateLimit?.key) out.push({ program: rule.rateLimit.key as CompiledProgram, label: `${p.name}/${rule.ref.rule} rate-limit key` });
    }
  }
  return out;
}

const EXAMPLES = fileURLToPath(new URL('../../examples/policies/', import.meta.url));

test('fast path = library path on every condition of the benchmark policy (1,000 generated inputs each)', (t) => {
  const conditions = conditionsOf(loadGatehouseBundle());
  const compiled = conditions.filter((c) => c.program.hasFastPath).length;
  assert.equal(compiled, conditions.length, 'every benchmark condition is in the fast subset');
  const tally = exercise(conditions, 1000, 1);
  t.diagnostic(`${conditions.length} conditions: ${JSON.stringify(tally)}`);
  assert.ok(tally.value > 10_000 && tally.celError > 1000, 'the inputs reach both values and errors');
});

test('fast path = library path on the example policies', (t) => {
  const sources = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
    .map((f) => ({ path: `examples/policies/${f}`, text: readFileSync(`${EXAMPLES}${f}`, 'utf8') }));
  const conditions = conditionsOf(compilePoliciesOrThrow(sources));
  assert.ok(conditions.length >= 2);
  const tally = exercise(conditions, 1000, 100);
  t.diagnostic(`${conditions.length} conditions (${conditions.filter((c) => c.program.hasFastPath).length} compiled): ${JSON.stringify(tally)}`);
});

/** Expressions at the corners of the subset: error absorption, mixed kinds, has(), null entries, comprehensions. */
export const CORNER_EXPRESSIONS = [
  'request.arguments.a == request.arguments.b',
  'request.arguments.a != request.arguments.b',
  'request.arguments.a < request.arguments.b',
  'request.arguments.a <= request.arguments.b',
  'request.arguments.a > request.arguments.b',
  'request.arguments.a >= request.arguments.b',
  'request.arguments.a > 5000 && request.arguments.a <= 100000',
  'request.arguments.a < 2.5 || request.arguments.a == 1.0',
  'request.arguments.a == -1 || request.arguments.a >= 9007199254740991',
  'request.arguments.a in request.arguments.b',
  'request.arguments.a in request.arguments',
  "request.arguments.a in ['x', 1, 2.5, null, true, [1, 'x'], '😀']",
  'request.arguments.a == null || null != request.arguments.b',
  'request.arguments.a == true || request.arguments.b < true',
  '[request.arguments.a, request.arguments.b] == [1, 2]',
  'request.arguments.l == request.arguments.m',
  'has(request.arguments.a)',
  'has(request.arguments.a.b)',
  'has(session.a) || has(request.a)',
  'request.arguments.a ? request.arguments.b : request.arguments.c',
  'size(request.arguments.a)',
  'request.arguments.a.size() > 2',
  'size(request.arguments.l) <= 20 && !(request.arguments.a in ["main", "master"])',
  'request.arguments.a.startsWith(request.arguments.b)',
  "request.arguments.a.endsWith('.pem') || request.arguments.a.contains('..')",
  "request.arguments.a.matches('^[a-z]+$')",
  'matches(request.arguments.a, request.arguments.b)',
  "request.arguments.a.matches('(?i)(secret|pass ?word)')",
  '!request.arguments.a',
  '!(request.arguments.a == 1) && !request.arguments.b',
  'request.arguments.a || request.arguments.b',
  'request.arguments.a && request.arguments.b',
  'request.arguments.a && false',
  'request.arguments.a || true',
  'false && request.arguments.a',
  'request.arguments.l.exists(x, x == request.arguments.a)',
  'request.arguments.l.all(x, x != null)',
  'request.arguments.l.exists_one(x, x > 2)',
  "request.arguments.m.exists(k, k.startsWith('a'))",
  "request.arguments.l.exists(x, x.path.endsWith('.pem') || x.path.startsWith('.github/'))",
  'request.arguments.l.all(x, x.exists(y, y == 1))',
  'request.arguments.l.exists(x, x in request.arguments.l)',
  'request.arguments.l.all(x, request.arguments.m.exists_one(y, y == x))',
  '[1, 2, 3].exists(x, x == request.arguments.a)',
  'request.arguments.a',
  'request.arguments',
  'request.arguments.a.b.c',
  "agent.id == 'x' && request.tool.matches('^(delete|drop)_')",
  "tenant == 'acme' || tenant.startsWith('a')",
  'session.risk_score >= 80',
  'request.arguments.x.x.x == request.arguments.a',
];

test('fast path = library path on corner-case expressions, with the default and a tiny budget', (t) => {
  const engines: Array<[string, CelEngine]> = [
    ['default limits', createCelEngine()],
    ['maxCost 40', createCelEngine({ limits: { maxCost: 40 } })],
  ];
  for (const [name, engine] of engines) {
    const programs = CORNER_EXPRESSIONS.map((src) => ({ program: engine.compile(src) as CompiledProgram, label: name }));
    const missing = programs.filter((p) => !p.program.hasFastPath).map((p) => p.program.source);
    assert.deepEqual(missing, [], 'every corner expression is in the fast subset');
    const tally = exercise(programs, 400, 1000);
    t.diagnostic(`${name}, ${programs.length} expressions: ${JSON.stringify(tally)}`);
    if (name === 'maxCost 40') assert.ok(tally.limit > 100, 'the tiny budget runs out on the fast path too');
  }
});

test('outside the subset, the library path alone evaluates', () => {
  const engine = createCelEngine();
  for (const src of ['request.arguments.a + 1 > 2', "type(request.arguments.a) == string", 'request.arguments.l[0] == 1', '{"a": 1}.a == 1', 'request.arguments.l.map(x, x).size() > 0', '1u == 1u', "b'x' == b'x'", 'request.arguments.a == 9007199254740993', 'request.arguments.a == -0.0', 'int(request.arguments.a) == 1', '(request.arguments.a ? request.arguments : session).x == 1', "glob(request.arguments.a, '*')"]) {
    assert.equal((engine.compile(src) as CompiledProgram).hasFastPath, false, src);
  }
});

test('the fast path bounds hostile input by the same budget (no double work)', () => {
  const engine = createCelEngine();
  const list = Array.from({ length: 100_000 }, (_, i) => i);
  const p = engine.compile('request.arguments.l.exists(x, x == -1)') as CompiledProgram;
  const vars = { request: { arguments: { l: list } } };
  const fast = p.trace(vars, 'fast');
  assert.equal(fast.outcome, 'error');
  assert.deepEqual(fast, p.trace(vars, 'library'));
  assert.throws(() => p.evaluate(vars), /evaluation cost exceeded the limit of 200000 units/);
  const big = engine.compile("request.arguments.s.matches('^(a+)+$')") as CompiledProgram;
  const s = { request: { arguments: { s: 'a'.repeat(1_000_000) } } };
  assert.deepEqual(big.trace(s, 'fast'), big.trace(s, 'library'));
  assert.equal(big.trace(s, 'fast').outcome, 'error');
});

test('a custom function named like a built-in keeps those calls on the library path', () => {
  const engine = createCelEngine({ functions: [{ name: 'size', overloads: [{ params: ['int'], impl: (n: number) => n * 2 }] }] });
  const p = engine.compile('size(request.arguments.a) == 6') as CompiledProgram;
  assert.equal(p.hasFastPath, false);
  assert.equal(p.evaluate({ request: { arguments: { a: 3 } } }), true);
  assert.equal((engine.compile("request.arguments.a.startsWith('x')") as CompiledProgram).hasFastPath, true);
});

test('the input counter keeps each object its own count and plainness, past its ring of remembered objects', () => {
  // A byte limit that some inputs exceed, and inputs that are not plain (a Date): a count served
  // for the wrong object would let an over-limit input through, or refuse a small one.
  const engine = createCelEngine({ limits: { maxInputBytes: 64 } });
  const p = engine.compile("size(request.arguments.s) > 3 && session.tag == 'x'") as CompiledProgram;
  assert.equal(p.hasFastPath, true);
  const r = mulberry32(99);
  const inputs = Array.from({ length: 30 }, (_, i) => {
    const kind = i % 3;
    const s = kind === 1 ? 'y'.repeat(80) : 'y'.repeat(1 + Math.floor(r() * 10));
    return { request: { arguments: kind === 2 ? { s, when: new Date(0) } : { s } }, session: { tag: r() < 0.5 ? 'x' : 'z' } };
  });
  let overLimit = 0;
  for (let round = 0; round < 6; round++) {
    // distinct objects beyond the ring's size, the same objects again, and each twice in a row
    for (let i = 0; i < inputs.length; i++) {
      const k = round % 2 === 0 ? i : (i * 7) % inputs.length;
      for (let twice = 0; twice < 2; twice++) {
        const vars = inputs[k]!;
        const expected = p.trace(vars, 'library');
        const fast = p.trace(vars, 'fast');
        if (fast.outcome !== 'fallback') assert.deepEqual(fast, expected, `input ${k}`);
        else assert.ok(k % 3 !== 0, `input ${k} is plain and within the limits, yet the fast path fell back`);
        if (expected.outcome === 'error') overLimit++;
        let got: unknown;
        try {
          got = p.evaluate(vars);
        } catch (e) {
          got = (e as Error).message;
        }
        assert.deepEqual(got, expected.outcome === 'value' ? expected.value : expected.outcome === 'error' ? expected.message : got);
      }
    }
  }
  assert.ok(overLimit > 50, `only ${overLimit} over-limit evaluations`);
});
