// The CEL conformance suite through the compiled fast path alone: every case whose expression
// the fast path compiles and whose bindings are plain data (what the fast path reads) must give
// the expected value, or an error where one is expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCelList, isCelMap } from '@bufbuild/cel';
import { conformanceCases, engineFor, SECTIONS, toCel } from './cel-conformance-harness.ts';
import { fromCelValue } from '../../src/policy/cel/values.ts';
import type { CompiledProgram } from '../../src/policy/cel/engine.ts';

const NOT_PLAIN = Symbol('not plain');

/** A CEL binding as the plain JSON-like value the fast path reads, if there is one. */
function toPlain(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Object.is(v, -0) || Number.isNaN(v) ? NOT_PLAIN : v;
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : NOT_PLAIN;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (v === null) return null;
  if (isCelList(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const p = toPlain(x);
      if (p === NOT_PLAIN) return NOT_PLAIN;
      out.push(p);
    }
    return out;
  }
  if (isCelMap(v)) {
    const entries: Array<[string, unknown]> = [];
    for (const [k, x] of v.entries()) {
      const p = toPlain(x);
      if (typeof k !== 'string' || p === NOT_PLAIN) return NOT_PLAIN;
      entries.push([k, p]);
    }
    return Object.fromEntries(entries);
  }
  return NOT_PLAIN;
}

test('CEL conformance through the fast path: every case it handles agrees with the expected result', (t) => {
  const handled = new Map<string, number>();
  const failures: string[] = [];
  for (const { id, section, test: c } of conformanceCases()) {
    const o = c.original;
    const m = o.resultMatcher;
    if (o.checkOnly || o.container !== '' || m.case === 'unknown' || m.case === 'anyUnknowns') continue;
    const vars: Record<string, unknown> = {};
    let plain = true;
    for (const [name, ev] of Object.entries(o.bindings)) {
      const p = ev.kind.case === 'value' && !name.includes('.') ? toPlain(toCel(ev.kind.value)) : NOT_PLAIN;
      if (p === NOT_PLAIN) plain = false;
      vars[name] = p;
    }
    if (!plain) continue;
    let program: CompiledProgram;
    try {
      program = engineFor('').compile(o.expr) as CompiledProgram;
    } catch {
      continue; // a compile error: the library path's business
    }
    if (!program.hasFastPath) continue;
    const fast = program.trace(vars, 'fast');
    if (fast.outcome === 'fallback') continue;
    handled.set(section, (handled.get(section) ?? 0) + 1);
    const expectsError = m.case === 'evalError' || m.case === 'anyEvalErrors';
    const expected = m.case === 'value' ? m.value : m.case === 'typedResult' ? m.value.result : undefined;
    if (fast.outcome === 'value') {
      if (expectsError || expected === undefined) failures.push(`${id}: expected an error, fast path gave ${String(fast.value)}`);
      else {
        try {
          assert.deepStrictEqual(fast.value, fromCelValue(toCel(expected)));
        } catch {
          failures.push(`${id}: ${o.expr} gave ${String(fast.value)}`);
        }
      }
    } else if (!expectsError) failures.push(`${id}: ${o.expr} gave ${fast.outcome}`);
  }
  const total = [...handled.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`fast path handled ${total} conformance cases: ${SECTIONS.filter((s) => handled.has(s)).map((s) => `${s} ${handled.get(s)}`).join(', ')}`);
  assert.deepEqual(failures, []);
  assert.ok(total > 150, `only ${total} cases reached the fast path`);
});
