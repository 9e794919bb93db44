import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { RANGE_FN, STEP_FN, qualifiedName } from '../ast.ts';
import { codePointCount } from '../functions.ts';
import type { RegexMatcher } from '../regex.ts';
import { Budget, equalityCost, inCost, matchesCost, shallow } from './cost.ts';
import { ERR, UNRESOLVED, entry, equals, hasField, isMap, item, mapKeys, mapSize, selectField } from './plain.ts';

/**
 * Compiles a parsed, instrumented CEL expression (ast.ts) into JavaScript closures, for a subset
 * whose meaning is pinned down here against @bufbuild/cel 0.6.1's planner: literals (no uint,
 * bytes or -0.0; ints within 2^53), variables and field selection, has(), &&, ||, !, ?:,
 * ==, !=, <, <=, >, >=, `in`, size(), startsWith/endsWith/contains/matches, list literals and
 * the comprehensions of exists/all/exists_one. Anything else is not compiled (the expression
 * keeps the library path). Evaluation order, error absorption and every charge to the budget
 * follow the library path step by step (see the comments on each case).
 */
export interface FastFrame {
  /** Top-level variables in `references` order; undefined when unbound. */
  roots: unknown[];
  /** Comprehension variables. */
  slots: unknown[];
  budget: Budget;
}

type Fn = (f: FastFrame) => unknown;

export interface FastProgram {
  readonly slots: number;
  /** A plain value, ERR or UNRESOLVED; throws OVER_BUDGET. */
  readonly run: Fn;
}

export interface FastCompileOptions {
  /** Free variables in the order of FastFrame.roots. */
  references: readonly string[];
  /** Whether `name` resolves as a type or enum constant (the library's findIdent). */
  namesType(name: string): boolean;
  /** Whether `name` is a registered function (so `a.b.f(x)` is a qualified call). */
  isFunction(name: string): boolean;
  /** Names of the deployment's custom functions: their overloads join the library's, so calls by those names stay on the library path. */
  customFunctions: ReadonlySet<string>;
  regex(pattern: string): RegexMatcher;
}

class Unsupported extends Error {}

const COMPARISONS = new Set(['_<_', '_<=_', '_>_', '_>=_']);
const STRING_TESTS = new Set(['startsWith', 'endsWith', 'contains']);

export function compileFast(root: Expr, options: FastCompileOptions): FastProgram | undefined {
  try {
    const compiler = new Compiler(options);
    const run = compiler.value(root);
    return { slots: compiler.slotCount, run };
  } catch {
    // Unsupported, or anything unforeseen: the expression keeps the library path, never fails to compile.
    return undefined;
  }
}

class Compiler {
  slotCount = 0;
  private readonly scope: Array<[string, number]> = [];
  /** The accumulator of an exists_one being compiled: the only place `_+_` is accepted. */
  private countingAccu: string | undefined;

  constructor(private readonly options: FastCompileOptions) {}

  /** An expression as a consumer sees it: an unresolved attribute is an error (EvalAttr.eval). */
  value(e: Expr): Fn {
    const fn = this.compile(e);
    if (!this.mayBeUnresolved(e)) return fn;
    return (f) => {
      const v = fn(f);
      return v === UNRESOLVED ? ERR : v;
    };
  }

  private mayBeUnresolved(e: Expr): boolean {
    const k = e.exprKind;
    if (k.case === 'identExpr') return this.slotOf(k.value.name) === undefined;
    if (k.case === 'selectExpr') return !k.value.testOnly && k.value.operand !== undefined && this.mayBeUnresolved(k.value.operand);
    if (k.case === 'callExpr' && k.value.function === '_?_:_') return k.value.args.slice(1).some((a) => this.mayBeUnresolved(a));
    return false;
  }

  private slotOf(name: string): number | undefined {
    for (let i = this.scope.length - 1; i >= 0; i--) if (this.scope[i]![0] === name) return this.scope[i]![1];
    return undefined;
  }

