import { GatehouseError } from '../../errors.ts';

/**
 * Bounds on what one expression may cost. Static limits are checked once at compile time; the
 * cost budget is spent during each evaluation (see meter.ts for what is charged).
 */
export interface CelLimits {
  /** Characters in the expression source. */
  maxExpressionLength: number;
  /** Nesting depth of the parsed syntax tree (after macro expansion). */
  maxAstDepth: number;
  /** Comprehensions (exists/all/map/filter/exists_one) nested inside one another. */
  maxComprehensionNesting: number;
  /** Cost units one evaluation may spend; roughly one unit per call, iteration, or 64 characters / collection element touched. */
  maxCost: number;
  /** Characters in any string an expression produces. */
  maxStringLength: number;
  /** Elements in any list an expression produces. */
  maxListLength: number;
  /** Characters in a regular expression or glob pattern. */
  maxPatternLength: number;
  /** Nesting depth of an input variable (request, agent, ...). */
  maxInputDepth: number;
  /** Values (scalars, lists, maps) in all input variables of one evaluation. */
  maxInputNodes: number;
  /** Characters in all strings and keys of the input variables of one evaluation. */
  maxInputBytes: number;
}

export const DEFAULT_CEL_LIMITS: Readonly<CelLimits> = Object.freeze({
  maxExpressionLength: 4096,
  maxAstDepth: 64,
  maxComprehensionNesting: 3,
  maxCost: 200_000,
  maxStringLength: 2 * 1024 * 1024,
  maxListLength: 200_000,
  maxPatternLength: 1024,
  maxInputDepth: 100,
  maxInputNodes: 150_000,
  maxInputBytes: 4 * 1024 * 1024,
});

export function resolveLimits(partial: Partial<CelLimits> | undefined): CelLimits {
  const limits = { ...DEFAULT_CEL_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new GatehouseError('CONFIG_INVALID', `CEL limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}

/** Thrown inside the evaluator to unwind it; converted to CEL_LIMIT by the engine. */
export class LimitSignal extends Error {}

/** The cost budget of one evaluation. */
export class Meter {
  remaining: number;
  exceeded: string | undefined;

  constructor(
    readonly limits: CelLimits,
  ) {
    this.remaining = limits.maxCost;
  }

  charge(units: number, what: string): void {
    if (this.exceeded !== undefined) throw new LimitSignal(this.exceeded);
    this.remaining -= units;
    if (this.remaining < 0) this.fail(`evaluation cost exceeded the limit of ${this.limits.maxCost} units (at ${what})`);
  }

  fail(message: string): never {
    this.exceeded ??= message;
    throw new LimitSignal(this.exceeded);
  }
}

/**
 * The meter of the evaluation in progress. Evaluation is synchronous, so one slot is enough;
 * the engine saves and restores it, which keeps a nested evaluation (a custom function that
 * evaluates CEL) correct.
 */
let active: Meter | undefined;

export function activeMeter(): Meter | undefined {
  return active;
}

export function withMeter<T>(meter: Meter, run: () => T): T {
  const previous = active;
  active = meter;
  try {
    return run();
  } finally {
    active = previous;
  }
}
