/**
 * The fast path's value model: plain JSON-like JS values read in place, with the meaning
 * toCelValue (values.ts) gives them, so nothing is converted per call.
 *
 * - string, boolean, null as themselves; a number is a CEL int when it is a safe integer and a
 *   double otherwise. Without arithmetic (the fast path has none) the two kinds behave alike:
 *   @bufbuild/cel compares and equates int and double numerically, and Number(int) is exact for
 *   safe integers, which are the only ints the fast path ever holds.
 * - an array is a list (an undefined item reads as null); an object whose prototype is
 *   Object.prototype or null is a map with string keys, keys whose value is undefined absent.
 * ERR stands for any CEL error value (the engine re-runs the library to get its message);
 * UNRESOLVED for an attribute whose root variable is unbound (has() reads it as false).
 */
export const ERR: unique symbol = Symbol('cel error');
export const UNRESOLVED = undefined;

export type PlainMap = Record<string, unknown>;

export function isMap(v: unknown): v is PlainMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function item(list: readonly unknown[], i: number): unknown {
  const x = list[i];
  return x === undefined ? null : x;
}

/** A map's entry, or undefined when absent (as @bufbuild/cel's map get). */
export function entry(map: PlainMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function mapKeys(map: PlainMap): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(map)) if (map[k] !== undefined) keys.push(k);
  return keys;
}

export function mapSize(map: PlainMap): number {
  let n = 0;
  for (const k of Object.keys(map)) if (map[k] !== undefined) n++;
  return n;
}

/** `x.field`: a present map entry (null included), else an error. */
export function selectField(x: unknown, field: string): unknown {
  if (!isMap(x)) return ERR;
  const v = entry(x, field);
  return v === undefined ? ERR : v;
}

/** `has(x.field)`: @bufbuild/cel's map `has` is `get(k) != undefined`, so a null entry is absent. */
export function hasField(x: unknown, field: string): boolean {
  if (!isMap(x)) return false;
  const v = entry(x, field);
  return v !== undefined && v !== null;
}

/** @bufbuild/cel's equals(): numbers across kinds, lists and maps deeply, other kinds never equal. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(item(a, i), item(b, i))) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const am = a as PlainMap;
  const bm = b as PlainMap;
  if (mapSize(am) !== mapSize(bm)) return false;
  for (const k of Object.keys(am)) {
    const av = am[k];
    if (av === undefined) continue;
    const bv = entry(bm, k);
    if (bv === undefined || !equals(av, bv)) return false;
  }
  return true;
}
