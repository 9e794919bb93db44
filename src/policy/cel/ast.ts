import { create } from '@bufbuild/protobuf';
import { ExprSchema, type Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/** Internal functions the instrumented tree calls; `@` cannot appear in a parsed identifier. */
export const STEP_FN = '@gh.step';
export const RANGE_FN = '@gh.range';

export interface AstFacts {
  depth: number;
  comprehensionNesting: number;
  /** Free top-level identifiers (request, agent, ...), not comprehension variables. */
  references: Set<string>;
}

/**
 * Measures the parsed tree and collects the variables it reads. `isFunction` tells a qualified
 * function call (`strings.quote(x)`) from a method call on a variable (`request.tool.size()`).
 */
export function analyse(root: Expr, isFunction: (name: string) => boolean): AstFacts {
  const facts: AstFacts = { depth: 0, comprehensionNesting: 0, references: new Set() };
  const walk = (e: Expr | undefined, depth: number, nesting: number, bound: ReadonlySet<string>): void => {
    if (e === undefined) return;
    if (depth > facts.depth) facts.depth = depth;
    const k = e.exprKind;
    switch (k.case) {
      case 'identExpr':
        if (!bound.has(k.value.name)) facts.references.add(k.value.name);
        return;
      case 'selectExpr':
        walk(k.value.operand, depth + 1, nesting, bound);
        return;
      case 'callExpr': {
        const target = k.value.target;
        const qualified = target === undefined ? undefined : qualifiedName(target);
        if (target !== undefined && !(qualified !== undefined && isFunction(`${qualified}.${k.value.function}`))) {
          walk(target, depth + 1, nesting, bound);
        }
        for (const a of k.value.args) walk(a, depth + 1, nesting, bound);
        return;
      }
      case 'listExpr':
        for (const a of k.value.elements) walk(a, depth + 1, nesting, bound);
        return;
      case 'structExpr':
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') walk(entry.keyKind.value, depth + 1, nesting, bound);
          walk(entry.value, depth + 1, nesting, bound);
        }
        return;
      case 'comprehensionExpr': {
        const c = k.value;
        const inner = nesting + 1;
        if (inner > facts.comprehensionNesting) facts.comprehensionNesting = inner;
        walk(c.iterRange, depth + 1, nesting, bound);
        walk(c.accuInit, depth + 1, nesting, bound);
        const scope = new Set(bound).add(c.iterVar).add(c.accuVar);
        if (c.iterVar2) scope.add(c.iterVar2);
        walk(c.loopCondition, depth + 1, inner, scope);
        walk(c.loopStep, depth + 1, inner, scope);
        walk(c.result, depth + 1, nesting, new Set(bound).add(c.accuVar));
        return;
      }
      default:
        return;
    }
  };
  walk(root, 1, 0, new Set());
  return facts;
}

/** `a.b.c` for a chain of plain field selections on an identifier; undefined otherwise. */
export function qualifiedName(e: Expr): string | undefined {
  const k = e.exprKind;
  if (k.case === 'identExpr') return k.value.name;
  if (k.case === 'selectExpr' && !k.value.testOnly && k.value.operand !== undefined) {
    const parent = qualifiedName(k.value.operand);
    return parent === undefined ? undefined : `${parent}.${k.value.field}`;
  }
  return undefined;
}

/**
 * Rewrites every comprehension so that the evaluator charges the meter: the range once by its
 * size (the library copies it), and each iteration by one unit (the loop condition runs once per
 * iteration, whatever the macro). Mutates `root`, which the engine owns.
 */
export function instrument(root: Expr): void {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const k = e.exprKind;
    switch (k.case) {
      case 'selectExpr':
        if (k.value.operand) stack.push(k.value.operand);
        break;
      case 'callExpr':
        if (k.value.target) stack.push(k.value.target);
        stack.push(...k.value.args);
        break;
      case 'listExpr':
        stack.push(...k.value.elements);
        break;
      case 'structExpr':
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') stack.push(entry.keyKind.value);
          if (entry.value) stack.push(entry.value);
        }
        break;
      case 'comprehensionExpr': {
        const c = k.value;
        for (const part of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]) if (part) stack.push(part);
        if (c.iterRange) c.iterRange = wrap(RANGE_FN, c.iterRange);
        if (c.loopCondition) c.loopCondition = wrap(STEP_FN, c.loopCondition);
        break;
      }
      default:
        break;
    }
  }
}

function wrap(fn: string, inner: Expr): Expr {
  return create(ExprSchema, { id: inner.id, exprKind: { case: 'callExpr', value: { function: fn, args: [inner] } } });
}
