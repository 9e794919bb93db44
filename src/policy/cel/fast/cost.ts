import { isMap, mapSize, type PlainMap } from './plain.ts';

/**
 * meter.ts's cost model over plain values: the same units for the same call, so the fast path
 * runs out of budget exactly where the library path would (cel-fast-path tests compare the
 * budget left by both after every differential case).
 */
export class Budget {
  remaining: number;
  /** The same words as Meter's, once the budget is spent. */
  exceeded: string | undefined;

  constructor(readonly maxCost: number) {
    this.remaining = maxCost;
  }

  charge(units: number, what: string): void {
    this.remaining -= units;
    if (this.remaining < 0) {
      this.exceeded = `evaluation cost exceeded the limit of ${this.maxCost} units (at ${what})`;
      throw OVER_BUDGET;
    }
  }
}

/** Thrown to unwind the fast path; the engine reports CEL_LIMIT with Budget.exceeded. */
export const OVER_BUDGET = new Error('CEL evaluation over budget');

/** meter.ts deepSize: 1 per value, +1 per 16 characters of a string, keys and items walked. */
export function deepSize(v: unknown, budget: Budget): number {
  let pending = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    pending++;
    if (typeof x === 'string') pending += x.length >> 4;
    else if (Array.isArray(x)) for (let i = 0; i < x.length; i++) stack.push(x[i] === undefined ? null : x[i]);
    else if (isMap(x)) {
      for (const k of Object.keys(x)) if ((x as PlainMap)[k] !== undefined) stack.push(k, (x as PlainMap)[k]);
    }
    if (pending >= 1024) {
      budget.charge(pending, 'comparison');
      pending = 0;
    }
  }
  return pending;
}

/** meter.ts shallow: strings by length, lists and maps by element count, scalars free. */
export function shallow(v: unknown, charsPerUnit: number): number {
  if (typeof v === 'string') return (v.length / charsPerUnit) | 0;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return mapSize(v);
  return 0;
}

/** meter.ts costOf for `matches` (method or global form: text and pattern either way). */
export function matchesCost(text: unknown, pattern: unknown): number {
  if (typeof text === 'string' && typeof pattern === 'string') return 1 + text.length * (1 + (pattern.length >> 5)) + pattern.length;
  return 1 + shallow(text, 16) + shallow(pattern, 16);
}

export function equalityCost(a: unknown, b: unknown, budget: Budget): number {
  return 1 + deepSize(a, budget) + deepSize(b, budget);
}

export function inCost(elem: unknown, container: unknown, budget: Budget): number {
  let cost = 1 + deepSize(elem, budget);
  if (Array.isArray(container)) for (let i = 0; i < container.length; i++) cost += deepSize(container[i] === undefined ? null : container[i], budget);
  return cost;
}
