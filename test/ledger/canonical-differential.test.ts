import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/ledger/canonical-json.ts';
import { normalizeEntry, type LedgerEntry } from '../../src/ledger/entry.ts';
import { canonicalJson as referenceCanonicalJson } from './reference/canonical-json-v1.ts';
import { sampleEntry } from './helpers.ts';
import { mulberry32 as rng } from '../helpers/random.ts';

const KEYS = ['a', 'b', 'B', 'é', '0', '7', '10', '01', '-1', '1.5', 'index', 'z', '', '\u2028', 'toJSON', '__proto__', '😀', 'ｚ'];
const ODD: unknown[] = [Number.NaN, Infinity, -Infinity, undefined, () => 1, Symbol('s'), 10n, new Date(0), new Map(), /re/];
const SCALARS: unknown[] = [0, -0, 1, -1.5, 1e21, 1e-7, 2 ** 53, 'x', '', 'a"b\\c\n\u0000\u2028', '😀', true, false, null];

function randomValue(r: () => number, depth: number, odd: boolean): unknown {
  const pick = r();
  if (odd && pick < 0.03) return ODD[Math.floor(r() * ODD.length)];
  if (depth > 3 || pick < 0.5) return SCALARS[Math.floor(r() * SCALARS.length)];
  if (pick < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1, odd));
  const o: Record<string, unknown> = r() < 0.05 ? Object.create(null) : {};
  for (let i = Math.floor(r() * 5); i > 0; i--) {
    const k = KEYS[Math.floor(r() * KEYS.length)]!;
    if (k === '__proto__') Object.defineProperty(o, k, { value: randomValue(r, depth + 1, odd), enumerable: true, writable: true, configurable: true });
    else o[k] = r() < 0.1 ? undefined : randomValue(r, depth + 1, odd);
  }
  return o;
}

function outcome(f: () => string): { ok: string } | { error: string } {
  try {
    return { ok: f() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

test('canonicalJson gives the reference writer’s output, or its exact error, on random values', () => {
  for (let seed = 1; seed <= 20_000; seed++) {
    const r = rng(seed);
    const value = randomValue(r, 0, seed % 3 === 0);
    assert.deepEqual(outcome(() => canonicalJson(value)), outcome(() => referenceCanonicalJson(value)), `seed ${seed}`);
  }
});

test('canonicalJson matches the reference on deep, cyclic and shared values', () => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 100; i++) deep = i % 2 ? { k: deep } : [deep];
  const shared = { s: [1, 2] };
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const deepCycle: Record<string, unknown> = {};
  let cur = deepCycle;
  for (let i = 0; i < 40; i++) cur = (cur.n = {}) as Record<string, unknown>;
  cur.loop = deepCycle;
  for (const value of [deep, { x: shared, y: shared, z: [shared, shared] }, cyclic, deepCycle, JSON.parse('{"__proto__":{"a":1},"b":2}'), { x: { '5': 1, a: 2 } }, [undefined], { a: [1, { b: Number.NaN }] }]) {
    assert.deepEqual(outcome(() => canonicalJson(value)), outcome(() => referenceCanonicalJson(value)));
  }
});

test('normalizeEntry returns the same stored entry as the spread copy it replaced', () => {
  const ID = '2b0a8a43-8f7c-4a55-9a53-1b2f7c0f9d11';
  const TIME = '2025-01-02T03:04:05.678Z';
  const inputs: LedgerEntry[] = [
    sampleEntry(0),
    sampleEntry(1, { actionId: ID.toUpperCase(), time: '2024-02-29T23:59:59+01:00' }),
    { tenant: 't', agent: 'a', enforcementPoint: 'sdk', kind: 'k' },
    { ...sampleEntry(2), session: undefined, data: { nested: { '3': [1, 'x'] } } },
    Object.defineProperty({ tenant: 't', agent: 'a', enforcementPoint: 'e', kind: 'k' }, '__proto__', { value: undefined, enumerable: true }) as LedgerEntry,
    Object.assign(Object.create(null), sampleEntry(3)) as LedgerEntry,
  ];
  for (const [i, input] of inputs.entries()) {
    const got = normalizeEntry(input, i, { actionId: ID, time: TIME });
    const want = { ...input, v: 1, index: i, actionId: (input.actionId ?? ID).toLowerCase(), time: input.time ?? TIME };
    const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    assert.deepEqual(defined(got), defined(want), `input ${i}`);
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.equal(canonicalJson(got), referenceCanonicalJson(want), `input ${i}`);
  }
});