  private compile(e: Expr): Fn {
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr':
        return this.constant(k.value.constantKind);
      case 'identExpr':
        return this.ident(k.value.name);
      case 'selectExpr':
        return this.select(k.value.operand, k.value.field, k.value.testOnly);
      case 'listExpr': {
        if (k.value.optionalIndices.length > 0) throw new Unsupported();
        const items = k.value.elements.map((x) => this.value(x));
        if (items.length === 0) {
          const empty: unknown[] = [];
          return () => empty;
        }
        // EvalList: elements in order, the first error wins.
        return (f) => {
          const out = new Array<unknown>(items.length);
          for (let i = 0; i < items.length; i++) {
            const v = items[i]!(f);
            if (v === ERR) return ERR;
            out[i] = v;
          }
          return out;
        };
      }
      case 'callExpr':
        return this.call(k.value.function, k.value.target, k.value.args);
      case 'comprehensionExpr':
        return this.comprehension(k.value);
      default:
        throw new Unsupported();
    }
  }

  private constant(c: Extract<Expr['exprKind'], { case: 'constExpr' }>['value']['constantKind']): Fn {
    let v: unknown;
    switch (c.case) {
      case 'stringValue':
      case 'boolValue':
        v = c.value;
        break;
      case 'nullValue':
        v = null;
        break;
      case 'int64Value':
        if (c.value > BigInt(Number.MAX_SAFE_INTEGER) || c.value < BigInt(Number.MIN_SAFE_INTEGER)) throw new Unsupported();
        v = Number(c.value);
        break;
      case 'doubleValue':
        // An integral double reads as an int here, which no supported operation can tell apart;
        // -0.0 alone would come out differently (an int input -0 leaves as 0).
        if (Object.is(c.value, -0)) throw new Unsupported();
        v = c.value;
        break;
      default:
        throw new Unsupported();
    }
    return () => v;
  }

  /**
   * A variable. The library tries the qualified names of a select chain (`a.b.c`, `a.b`, `a`)
   * as variables and as type or enum names first; compile-time checks (here and in select)
   * make sure none of those can resolve, so reading the root is the same.
   */
  private ident(name: string): Fn {
    if (name.startsWith('.') || this.options.namesType(name)) throw new Unsupported();
    const slot = this.slotOf(name);
    if (slot !== undefined) return (f) => f.slots[slot];
    const index = this.options.references.indexOf(name);
    if (index < 0 || name in Object.prototype) throw new Unsupported();
    return (f) => f.roots[index];
  }

  private select(operand: Expr | undefined, field: string, testOnly: boolean): Fn {
    // The library pushes a select on `c ? a : b` into both branches, where `a.f` becomes a
    // qualified name to try; rare enough in policies to leave to it.
    if (operand === undefined || (operand.exprKind.case === 'callExpr' && operand.exprKind.value.function === '_?_:_')) throw new Unsupported();
    const chain = qualifiedName(operand);
    if (chain !== undefined && this.options.namesType(`${chain}.${field}`)) throw new Unsupported();
    const op = this.compile(operand);
    if (testOnly) {
      // EvalHas: an unresolved operand is false, an error stays an error.
      return (f) => {
        const o = op(f);
        if (o === UNRESOLVED) return false;
        if (o === ERR) return ERR;
        return hasField(o, field);
      };
    }
    return (f) => {
      const o = op(f);
      if (o === UNRESOLVED || o === ERR) return o;
      return selectField(o, field);
    };
  }

  private call(name: string, targetExpr: Expr | undefined, argExprs: readonly Expr[]): Fn {
    if (targetExpr !== undefined) {
      const q = qualifiedName(targetExpr);
      if (q !== undefined && this.options.isFunction(`${q}.${name}`)) throw new Unsupported();
    }
    if (this.options.customFunctions.has(name)) throw new Unsupported();
    const arity = argExprs.length;
    const method = targetExpr !== undefined;
    switch (name) {
      case '_&&_':
      case '_||_': {
        if (method || arity !== 2) throw new Unsupported();
        const [l, r] = argExprs.map((a) => this.value(a)) as [Fn, Fn];
        // EvalAnd / EvalOr: left to right, the deciding value short-circuits, otherwise any
        // error or non-bool makes the result an error.
        const decisive = name === '_||_';
        return (f) => {
          const a = l(f);
          if (a === decisive) return decisive;
          const b = r(f);
          if (b === decisive) return decisive;
          return a === !decisive && b === !decisive ? !decisive : ERR;
        };
      }
      case '_?_:_': {
        if (method || arity !== 3) throw new Unsupported();
        const cond = this.value(argExprs[0]!);
        const t = this.compile(argExprs[1]!);
        const e = this.compile(argExprs[2]!);
        // ConditionalAttr: a branch's unresolved attribute passes through to the consumer.
        return (f) => {
          const c = cond(f);
          if (c === true) return t(f);
          if (c === false) return e(f);
          return ERR;
        };
      }
      case '@not_strictly_false':
      case '__not_strictly_false__': {
        if (method || arity !== 1) throw new Unsupported();
        const a = this.value(argExprs[0]!);
        return (f) => a(f) !== false;
      }
      case RANGE_FN: {
        const a = this.unary(method, argExprs);
        return (f) => {
          const v = a(f);
          if (v === ERR) return ERR;
          if (Array.isArray(v)) f.budget.charge(1 + v.length, 'comprehension range');
          else if (isMap(v)) f.budget.charge(1 + mapSize(v), 'comprehension range');
          return v;
        };
      }
      case STEP_FN: {
        const a = this.unary(method, argExprs);
        return (f) => {
          const v = a(f);
          if (v === ERR) return ERR;
          f.budget.charge(1, 'comprehension iteration');
          return v;
        };
      }
      case '!_': {
        const a = this.unary(method, argExprs);
        return (f) => {
          const v = a(f);
          if (v === ERR) return ERR;
          f.budget.charge(1 + shallow(v, 16), '!_');
          return typeof v === 'boolean' ? !v : ERR;
        };
      }
      case '_==_':
      case '_!=_': {
        const [l, r] = this.binary(method, argExprs);
        const negate = name === '_!=_';
        return (f) => {
          const a = l(f);
          if (a === ERR) return ERR;
          const b = r(f);
          if (b === ERR) return ERR;
          f.budget.charge(equalityCost(a, b, f.budget), name);
          return equals(a, b) !== negate;
        };
      }
      case '@in': {
        const [l, r] = this.binary(method, argExprs);
        return (f) => {
          const a = l(f);
          if (a === ERR) return ERR;
          const b = r(f);
          if (b === ERR) return ERR;
          f.budget.charge(inCost(a, b, f.budget), '@in');
          return contains(b, a);
        };
      }
      case '_+_': {
        // Only exists_one's `accu + 1`: the accumulator starts at int 0 and only ever counts up.
        const [accu, one] = argExprs;
        if (method || arity !== 2 || this.countingAccu === undefined || !isIdent(accu!, this.countingAccu) || !isIntConst(one!, 1n)) throw new Unsupported();
        const a = this.value(accu!);
        return (f) => {
          const v = a(f);
          if (v === ERR) return ERR;
          f.budget.charge(1, '_+_');
          return (v as number) + 1;
        };
      }
      case 'size': {
        const a = method ? (arity === 0 ? this.value(targetExpr) : undefined) : arity === 1 ? this.value(argExprs[0]!) : undefined;
        if (a === undefined) throw new Unsupported();
        return (f) => {
          const v = a(f);
          if (v === ERR) return ERR;
          if (typeof v === 'string') {
            f.budget.charge(1 + ((v.length / 8) | 0), 'size');
            return codePointCount(v);
          }
          f.budget.charge(1, 'size');
          if (Array.isArray(v)) return v.length;
          if (isMap(v)) return mapSize(v);
          return ERR;
        };
      }
      case 'matches': {
        let text: Fn;
        let pattern: Fn;
        if (method && arity === 1) [text, pattern] = [this.value(targetExpr), this.value(argExprs[0]!)];
        else if (!method && arity === 2) [text, pattern] = argExprs.map((a) => this.value(a)) as [Fn, Fn];
        else throw new Unsupported();
        const regex = this.options.regex;
        // A constant pattern is compiled once here rather than looked up in the LRU per call; one
        // that does not compile stays on the per-call lookup, which yields the error each time.
        const patternExpr = method ? argExprs[0]! : argExprs[1]!;
        const constant = patternExpr.exprKind.case === 'constExpr' && patternExpr.exprKind.value.constantKind.case === 'stringValue' ? patternExpr.exprKind.value.constantKind.value : undefined;
        let compiled: RegexMatcher | undefined;
        try {
          if (constant !== undefined) compiled = regex(constant);
        } catch {
          compiled = undefined;
        }
        return (f) => {
          const t = text(f);
          if (t === ERR) return ERR;
          const p = pattern(f);
          if (p === ERR) return ERR;
          f.budget.charge(matchesCost(t, p), 'matches');
          if (typeof t !== 'string' || typeof p !== 'string') return ERR;
          try {
            return (compiled ?? regex(p)).test(t);
          } catch {
            return ERR; // the library turns a throwing function into an error value
          }
        };
      }
      default:
        break;
    }
    if (COMPARISONS.has(name)) {
      const [l, r] = this.binary(method, argExprs);
      const compare = COMPARE[name]!;
      return (f) => {
        const a = l(f);
        if (a === ERR) return ERR;
        const b = r(f);
        if (b === ERR) return ERR;
        f.budget.charge(1 + shallow(a, 16) + shallow(b, 16), name);
        const ta = typeof a;
        if (ta !== typeof b || (ta !== 'number' && ta !== 'string' && ta !== 'boolean')) return ERR;
        return compare(a as number, b as number);
      };
    }
    if (STRING_TESTS.has(name)) {
      if (!method || arity !== 1) throw new Unsupported();
      const t = this.value(targetExpr);
      const a = this.value(argExprs[0]!);
      const test = STRING_TEST[name]!;
      return (f) => {
        const s = t(f);
        if (s === ERR) return ERR;
        const x = a(f);
        if (x === ERR) return ERR;
        f.budget.charge(1 + shallow(s, 16) + shallow(x, 16), name);
        if (typeof s !== 'string' || typeof x !== 'string') return ERR;
        return test(s, x);
      };
    }
    throw new Unsupported();
  }

  private unary(method: boolean, args: readonly Expr[]): Fn {
    if (method || args.length !== 1) throw new Unsupported();
    return this.value(args[0]!);
  }

  private binary(method: boolean, args: readonly Expr[]): [Fn, Fn] {
    if (method || args.length !== 2) throw new Unsupported();
    return [this.value(args[0]!), this.value(args[1]!)];
  }

  /** EvalFold, with the range and loop condition instrumented by ast.ts. */
  private comprehension(c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value']): Fn {
    if (c.iterVar2 || !c.accuInit || !c.iterRange || !c.loopCondition || !c.loopStep || !c.result) throw new Unsupported();
    const outerCounting = this.countingAccu;
    this.countingAccu = undefined;
    const init = this.value(c.accuInit);
    const range = this.value(c.iterRange);
    const accuSlot = this.slotCount++;
    const iterSlot = this.slotCount++;
    const counting = isExistsOneStep(c.loopStep, c.accuVar) && isIntConst(c.accuInit, 0n);
    this.scope.push([c.accuVar, accuSlot], [c.iterVar, iterSlot]);
    const cond = this.value(c.loopCondition);
    this.countingAccu = counting ? c.accuVar : undefined;
    const step = this.value(c.loopStep);
    this.countingAccu = undefined;
    this.scope.pop();
    const result = this.value(c.result);
    this.scope.pop();
    this.countingAccu = outerCounting;
    return (f) => {
      const accu = init(f);
      if (accu === ERR) return ERR;
      f.slots[accuSlot] = accu;
      const r = range(f);
      if (r === ERR) return ERR;
      if (Array.isArray(r)) {
        for (let i = 0; i < r.length; i++) {
          f.slots[iterSlot] = item(r, i);
          const go = cond(f);
          if (go === ERR) return ERR;
          if (go !== true) break;
          f.slots[accuSlot] = step(f);
        }
      } else if (isMap(r)) {
        for (const key of mapKeys(r)) {
          f.slots[iterSlot] = key;
          const go = cond(f);
          if (go === ERR) return ERR;
          if (go !== true) break;
          f.slots[accuSlot] = step(f);
        }
      } else return ERR;
      return result(f);
    };
  }
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '_<_': (a, b) => a < b,
  '_<=_': (a, b) => a <= b,
  '_>_': (a, b) => a > b,
  '_>=_': (a, b) => a >= b,
};

