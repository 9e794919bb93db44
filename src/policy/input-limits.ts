import { cutText } from '../cut-text.ts';

/** Bounds on the arguments of one call, checked before any rule or detector sees them. */
export const INPUT_LIMITS = { maxDepth: 64, maxBytes: 1024 * 1024, maxNodes: 100_000 };

/**
 * Walks a JSON-like value iteratively (no recursion, so a hostile depth cannot overflow the stack)
 * and returns why it is over the limits, or undefined when it is within them.
 */
/** What the checked value is called in the messages, with its verbs (plural `arguments`, singular `session`). */
export interface InputSubject {
  name: string;
  are: string;
  have: string;
  contain: string;
}
const ARGUMENTS: InputSubject = { name: 'arguments', are: 'are', have: 'have', contain: 'contain' };

export function checkInputLimits(value: unknown, limits = INPUT_LIMITS, subject: InputSubject = ARGUMENTS): string | undefined {
  try {
    return walk(value, limits, subject);
  } catch (error) {
    // A getter or proxy trap that throws: the input is unreadable, which is the caller's error
    // (a deny that failOpen never passes), not a failure of the pipeline.
    const message = error instanceof Error ? error.message : String(error);
    return `${subject.name} could not be read: ${cutText(message, 200)}`;
  }
}

function walk(value: unknown, limits: typeof INPUT_LIMITS, subject: InputSubject): string | undefined {
  // Two parallel stacks rather than a stack of [value, depth] pairs: no allocation per value.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let bytes = 0;
  let nodes = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (++nodes > limits.maxNodes) return `${subject.name} ${subject.have} more than ${limits.maxNodes} values`;
    if (typeof v === 'string') bytes += v.length;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) bytes += 8;
    else if (typeof v === 'object') {
      if (depth >= limits.maxDepth) return `${subject.name} ${subject.are} nested deeper than ${limits.maxDepth} levels`;
      if (Array.isArray(v)) {
        for (const item of v) {
          values.push(item);
          depths.push(depth + 1);
        }
      } else {
        const kind = nonPlainKind(v);
        if (kind !== undefined) return `${subject.name} ${subject.contain} a non-plain object (${kind}), which is not JSON data; pass plain objects and arrays`;
        for (const k of Object.keys(v)) {
          bytes += k.length;
          values.push((v as Record<string, unknown>)[k]);
          depths.push(depth + 1);
        }
      }
    } else return `${subject.name} ${subject.contain} a ${typeof v}, which is not JSON`;
    if (bytes > limits.maxBytes) return `${subject.name} ${subject.are} larger than ${limits.maxBytes} bytes`;
  }
  return undefined;
}

/**
 * The kind of an object that is not a plain one (a Map, Set, Date, URL, boxed string, typed array,
 * class instance), or undefined for a plain object (of this realm or another). Detectors, CEL and
 * the argument digest see an object's own enumerable keys only: the entries of a Map or the text
 * of a String object would reach the tool unscanned, and two different Maps would have the same
 * digest (and so the same approval binding).
 */
function nonPlainKind(v: object): string | undefined {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === null || proto === Object.prototype) return undefined;
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (tag === 'Object' && Object.getPrototypeOf(proto) === null && Object.getOwnPropertyNames(proto).includes('hasOwnProperty')) return undefined;
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : tag;
}
