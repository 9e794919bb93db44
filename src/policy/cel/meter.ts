import { isCelList, isCelMap, type CelEnv } from '@bufbuild/cel';
import { activeMeter, type Meter } from './limits.ts';
import { RANGE_FN, STEP_FN } from './ast.ts';

/**
 * The evaluation-cost model. @bufbuild/cel has no cost limit of its own, so every function call
 * goes through a metered wrapper (one per function name, so an overloaded operator is charged
 * once, not once per overload tried) and every comprehension is instrumented (ast.ts).
 *
 * A call costs 1 unit, plus the size of its arguments:
 * - strings: 1 unit per 16 characters (per 8 for `size`, which the library computes by
 *   spreading the string into code points); `matches` and `glob` cost 1 unit per character of
 *   text per 32 characters of pattern (RE2 is linear in both, but not free);
 * - lists and maps: 1 unit per element, counted deeply for `==`, `!=` and `in` (which compare
 *   deeply), not at all for `size` (constant time) or map membership;
 * - a comprehension costs its range size (the library copies it) plus 1 per iteration.
 * Results are bounded before they are built where the size can be predicted (`replace`,
 * `join`, `format`) and checked after otherwise (string length, list length).
 */

type Group = { call(id: number, target: unknown, args: unknown[]): unknown };
type Resolver = { find(name: string): Group | undefined };

const DEEP = new Set(['_==_', '_!=_']);

function deepSize(v: unknown, meter: Meter): number {
  // Walks iteratively and charges as it goes, so a hostile structure cannot make the walk itself long.
  let pending = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    pending++;
    if (typeof x === 'string') pending += x.length >> 4;
    else if (isCelList(x)) for (const item of x) stack.push(item);
    else if (isCelMap(x)) for (const [k, item] of x.entries()) stack.push(k, item);
    if (pending >= 1024) {
      meter.charge(pending, 'comparison');
      pending = 0;
    }
  }
  return pending;
}

function shallow(v: unknown, charsPerUnit: number): number {
  if (typeof v === 'string') return (v.length / charsPerUnit) | 0;
  if (v instanceof Uint8Array) return v.length >> 4;
  if (isCelList(v) || isCelMap(v)) return v.size;
  return 0;
}

function charsPerUnit(name: string): number {
  if (name === 'size') return 8;
  return 16;
}

function costOf(name: string, target: unknown, args: unknown[], meter: Meter): number {
  let cost = 1;
  const per = charsPerUnit(name);
  const all = target === undefined ? args : [target, ...args];
  if (DEEP.has(name)) {
    for (const a of all) cost += deepSize(a, meter);
    return cost;
  }
  if ((name === 'matches' || name === 'glob') && all.length === 2 && typeof all[0] === 'string' && typeof all[1] === 'string') {
    // RE2JS is linear, but its NFA runs at ~0.4 µs per character for a small pattern, and
    // proportionally slower for larger ones.
    return cost + all[0].length * (1 + (all[1].length >> 5)) + all[1].length;
  }
  if (name === '@in') {
    const [elem, container] = all;
    cost += deepSize(elem, meter);
    if (isCelList(container)) for (const item of container) cost += deepSize(item, meter);
    return cost;
  }
  for (const a of all) {
    if (name === 'size' && (isCelList(a) || isCelMap(a))) continue;
    cost += shallow(a, per);
  }
  return cost;
}

/** Total characters of the strings in `v` (deeply), charging the meter for the walk. */
function charsIn(v: unknown, meter: Meter): number {
  let chars = 0;
  let nodes = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (++nodes === 1024) {
      meter.charge(nodes, 'string estimate');
      nodes = 0;
    }
    if (typeof x === 'string') chars += x.length;
    else if (isCelList(x)) for (const item of x) stack.push(item);
    else if (isCelMap(x)) for (const [k, item] of x.entries()) stack.push(k, item);
    else chars += 24; // a number, bool, timestamp... printed
  }
  return chars;
}

function predictLength(name: string, target: unknown, args: unknown[], meter: Meter): number | undefined {
  if (name === 'replace' && typeof target === 'string' && typeof args[0] === 'string' && typeof args[1] === 'string') {
    const [sub, repl] = args as [string, string];
    const max = typeof args[2] === 'bigint' && args[2] >= 0n ? Number(args[2]) : Infinity;
    let count = 0;
    if (sub === '') count = Math.min(max, target.length + 1);
    else for (let i = target.indexOf(sub); i !== -1 && count < max; i = target.indexOf(sub, i + sub.length)) count++;
    return target.length + count * (repl.length - sub.length);
  }
  if (name === 'join' && isCelList(target)) return charsIn(target, meter) + (typeof args[0] === 'string' ? args[0].length * target.size : 0);
  if (name === 'format' && typeof target === 'string') return target.length + charsIn(args[0], meter);
  return undefined;
}

function checkResult(name: string, result: unknown, meter: Meter): void {
  if (typeof result === 'string') {
    if (result.length > meter.limits.maxStringLength) meter.fail(`${name} produced a string of ${result.length} characters; the limit is ${meter.limits.maxStringLength}`);
  } else if (isCelList(result) && result.size > meter.limits.maxListLength) {
    meter.fail(`${name} produced a list of ${result.size} elements; the limit is ${meter.limits.maxListLength}`);
  }
}

function metered(name: string, inner: Group): Group {
  return {
    call(id, target, args) {
      const meter = activeMeter();
      if (meter === undefined) return inner.call(id, target, args);
      meter.charge(costOf(name, target, args, meter), name);
      const predicted = predictLength(name, target, args, meter);
      if (predicted !== undefined && predicted > meter.limits.maxStringLength) {
        meter.fail(`${name} would produce a string of ${predicted} characters; the limit is ${meter.limits.maxStringLength}`);
      }
      const result = inner.call(id, target, args);
      checkResult(name, result, meter);
      return result;
    },
  };
}

const rangeGroup: Group = {
  call(_id, _target, args) {
    const range = args[0];
    const meter = activeMeter();
    if (meter !== undefined && (isCelList(range) || isCelMap(range))) meter.charge(1 + range.size, 'comprehension range');
    return range;
  },
};

const stepGroup: Group = {
  call(_id, _target, args) {
    activeMeter()?.charge(1, 'comprehension iteration');
    return args[0];
  },
};

/**
 * An environment that behaves as `env` but resolves every function through a metered wrapper.
 * It shadows only `funcs`; the planner reads `funcs`, `registry` and `namespace` (pinned
 * @bufbuild/cel 0.6.1; cel-limits tests fail if a new version bypasses the wrappers).
 */
export function meteredEnv<E extends CelEnv>(env: E): E {
  const base = env.funcs as unknown as Resolver;
  const cache = new Map<string, Group | undefined>([
    [STEP_FN, stepGroup],
    [RANGE_FN, rangeGroup],
  ]);
  const funcs: Resolver = {
    find(name) {
      if (!cache.has(name)) {
        const inner = base.find(name);
        cache.set(name, inner === undefined ? undefined : metered(name, inner));
      }
      return cache.get(name);
    },
  };
  return Object.create(env, { funcs: { value: funcs, enumerable: true } }) as E;
}