const STRING_TEST: Record<string, (s: string, x: string) => boolean> = {
  startsWith: (s, x) => s.startsWith(x),
  endsWith: (s, x) => s.endsWith(x),
  contains: (s, x) => s.includes(x),
};

/** `@in`: a list by equality; a map by key presence (string keys only; a null entry counts as absent). */
function contains(container: unknown, elem: unknown): unknown {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) if (equals(item(container, i), elem)) return true;
    return false;
  }
  if (isMap(container)) {
    if (typeof elem === 'string') {
      const v = entry(container, elem);
      return v !== undefined && v !== null;
    }
    if (typeof elem === 'number' || typeof elem === 'boolean') return false;
    return ERR;
  }
  return ERR;
}


function isIdent(e: Expr, name: string): boolean {
  return e.exprKind.case === 'identExpr' && e.exprKind.value.name === name;
}

function isIntConst(e: Expr, value: bigint): boolean {
  return e.exprKind.case === 'constExpr' && e.exprKind.value.constantKind.case === 'int64Value' && e.exprKind.value.constantKind.value === value;
}

/** exists_one's step: `pred ? accu + 1 : accu`. */
function isExistsOneStep(step: Expr, accu: string): boolean {
  const k = step.exprKind;
  if (k.case !== 'callExpr' || k.value.function !== '_?_:_' || k.value.target !== undefined || k.value.args.length !== 3) return false;
  const [, plus, same] = k.value.args as [Expr, Expr, Expr];
  const p = plus.exprKind;
  return (
    isIdent(same, accu) &&
    p.case === 'callExpr' &&
    p.value.function === '_+_' &&
    p.value.target === undefined &&
    p.value.args.length === 2 &&
    isIdent(p.value.args[0]!, accu) &&
    isIntConst(p.value.args[1]!, 1n)
  );
}

