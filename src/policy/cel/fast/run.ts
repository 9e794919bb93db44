import type { CelLimits } from '../limits.ts';
import type { FastProgram } from './compile.ts';
import type { Budget } from './cost.ts';
import { InputCounter, NOT_PLAIN, scalarBytes } from './input.ts';
import { ERR, UNRESOLVED } from './plain.ts';

/** The fast path cannot decide this evaluation (input not plain data, a list or map result, or anything unforeseen). */
export const FALLBACK: unique symbol = Symbol('fallback');
/** The result is a CEL error; the library path words it. */
export const CEL_ERROR: unique symbol = Symbol('cel error');
/** Out of budget; Budget.exceeded has the library's words for it. */
export const OVER_LIMIT: unique symbol = Symbol('over limit');

const NO_SLOTS: unknown[] = [];

/**
 * Runs a compiled program on the variables as they are (see input.ts), returning the plain
 * result as the library path's fromCelValue would, or one of the markers above.
 */
export function runFast(program: FastProgram, roots: readonly string[], vars: Record<string, unknown>, limits: CelLimits, counter: InputCounter, budget: Budget): unknown {
  const values = new Array<unknown>(roots.length);
  let nodes = 0;
  let bytes = 0;
  for (let i = 0; i < roots.length; i++) {
    const raw = vars[roots[i]!];
    if (raw === undefined) continue;
    if (typeof raw === 'object' && raw !== null) {
      const count = counter.count(raw);
      if (count === NOT_PLAIN) return FALLBACK;
      nodes += count.nodes;
      bytes += count.bytes;
    } else {
      const b = raw === null ? 0 : scalarBytes(raw);
      if (b === NOT_PLAIN) return FALLBACK;
      nodes++;
      bytes += b;
    }
    values[i] = raw;
  }
  if (nodes > limits.maxInputNodes || bytes > limits.maxInputBytes) return FALLBACK;
  let v: unknown;
  try {
    v = program.run({ roots: values, slots: program.slots > 0 ? new Array<unknown>(program.slots) : NO_SLOTS, budget });
  } catch {
    // Over budget (charged exactly as the library path would be), or anything unforeseen, which
    // the library path then decides and reports.
    return budget.exceeded !== undefined ? OVER_LIMIT : FALLBACK;
  }
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return v === 0 ? 0 : v; // an int -0 leaves the library path as 0
    case 'object':
      if (v === null) return null;
      break;
    default:
      break;
  }
  if (v === ERR || v === UNRESOLVED) return CEL_ERROR;
  return FALLBACK; // a list or map: the library path copies those out
}
