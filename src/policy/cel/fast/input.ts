import { isCelList, isCelMap, isCelUint } from '@bufbuild/cel';
import { isMessage } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import type { CelLimits } from '../limits.ts';

/**
 * Decides whether an input variable can be read in place, and counts it as toCelValue
 * (values.ts) would: 1 per value (undefined array items and undefined object members not
 * counted), string lengths and object key lengths as characters, arrays and objects at most
 * maxInputDepth deep. Anything toCelValue would treat specially (Date, Uint8Array, Map, bigint,
 * class instances, protobuf messages, CEL values, functions) is not plain: the engine then uses
 * the library path, which converts (or rejects) it exactly as before.
 */
export interface InputCount {
  nodes: number;
  bytes: number;
}

/**
 * A scalar top-level variable's characters, or NOT_PLAIN when the fast path does not read it
 * (a bigint, a function, NaN...). It counts as one value.
 */
export function scalarBytes(value: unknown): number | typeof NOT_PLAIN {
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'boolean':
      return 0;
    case 'number':
      return Number.isNaN(value) ? NOT_PLAIN : 0;
    default:
      return NOT_PLAIN;
  }
}

/** Returned when the value is not plain, or on its own exceeds a limit (the library path will say which). */
export const NOT_PLAIN = null;

/**
 * How many counted objects are remembered. A decision evaluates several expressions over the
 * same few variables (request, agent, session), so each is counted once per decision.
 */
const REMEMBERED = 8;

export class InputCounter {
  // A small ring of (object, count) rather than a WeakMap: every decision brings new objects,
  // and a WeakMap entry per object cost more (its growth, and the garbage collector's ephemeron
  // work) than the count it saved. The ring holds its last REMEMBERED objects strongly until
  // later objects replace them.
  private readonly objects: Array<object | undefined> = new Array<object | undefined>(REMEMBERED).fill(undefined);
  private readonly counts: Array<InputCount | typeof NOT_PLAIN> = new Array<InputCount | typeof NOT_PLAIN>(REMEMBERED).fill(NOT_PLAIN);
  private next = 0;

  constructor(private readonly limits: CelLimits) {}

  /**
   * Counts a top-level object variable, remembering the count for the object's identity while
   * it is among the last few counted (inputs are snapshots, as for the library path's
   * conversion cache). Scalars are counted by the caller (see `scalarBytes`).
   */
  count(value: object): InputCount | typeof NOT_PLAIN {
    const objects = this.objects;
    for (let i = 0; i < REMEMBERED; i++) if (objects[i] === value) return this.counts[i]!;
    const out = { nodes: 0, bytes: 0 };
    const hit = this.walk(value, 0, out) ? out : NOT_PLAIN;
    const slot = this.next;
    objects[slot] = value;
    this.counts[slot] = hit;
    this.next = (slot + 1) % REMEMBERED;
    return hit;
  }

  private walk(value: unknown, depth: number, out: InputCount): boolean {
    if (++out.nodes > this.limits.maxInputNodes) return false;
    switch (typeof value) {
      case 'string':
        out.bytes += value.length;
        return out.bytes <= this.limits.maxInputBytes;
      case 'boolean':
        return true;
      case 'number':
        // NaN is the one value not equal to itself: with it, two aliases of one object (equal
        // here by identity, converted twice by the library) could compare differently.
        return !Number.isNaN(value);
      case 'object':
        break;
      default:
        return false;
    }
    if (value === null) return true;
    // What toCelValue passes through as a CEL value or converts specially.
    if (isCelList(value) || isCelMap(value) || isCelUint(value) || isMessage(value) || isReflectMessage(value)) return false;
    if (depth >= this.limits.maxInputDepth) return false;
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) return false;
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        if (x !== undefined && !this.walk(x, depth + 1, out)) return false;
      }
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false; // Date, Map, Uint8Array, class instances
    const map = value as Record<string, unknown>;
    for (const k of Object.keys(map)) {
      const x = map[k];
      if (x === undefined) continue;
      out.bytes += k.length;
      if (!this.walk(x, depth + 1, out)) return false;
    }
    return true;
  }
}
