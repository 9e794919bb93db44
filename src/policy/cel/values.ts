import { celList, celMap, isCelList, isCelMap, isCelUint, isCelType, type CelValue } from '@bufbuild/cel';
import { isMessage, toJson } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { DurationSchema, TimestampSchema, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { GatehouseError } from '../../errors.ts';
import type { CelLimits } from './limits.ts';

/** Running totals of one conversion, so several variables share one input budget. */
export interface InputTally {
  nodes: number;
  bytes: number;
}

export function newTally(): InputTally {
  return { nodes: 0, bytes: 0 };
}

/**
 * Plain JS / JSON → CEL value. Numbers that are safe integers become CEL `int` (so
 * `request.arguments.count == 5` and `count + 1` work as written); other numbers become `double`.
 * Objects become maps, arrays lists, Date a timestamp, Uint8Array bytes; object keys whose value
 * is undefined are dropped (as JSON does). Bounded by depth, node and byte limits: over them
 * it throws CEL_LIMIT, before the expression sees anything.
 */
export function toCelValue(value: unknown, limits: CelLimits, tally: InputTally, path: string, depth = 0): unknown {
  if (++tally.nodes > limits.maxInputNodes) {
    throw new GatehouseError('CEL_LIMIT', `input has more than ${limits.maxInputNodes} values`, { details: [{ where: path, message: 'too many values' }] });
  }
  switch (typeof value) {
    case 'string':
      tally.bytes += value.length;
      if (tally.bytes > limits.maxInputBytes) {
        throw new GatehouseError('CEL_LIMIT', `input is larger than ${limits.maxInputBytes} characters`, { details: [{ where: path, message: 'too large' }] });
      }
      return value;
    case 'boolean':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'bigint':
      return value;
    case 'object':
      break;
    default:
      throw new GatehouseError('CEL_EVAL', `input at ${path} is a ${typeof value}, which has no CEL value`);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array || isCelList(value) || isCelMap(value) || isCelUint(value) || isMessage(value) || isReflectMessage(value)) return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new GatehouseError('CEL_EVAL', `input at ${path} is an invalid Date`);
    return timestampFromDate(value);
  }
  if (depth >= limits.maxInputDepth) {
    throw new GatehouseError('CEL_LIMIT', `input is nested deeper than ${limits.maxInputDepth} levels`, { details: [{ where: path, message: 'too deep' }] });
  }
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined ? null : toCelValue(item, limits, tally, `${path}[${i}]`, depth + 1);
    }
    return celList(out as CelValue[]);
  }
  const entries = new Map<unknown, unknown>();
  const source: Iterable<[unknown, unknown]> = value instanceof Map ? value.entries() : Object.entries(value);
  for (const [k, v] of source) {
    if (v === undefined) continue;
    const key = typeof k === 'number' && Number.isSafeInteger(k) ? BigInt(k) : k;
    if (typeof key === 'string') tally.bytes += key.length;
    entries.set(key, toCelValue(v, limits, tally, `${path}.${String(k)}`, depth + 1));
  }
  return celMap(entries as Map<string, CelValue>);
}

/**
 * CEL value → plain JS. int and uint become a number when it is a safe integer, else a bigint;
 * double a number; lists arrays; maps plain objects (keys as strings); timestamps Date;
 * durations their protobuf JSON string ("1.5s"); types their name; other messages their JSON.
 * `count` (optional) receives the number of values visited, for charging the meter.
 */
export function fromCelValue(value: unknown, count?: { nodes: number }): unknown {
  if (count) count.nodes++;
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null || value instanceof Uint8Array) return value;
  if (isCelUint(value)) return fromCelValue(value.value, count);
  if (isCelList(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(fromCelValue(item, count));
    return out;
  }
  if (isCelMap(value)) {
    const out: Array<[string, unknown]> = [];
    for (const [k, v] of value.entries()) out.push([String(isCelUint(k) ? k.value : k), fromCelValue(v, count)]);
    return Object.fromEntries(out);
  }
  if (isCelType(value)) return value.name;
  if (isReflectMessage(value)) {
    const message = value.message;
    if (isMessage(message, TimestampSchema)) return timestampDate(message);
    if (isMessage(message, DurationSchema)) return toJson(DurationSchema, message);
    return toJson(value.desc, message);
  }
  if (isMessage(value, TimestampSchema)) return timestampDate(value);
  if (isMessage(value, DurationSchema)) return toJson(DurationSchema, value);
  return value;
}
