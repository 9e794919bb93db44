/**
 * Gatehouse's CEL engine: an interface of our own over @bufbuild/cel 0.6.1, with memoised RE2,
 * the strings extension, `glob`, custom functions, and cost limits. See docs/CEL.md.
 */
import { celEnv, isCelError, parse, plan, type CelFunc } from '@bufbuild/cel';
import { strings as stringsExt } from '@bufbuild/cel/ext';
import type { Registry } from '@bufbuild/protobuf';
import { GatehouseError } from '../../errors.ts';
import { analyse, instrument } from './ast.ts';
import { builtinFunctions, customFunctions, type CelFunctionDecl } from './functions.ts';
import { LimitSignal, Meter, resolveLimits, withMeter, type CelLimits } from './limits.ts';
import { meteredEnv } from './meter.ts';
import { RegexCache } from './regex.ts';
import { fromCelValue, newTally, toCelValue, type InputTally } from './values.ts';
import { compileFast, type FastProgram } from './fast/compile.ts';
import { InputCounter } from './fast/input.ts';
import { Budget } from './fast/cost.ts';
import { CEL_ERROR, FALLBACK, OVER_LIMIT, runFast } from './fast/run.ts';

export type { CelLimits } from './limits.ts';
export { DEFAULT_CEL_LIMITS } from './limits.ts';
export type { CelFunctionDecl, CelOverloadDecl, CelParamType } from './functions.ts';

export interface CelVariables {
  request?: unknown;
  agent?: unknown;
  session?: unknown;
  tenant?: unknown;
  now?: Date;
  [k: string]: unknown;
}

export interface CelProgram {
  readonly source: string;
  /** Top-level variables the expression reads, e.g. 'request', 'agent'. */
  readonly references: ReadonlySet<string>;
  /** Plain JS in, plain JS out (see values.ts); throws GatehouseError CEL_EVAL or CEL_LIMIT. */
  evaluate(vars: CelVariables): unknown;
}

export interface CelEngine {
  /** Parses, checks the static limits and plans once; throws GatehouseError CEL_COMPILE. */
  compile(source: string, where?: string): CelProgram;
}

export interface CelEngineOptions {
  functions?: readonly CelFunctionDecl[];
  limits?: Partial<CelLimits>;
  /** Variables an expression may read; others are a compile error. Default: request, agent, session, tenant, now. '*' allows any. */
  variables?: readonly string[] | '*';
}

export const DEFAULT_VARIABLES: readonly string[] = ['request', 'agent', 'session', 'tenant', 'now'];

/** Identifiers that name types rather than variables (`type(x) == int`). */
const TYPE_IDENTS = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'google']);

/** Names the library's findIdent resolves as types whatever the registry. */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type']);

/**
 * How one evaluation went, for the differential tests. The fast path reports 'cel-error' for a
 * CEL error (evaluate() then lets the library path word it) and 'fallback' when it cannot decide.
 */
export type CelOutcome =
  | { outcome: 'value'; value: unknown; remaining: number }
  | { outcome: 'error'; code: string; message: string; remaining: number }
  | { outcome: 'cel-error' }
  | { outcome: 'fallback' };

/** For tests and benchmarks: a protobuf registry and container (namespace), as the conformance suite needs. */
export interface CelEngineInternals {
  registry?: Registry;
  container?: string;
}

