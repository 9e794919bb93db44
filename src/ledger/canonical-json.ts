/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
 * ECMAScript's JSON.stringify writes them. For the values accepted here this is RFC 8785 (JCS).
 * Rejects what has no canonical form: non-finite numbers, undefined inside arrays, functions,
 * symbols, bigints, and cycles.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown): string {
  // Fast path: copy with sorted keys and let the native JSON.stringify write it. V8 writes
  // integer-like keys ("7", "10") first in numeric order whatever the insertion order, so an
  // object with such keys sends the whole value down the slow, explicit writer.
  const sorted = quickSortedCopy(value, 0);
  if (sorted !== BAIL) return JSON.stringify(sorted);
  // anything unusual (an error to report with its path, integer-like keys, deep nesting that
  // may be a cycle) is redone by the path-tracking copy, which throws the precise error
  const state = { integerKeys: false };
  const copy = sortedCopy(value, new Set(), '$', state);
  if (!state.integerKeys) return JSON.stringify(copy);
  const parts: string[] = [];
  write(value, parts, new Set(), '$');
  return parts.join('');
}

const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;
const BAIL: unique symbol = Symbol('bail');
/** Deeper than this, the quick copy hands over to the one that detects cycles. */
const QUICK_MAX_DEPTH = 32;

function isIntegerKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && INTEGER_KEY.test(k);
}

/**
 * sortedCopy without the bookkeeping (paths, cycle set) that only error messages need; returns
 * BAIL where sortedCopy would throw or find integer-like keys, so the result is the same.
 */
function quickSortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : BAIL;
    case 'object':
      break;
    default:
      return BAIL;
  }
  if (value === null) return null;
  if (depth >= QUICK_MAX_DEPTH) return BAIL;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = quickSortedCopy(value[i], depth + 1);
      if (v === BAIL) return BAIL;
      out[i] = v;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return BAIL;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    if (v === undefined) continue;
    if (isIntegerKey(k)) return BAIL;
    const c = quickSortedCopy(v, depth + 1);
    if (c === BAIL) return BAIL;
    copy[k] = c;
  }
  return copy;
}

function sortedCopy(value: unknown, stack: Set<object>, path: string, state: { integerKeys: boolean }): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: number is not finite`);
      return value;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON`);
  }
  if (value === null) return null;
  if (stack.has(value)) throw new CanonicalJsonError(`${path}: cycle`);
  stack.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v, i) => sortedCopy(v, stack, `${path}[${i}]`, state));
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${path}: not a plain object`);
    const obj = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v === undefined) continue;
      if (INTEGER_KEY.test(k)) state.integerKeys = true;
      copy[k] = sortedCopy(v, stack, `${path}.${k}`, state);
    }
    out = copy;
  }
  stack.delete(value);
  return out;
}

function write(value: unknown, out: string[], stack: Set<object>, path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: number is not finite`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (stack.has(value)) throw new CanonicalJsonError(`${path}: cycle`);
  stack.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      write(v, out, stack, `${path}[${i}]`);
    });
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${path}: not a plain object`);
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write((value as Record<string, unknown>)[k], out, stack, `${path}.${k}`);
    });
    out.push('}');
  }
  stack.delete(value);
}
