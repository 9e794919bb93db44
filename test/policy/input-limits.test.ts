// checkInputLimits walks with two parallel stacks (no pair per value); it must return exactly
// what the pair-stack walk it replaced returned, including which limit it names first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInputLimits, INPUT_LIMITS } from '../../src/policy/input-limits.ts';
import { prng } from '../../bench/policy-calls.ts';

function pairStackWalk(value: unknown, limits = INPUT_LIMITS): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let bytes = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) return `arguments have more than ${limits.maxNodes} values`;
    if (typeof v === 'string') bytes += v.length;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) bytes += 8;
    else if (typeof v === 'object') {
      if (depth >= limits.maxDepth) return `arguments are nested deeper than ${limits.maxDepth} levels`;
      if (Array.isArray(v)) for (const item of v) stack.push([item, depth + 1]);
      else
        for (const k of Object.keys(v)) {
          bytes += k.length;
          stack.push([(v as Record<string, unknown>)[k], depth + 1]);
        }
    } else return `arguments contain a ${typeof v}, which is not JSON`;
    if (bytes > limits.maxBytes) return `arguments are larger than ${limits.maxBytes} bytes`;
  }
  return undefined;
}

test('checkInputLimits answers as the pair-stack walk on generated inputs and tight limits', () => {
  const r = prng(7);
  const gen = (depth: number): unknown => {
    const roll = r();
    if (roll < 0.2) return 'x'.repeat(Math.floor(r() * 40));
    if (roll < 0.3) return Math.floor(r() * 100);
    if (roll < 0.35) return r() < 0.5 ? null : undefined;
    if (roll < 0.38) return r() < 0.5 ? () => 1 : Symbol('s');
    if (depth > 6) return true;
    if (roll < 0.7) return Array.from({ length: Math.floor(r() * 5) }, () => gen(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, (_, i) => [`k${i}`.repeat(1 + Math.floor(r() * 3)), gen(depth + 1)]));
  };
  let limited = 0;
  for (let i = 0; i < 5000; i++) {
    const value = gen(0);
    const limits = i % 2 === 0 ? INPUT_LIMITS : { maxDepth: 1 + Math.floor(r() * 6), maxBytes: Math.floor(r() * 200), maxNodes: Math.floor(r() * 60) };
    const expected = pairStackWalk(value, limits);
    if (expected !== undefined) limited++;
    assert.equal(checkInputLimits(value, limits), expected);
  }
  assert.ok(limited > 1000, `${limited} inputs over a limit`);
});

test('objects other than plain ones (Map, Set, boxed strings, URL, Date, typed arrays, class instances) are refused, naming the kind', async () => {
  const { runInNewContext } = await import('node:vm');
  // Detectors, CEL and the argument digest read own enumerable keys only: these reached the tool unscanned.
  const refused: Array<[unknown, string]> = [
    [{ a: new Map([['k', 'v']]) }, 'Map'],
    [new Set(['v']), 'Set'],
    [{ a: [new String('v')] }, 'String'],
    [new URL('https://example.com/?t=v'), 'URL'],
    [new Date(0), 'Date'],
    [Buffer.from('v'), 'Buffer'],
    [new (class Payload { x = 1 })(), 'Payload'],
    [Object.create({ inherited: 'v' }), 'Object'],
    [runInNewContext('({ a: new Map() })'), 'Map'],
  ];
  for (const [value, kind] of refused) {
    assert.equal(checkInputLimits(value), `arguments contain a non-plain object (${kind}), which is not JSON data; pass plain objects and arrays`, kind);
  }
  const plain = Object.create(null) as Record<string, unknown>;
  plain.a = 1;
  for (const value of [{ a: { b: [1, 'x', null] } }, plain, JSON.parse('{"__proto__": {"x": 1}}'), runInNewContext('({ a: { b: [1, { c: 2 }] } })')]) {
    assert.equal(checkInputLimits(value), undefined);
  }
});
