import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCelEngine, type CelVariables } from '../../src/policy/cel/engine.ts';
import { GatehouseError } from '../../src/errors.ts';

const engine = createCelEngine();
const vars: CelVariables = {
  request: { tool: 'create_pull_request', server: 'github', arguments: { base: 'main', count: 5, ratio: 0.5, files: ['a.txt', 'b.env'], big: 2 ** 60 } },
  agent: { id: 'dev-assistant', roles: ['dev'] },
  session: { id: 's1' },
  tenant: 'acme',
  now: new Date('2026-04-01T12:00:00Z'),
};
const run = (src: string, v: CelVariables = vars): unknown => engine.compile(src, 'test.yaml:1:1').evaluate(v);
function throwsCode(fn: () => unknown, code: string, pattern?: RegExp): GatehouseError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GatehouseError, `expected GatehouseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('the published ToolPolicy condition: PRs against main/production are refused', () => {
  const p = engine.compile("!request.arguments.base.matches('main|production')");
  assert.equal(p.evaluate(vars), false);
  assert.equal(p.evaluate({ request: { arguments: { base: 'feature/x' } } }), true);
  assert.deepEqual([...p.references], ['request']);
});

test('JSON integers are CEL int, so == and arithmetic read naturally; fractions are double', () => {
  assert.equal(run('request.arguments.count == 5'), true);
  assert.equal(run('request.arguments.count > 5'), false);
  assert.equal(run('request.arguments.count >= 5'), true);
  assert.equal(run('request.arguments.count + 1 == 6'), true);
  assert.equal(run('request.arguments.count / 2'), 2); // int division
  assert.equal(run('request.arguments.ratio > 0.4 && request.arguments.ratio < 1'), true);
  assert.equal(run('request.arguments.ratio * 2.0'), 1);
  assert.equal(run("type(request.arguments.count) == int && type(request.arguments.ratio) == double"), true);
  // Integers beyond 2^53 are not exact in JSON; they stay double.
  assert.equal(run('type(request.arguments.big) == double'), true);
});

test('results are plain JS values', () => {
  assert.deepEqual(run('request.arguments.files'), ['a.txt', 'b.env']);
  assert.deepEqual(run("{'a': 1, 'b': [true, null, 1.5, 'x']}"), { a: 1, b: [true, null, 1.5, 'x'] });
  assert.equal(run('9223372036854775807'), 9223372036854775807n);
  assert.equal(run('3u'), 3);
  assert.ok(run('now') instanceof Date);
  assert.equal((run("now + duration('1h')") as Date).toISOString(), '2026-04-01T13:00:00.000Z');
  assert.equal(run("duration('90m')"), '5400s');
  assert.deepEqual(run("b'ab'"), new Uint8Array([97, 98]));
  assert.equal(run('type(1)'), 'int');
});

test('the context variables: request, agent, session, tenant, now', () => {
  assert.equal(run("request.tool == 'create_pull_request' && request.server == 'github'"), true);
  assert.equal(run("'dev' in agent.roles && agent.id.startsWith('dev-')"), true);
  assert.equal(run("session.id == 's1' && tenant == 'acme'"), true);
  assert.equal(run("now > timestamp('2026-01-01T00:00:00Z') && now.getHours('UTC') == 12"), true);
  assert.equal(run("request.arguments.files.exists(f, f.endsWith('.env'))"), true);
  assert.equal(run("request.arguments.files.all(f, f.size() < 10)"), true);
  assert.equal(run("has(request.arguments.base) && !has(request.arguments.head)"), true);
});

test('strings extension and built-ins: glob, global matches, split, lowerAscii, format', () => {
  assert.equal(run("glob(request.tool, 'create_*')"), true);
  assert.equal(run("glob(request.tool, 'delete_{file,repo}')"), false);
  assert.equal(run("glob('a/b/c.env', '*.[e]nv')"), true);
  assert.equal(run("matches(request.arguments.base, '^ma')"), true);
  assert.deepEqual(run("'a,b,c'.split(',')"), ['a', 'b', 'c']);
  assert.equal(run("'MiXeD'.lowerAscii()"), 'mixed');
  assert.equal(run("'%s has %d files'.format([request.tool, size(request.arguments.files)])"), 'create_pull_request has 2 files');
  assert.equal(run("'  x '.trim()"), 'x');
  assert.equal(run("'hello'.replace('l', 'L')"), 'heLLo');
  assert.equal(run("strings.quote('a\"b')"), '"a\\"b"');
});

test('custom functions take and return plain JS values', () => {
  const seen: unknown[] = [];
  const custom = createCelEngine({
    functions: [
      {
        name: 'pii',
        overloads: [
          {
            params: ['any'],
            impl: (x: unknown) => {
              seen.push(x);
              const text = JSON.stringify(x);
              const emails = text.match(/[\w.]+@[\w.]+/g) ?? [];
              return { count: emails.length, types: emails.length ? ['email'] : [], maxConfidence: emails.length ? 0.9 : 0, findings: emails.map((e) => ({ type: 'email', value: e })) };
            },
          },
        ],
      },
      { name: 'twice', overloads: [{ params: ['int'], impl: (n: number) => n * 2 }, { params: ['string'], impl: (s: string) => s + s }] },
      { name: 'boom', overloads: [{ params: [], impl: () => { throw new Error('detector failed'); } }] },
    ],
  });
  const v = { request: { arguments: { to: 'a@b.com', n: 3 } } };
  assert.equal(custom.compile("pii(request.arguments).count == 1 && 'email' in pii(request.arguments).types").evaluate(v), true);
  assert.equal(custom.compile('pii(request.arguments).maxConfidence > 0.8').evaluate(v), true);
  assert.equal(custom.compile("pii(request.arguments).findings[0].value == 'a@b.com'").evaluate(v), true);
  assert.deepEqual(seen[0], { to: 'a@b.com', n: 3 });
  assert.equal(custom.compile('twice(request.arguments.n) == 6').evaluate(v), true);
  assert.equal(custom.compile("twice('ab')").evaluate({}), 'abab');
  throwsCode(() => custom.compile('twice(1.5)').evaluate({}), 'CEL_EVAL', /no matching overload/);
  throwsCode(() => custom.compile('boom()').evaluate({}), 'CEL_EVAL', /detector failed/);
  assert.throws(() => createCelEngine({ functions: [{ name: 'bad name', overloads: [{ params: [], impl: () => 1 }] }] }), /not a valid identifier/);
});

test('compile errors name the expression, the position and where', () => {
  const e = throwsCode(() => engine.compile("request.tool == 'x' &&", 'policies/a.yaml:12:9'), 'CEL_COMPILE', /request\.tool == 'x' &&/);
  assert.match(e.message, /line 1, column \d+/);
  assert.equal(e.details[0]?.where, 'policies/a.yaml:12:9');
  // The position is the parser's (@bufbuild/cel reports where the failing construct starts).
  throwsCode(() => engine.compile("request.tool == 'x' ||\n  agent.id $ 1", 'p'), 'CEL_COMPILE', /line 2, column 12: found \$/);
  throwsCode(() => engine.compile('[1, 2'), 'CEL_COMPILE', /line 1, column 6/);
  throwsCode(() => engine.compile(''), 'CEL_COMPILE', /empty/);
  const typo = throwsCode(() => engine.compile('requst.tool == "x"'), 'CEL_COMPILE', /unknown variable "requst"/);
  assert.match(typo.hint ?? '', /request/);
  // Comprehension variables and type names are not variables.
  assert.deepEqual([...engine.compile('[1].exists(x, type(x) == int) && agent.id != ""').references], ['agent']);
  assert.equal(createCelEngine({ variables: '*' }).compile('anything + 1').evaluate({ anything: 1 }), 2);
});

test('runtime errors are CEL_EVAL: missing key, type mismatch, division by zero, overflow', () => {
  throwsCode(() => run('request.arguments.missing == 1'), 'CEL_EVAL', /no such key|not found/);
  throwsCode(() => run("request.arguments.count + 'x'"), 'CEL_EVAL', /no matching overload/);
  throwsCode(() => run('1 / (request.arguments.count - 5)'), 'CEL_EVAL', /divide by zero/);
  throwsCode(() => run('9223372036854775807 + 1'), 'CEL_EVAL', /overflow/);
  throwsCode(() => run("request.arguments.base.matches('(')"), 'CEL_EVAL');
  throwsCode(() => run('request.tool == "x"', {}), 'CEL_EVAL');
  throwsCode(() => run('request.tool == "x"', { request: { tool: () => 1 } }), 'CEL_EVAL', /function/);
});

test('an object with prototype-looking keys is data, not a prototype', () => {
  const args = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1}');
  const v = { request: { arguments: args } };
  assert.equal(run("request.arguments.constructor == 'c' && request.arguments.toString == 1", v), true);
  assert.equal(run('request.arguments.__proto__.polluted', v), true);
  assert.equal(run("has(request.arguments.hasOwnProperty)", v), false);
  assert.deepEqual(Object.keys(run('request.arguments', v) as object).sort(), ['__proto__', 'constructor', 'toString']);
});

test('compile once, evaluate many: a program is reusable and stateless', () => {
  const p = engine.compile('request.arguments.count * 2');
  for (let i = 0; i < 100; i++) assert.equal(p.evaluate({ request: { arguments: { count: i } } }), i * 2);
});

test('size() counts Unicode code points without scanning per character', async () => {
  const { codePointCount } = await import('../../src/policy/cel/functions.ts');
  assert.equal(codePointCount(''), 0);
  assert.equal(codePointCount('héllo'), 5);
  assert.equal(codePointCount('a😀b😀'), 4);
  assert.equal(codePointCount('\uD800x'), 2); // a lone surrogate is one code point
  const engine = createCelEngine();
  assert.equal(engine.compile("'a😀'.size() == 2 && size('a😀') == 2").evaluate({}), true);
});
