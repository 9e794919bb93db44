// Hostile inputs and expressions must end quickly: each case either returns or throws CEL_LIMIT.
// The bound asserted is on work (cost units, calls counted), never on wall-clock time; times are
// printed for the record only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCelEngine, DEFAULT_CEL_LIMITS, type CelEngine, type CelVariables } from '../../src/policy/cel/engine.ts';
import { GatehouseError } from '../../src/errors.ts';

let ticks = 0;
const engine = createCelEngine({ functions: [{ name: 'tick', overloads: [{ params: ['any'], impl: () => (++ticks, true) }] }] });
const BIG = 'a'.repeat(1_000_000);
const LIST = Array.from({ length: 100_000 }, (_, i) => i);

function outcome(src: string, args: unknown, e: CelEngine = engine, log?: (m: string) => void): { code: string; value?: unknown } {
  const p = e.compile(src);
  const vars: CelVariables = { request: { tool: 't', server: 's', arguments: args } };
  const t0 = performance.now();
  try {
    const value = p.evaluate(vars);
    log?.(`${(performance.now() - t0).toFixed(1)} ms  returned  ${src.slice(0, 90)}`);
    return { code: 'OK', value };
  } catch (err) {
    assert.ok(err instanceof GatehouseError, String(err));
    log?.(`${(performance.now() - t0).toFixed(1)} ms  ${err.code}  ${src.slice(0, 90)}`);
    return { code: err.code };
  }
}

test('static limits: length, nesting depth, comprehension nesting are compile errors', () => {
  assert.throws(() => engine.compile('1 + '.repeat(2000) + '1'), (e: GatehouseError) => e.code === 'CEL_COMPILE' && /limit is 4096/.test(e.message));
  const deep = '('.repeat(1000) + '1' + ')'.repeat(1000);
  assert.throws(() => engine.compile(deep), (e: GatehouseError) => e.code === 'CEL_COMPILE' && /nest/.test(e.message));
  assert.throws(() => engine.compile('[1].all(a, [1].all(b, [1].all(c, [1].all(d, true))))'), (e: GatehouseError) => e.code === 'CEL_COMPILE' && /4 comprehensions/.test(e.message));
  assert.equal(engine.compile('[1].all(a, [1].all(b, [1].all(c, true)))').evaluate({}), true);
});