export function createCelEngine(options: CelEngineOptions = {}, internals: CelEngineInternals = {}): CelEngine {
  const limits = resolveLimits(options.limits);
  const regexes = new RegexCache(256, limits.maxPatternLength);
  const funcs: CelFunc[] = [...stringsExt, ...builtinFunctions(regexes), ...customFunctions(options.functions ?? [], limits)];
  const env = celEnv({
    funcs,
    re2: regexes,
    ...(internals.registry ? { registry: internals.registry } : {}),
    ...(internals.container ? { namespace: internals.container } : {}),
  });
  const isFunction = (name: string): boolean => env.funcs.find(name) !== undefined;
  const namesType = (name: string): boolean => {
    if (TYPE_NAMES.has(name) || env.registry.getMessage(name) !== undefined) return true;
    const dot = name.lastIndexOf('.');
    return dot > 0 && env.registry.getEnum(name.slice(0, dot)) !== undefined;
  };
  const inputCounter = new InputCounter(limits);
  const customNames = new Set((options.functions ?? []).map((f) => f.name));
  const metered = meteredEnv(env);
  const allowed = options.variables === '*' ? undefined : new Set(options.variables ?? DEFAULT_VARIABLES);
  const inputCache = new WeakMap<object, { value: unknown; tally: InputTally }>();

  const convert = (name: string, raw: unknown, tally: InputTally): unknown => {
    if (typeof raw !== 'object' || raw === null) return toCelValue(raw, limits, tally, name);
    let hit = inputCache.get(raw);
    if (hit === undefined) {
      const own = newTally();
      hit = { value: toCelValue(raw, limits, own, name), tally: own };
      inputCache.set(raw, hit);
    }
    tally.nodes += hit.tally.nodes;
    tally.bytes += hit.tally.bytes;
    if (tally.nodes > limits.maxInputNodes || tally.bytes > limits.maxInputBytes) {
      throw new GatehouseError('CEL_LIMIT', `input variables together exceed ${limits.maxInputNodes} values or ${limits.maxInputBytes} characters`);
    }
    return hit.value;
  };

  return {
    compile(source, where) {
      const fail = (message: string, hint?: string): never => {
        throw new GatehouseError('CEL_COMPILE', message, {
          details: [{ ...(where ? { where } : {}), message }],
          ...(hint ? { hint } : {}),
        });
      };
      const quoted = JSON.stringify(source.length > 120 ? `${source.slice(0, 117)}...` : source);
      if (typeof source !== 'string' || source.trim() === '') fail('CEL expression is empty');
      if (source.length > limits.maxExpressionLength) {
        fail(`CEL expression is ${source.length} characters long; the limit is ${limits.maxExpressionLength}`);
      }
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(source);
      } catch (e) {
        if (e instanceof RangeError) fail(`CEL expression ${quoted} is nested too deeply to parse`);
        const loc = (e as { location?: { start?: { line: number; column: number } } }).location?.start;
        const raw = (e as { rawMessage?: string }).rawMessage ?? (e as Error).message;
        fail(`syntax error in CEL expression ${quoted}${loc ? ` at line ${loc.line}, column ${loc.column}` : ''}: ${raw}`);
      }
      const facts = analyse(parsed!.expr, isFunction);
      if (facts.depth > limits.maxAstDepth) fail(`CEL expression ${quoted} nests ${facts.depth} levels deep; the limit is ${limits.maxAstDepth}`);
      if (facts.comprehensionNesting > limits.maxComprehensionNesting) {
        fail(`CEL expression ${quoted} nests ${facts.comprehensionNesting} comprehensions (exists/all/map/filter); the limit is ${limits.maxComprehensionNesting}`);
      }
      for (const t of TYPE_IDENTS) facts.references.delete(t);
      if (allowed) {
        for (const name of facts.references) {
          if (!allowed.has(name)) fail(`CEL expression ${quoted} reads unknown variable "${name}"`, `available: ${[...allowed].join(', ')}`);
        }
      }
      instrument(parsed!.expr);
      let planned: ReturnType<typeof plan>;
      try {
        planned = plan(metered, parsed!);
      } catch (e) {
        fail(`CEL expression ${quoted} cannot be planned: ${(e as Error).message}`);
      }
      const references: ReadonlySet<string> = facts.references;
      const roots = [...references];
      // The fast path needs the default name resolution (no container): see fast/compile.ts.
      const fast = internals.container ? undefined : compileFast(parsed!.expr!, { references: roots, namesType, isFunction, customFunctions: customNames, regex: (p) => regexes.compile(p) });
      const runLibrary = (bindings: Record<string, unknown>, meter: Meter): unknown => {
        let result: unknown;
        try {
          result = withMeter(meter, () => planned!(bindings as never));
        } catch (e) {
          if (!(e instanceof LimitSignal)) throw e;
        }
        if (meter.exceeded !== undefined) throw new GatehouseError('CEL_LIMIT', `CEL expression ${quoted}: ${meter.exceeded}`);
        if (isCelError(result)) throw new GatehouseError('CEL_EVAL', `CEL expression ${quoted} failed: ${result.message}`);
        return result;
      };
      const run = (bindings: Record<string, unknown>): unknown => runLibrary(bindings, new Meter(limits));
      const library = (vars: CelVariables, meter: Meter): unknown => {
        const bindings: Record<string, unknown> = {};
        const tally = newTally();
        for (const name of references) {
          const raw = vars[name];
          if (raw !== undefined) bindings[name] = convert(name, raw, tally);
        }
        return fromCelValue(runLibrary(bindings, meter));
      };
      const overLimit = (budget: Budget): GatehouseError => new GatehouseError('CEL_LIMIT', `CEL expression ${quoted}: ${budget.exceeded}`);
      const evaluate = (vars: CelVariables): unknown => {
        if (fast !== undefined) {
          const budget = new Budget(limits.maxCost);
          const v = runFast(fast, roots, vars, limits, inputCounter, budget);
          if (v === OVER_LIMIT) throw overLimit(budget);
          if (v !== FALLBACK && v !== CEL_ERROR) return v;
        }
        return library(vars, new Meter(limits));
      };
      const trace = (vars: CelVariables, path: 'fast' | 'library'): CelOutcome => {
        if (path === 'fast') {
          if (fast === undefined) return { outcome: 'fallback' };
          const budget = new Budget(limits.maxCost);
          const v = runFast(fast, roots, vars, limits, inputCounter, budget);
          if (v === OVER_LIMIT) return { outcome: 'error', code: 'CEL_LIMIT', message: overLimit(budget).message, remaining: budget.remaining };
          if (v === CEL_ERROR) return { outcome: 'cel-error' };
          return v === FALLBACK ? { outcome: 'fallback' } : { outcome: 'value', value: v, remaining: budget.remaining };
        }
        const meter = new Meter(limits);
        try {
          return { outcome: 'value', value: library(vars, meter), remaining: meter.remaining };
        } catch (e) {
          const code = e instanceof GatehouseError ? e.code : 'THROW';
          return { outcome: 'error', code, message: (e as Error).message, remaining: meter.remaining };
        }
      };
      return new CompiledProgram(source, references, evaluate, run, fast, trace);
    },
  };
}

/** The engine's program. `evaluateRaw` takes and returns CEL values, for the conformance suite. */
export class CompiledProgram implements CelProgram {
  constructor(
    readonly source: string,
    readonly references: ReadonlySet<string>,
    private readonly evaluatePlain: (vars: CelVariables) => unknown,
    private readonly evaluateCel: (bindings: Record<string, unknown>) => unknown,
    /** The compiled fast path (fast/compile.ts), when the expression is in its subset. */
    readonly fastProgram: FastProgram | undefined,
    private readonly traceOne: (vars: CelVariables, path: 'fast' | 'library') => CelOutcome,
  ) {}

  /** Whether evaluate() tries the compiled fast path before the library. */
  get hasFastPath(): boolean {
    return this.fastProgram !== undefined;
  }

  /** For the differential tests: one evaluation by one path only, with the budget it left. */
  trace(vars: CelVariables, path: 'fast' | 'library'): CelOutcome {
    return this.traceOne(vars, path);
  }

  evaluate(vars: CelVariables): unknown {
    return this.evaluatePlain(vars);
  }

  evaluateRaw(bindings: Record<string, unknown>): unknown {
    return this.evaluateCel(bindings);
  }
}