test('untrusted input: a 1 MB string through matches, contains, size, glob and a ReDoS-shaped regex', (t) => {
  const log = (m: string) => t.diagnostic(m);
  // RE2 is linear, but ~0.4 µs/character: 1 MB is over the default budget, 100 kB is within it.
  assert.equal(outcome("request.arguments.s.matches('^(a+)+$')", { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.deepEqual(outcome("request.arguments.s.matches('^(a+)+$')", { s: BIG.slice(0, 100_000) + '!' }, engine, log), { code: 'OK', value: false });
  // The classic catastrophic-backtracking pair; RE2 answers in linear time.
  assert.deepEqual(outcome("request.arguments.s.matches('^(a+)+$')", { s: 'a'.repeat(31) + '!' }, engine, log), { code: 'OK', value: false });
  assert.deepEqual(outcome("request.arguments.s.matches('^(a|a?)+$')", { s: 'a'.repeat(50_000) + '!' }, engine, log), { code: 'OK', value: false });
  assert.deepEqual(outcome("request.arguments.s.contains('b')", { s: BIG }, engine, log), { code: 'OK', value: false });
  assert.deepEqual(outcome('size(request.arguments.s) == 1000000', { s: BIG }, engine, log), { code: 'OK', value: true });
  assert.deepEqual(outcome("glob(request.arguments.s, '*a*a*a*a*a*a*b')", { s: BIG.slice(0, 100_000) }, engine, log), { code: 'OK', value: false });
  // Repeating linear work over a big string in a loop is charged per character.
  assert.equal(outcome("[1,2,3,4,5,6,7,8,9,10].all(i, request.arguments.s.matches('a+$'))", { s: BIG }, engine, log).code, 'CEL_LIMIT');
});

test('untrusted input: string-producing functions cannot blow up', (t) => {
  const log = (m: string) => t.diagnostic(m);
  assert.equal(outcome("request.arguments.s.replace('a', request.arguments.s).size() > 0", { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome("request.arguments.s.split('').size() > 0", { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome("[1,2,3].map(i, request.arguments.s).join('').size() > 0", { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome("'%s%s%s'.format([request.arguments.s, request.arguments.s, request.arguments.s]).size() > 0", { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('(request.arguments.s + request.arguments.s + request.arguments.s).size() > 0', { s: BIG }, engine, log).code, 'CEL_LIMIT');
});

test('untrusted input: a 100k-element list is bounded by the cost limit, a 10k one is fine', (t) => {
  const log = (m: string) => t.diagnostic(m);
  assert.deepEqual(outcome('request.arguments.l.exists(x, x == -1)', { l: LIST.slice(0, 10_000) }, engine, log), { code: 'OK', value: false });
  assert.equal(outcome('request.arguments.l.exists(x, x == -1)', { l: LIST }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('request.arguments.l.all(x, x in request.arguments.l)', { l: LIST.slice(0, 5000) }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('request.arguments.l.filter(x, request.arguments.l.filter(y, false) == []).size() > 0', { l: LIST.slice(0, 5000) }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('request.arguments.l.map(x, x * 2).size() > 0', { l: LIST }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('request.arguments.l.exists(x, [request.arguments.l] == [request.arguments.l] && false)', { l: LIST.slice(0, 5000) }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome('size(request.arguments.l) > 0', { l: Array.from({ length: 200_000 }, () => 0) }, engine, log).code, 'CEL_LIMIT');
});

test('untrusted input: a 10k-deep object is refused before evaluation; 90 levels are fine', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 10_000; i++) deep = { d: deep };
  assert.equal(outcome("request.arguments.d.d == 'x'", { d: deep }).code, 'CEL_LIMIT');
  let ok: unknown = 'x';
  for (let i = 0; i < 90; i++) ok = { d: ok };
  assert.deepEqual(outcome('has(request.arguments.d.d)', { d: ok }), { code: 'OK', value: true });
});

test('work is bounded: calls made before CEL_LIMIT stay under the cost limit', () => {
  ticks = 0;
  const l = LIST.slice(0, 1000);
  // Unbounded, this is 10^6 calls of tick (10^9 with a third level).
  assert.equal(outcome('request.arguments.l.exists(x, request.arguments.l.exists(y, !tick(y)))', { l }).code, 'CEL_LIMIT');
  assert.ok(ticks > 0 && ticks < DEFAULT_CEL_LIMITS.maxCost / 2, `tick ran ${ticks} times`);
  ticks = 0;
  const small = createCelEngine({ limits: { maxCost: 100 }, functions: [{ name: 'tick', overloads: [{ params: ['any'], impl: () => (++ticks, true) }] }] });
  assert.equal(outcome('request.arguments.l.all(x, tick(x))', { l }, small).code, 'CEL_LIMIT');
  assert.ok(ticks <= 100, `tick ran ${ticks} times`);
});

test('a policy author cannot blow up either: nested maps, growth in comprehensions', (t) => {
  const log = (m: string) => t.diagnostic(m);
  const fifty = `[${Array.from({ length: 50 }, (_, i) => i).join(',')}]`;
  assert.equal(outcome(`${fifty}.map(x, ${fifty}.map(y, ${fifty}.map(z, 'aaaa'))).size() > 0`, {}, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome(`${fifty}.map(x, request.arguments.s + request.arguments.s).size() > 0`, { s: BIG }, engine, log).code, 'CEL_LIMIT');
  assert.equal(outcome(`${fifty}.all(x, ${fifty}.all(y, ${fifty}.all(z, z >= 0)))`, {}, engine, log).code, 'CEL_LIMIT');
});

test('a limit cannot be absorbed by || or && and does not leak into the next evaluation', () => {
  const p = engine.compile('request.arguments.l.exists(x, x == -1) || true');
  assert.throws(() => p.evaluate({ request: { arguments: { l: LIST } } }), (e: GatehouseError) => e.code === 'CEL_LIMIT');
  assert.equal(p.evaluate({ request: { arguments: { l: [1, 2, 3] } } }), true);
  const q = engine.compile('false && request.arguments.l.exists(x, x == -1)');
  assert.equal(q.evaluate({ request: { arguments: { l: LIST } } }), false);
});

test('the meter is engaged (guards against a library upgrade bypassing the wrappers)', () => {
  const tiny = createCelEngine({ limits: { maxCost: 10 } });
  assert.throws(() => tiny.compile('[1,2,3,4,5,6,7,8,9,10,11].exists(x, false)').evaluate({}), (e: GatehouseError) => e.code === 'CEL_LIMIT');
  assert.throws(() => tiny.compile('1+1+1+1+1+1+1+1+1+1+1+1 > 0').evaluate({}), (e: GatehouseError) => e.code === 'CEL_LIMIT');
  assert.equal(tiny.compile('1 + 1 == 2').evaluate({}), true);
  assert.throws(() => createCelEngine({ limits: { maxCost: -1 } }), /positive integer/);
});
