// Runs cases of the official CEL conformance suite (@bufbuild/cel-spec) through Gatehouse's own
// engine (createCelEngine: our environment, functions, instrumentation and limits), comparing
// typed CEL results via CompiledProgram.evaluateRaw.
import { celList, celMap, celUint, isCelList, isCelMap, isCelType, isCelUint } from '@bufbuild/cel';
import { equals, isMessage, type Registry } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js';
import { getConformanceSuite, type IncrementalTest, type IncrementalTestSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import { getTestRegistry } from '@bufbuild/cel-spec/testdata/registry.js';
import { createCelEngine, CompiledProgram, type CelEngine } from '../../src/policy/cel/engine.ts';
import { GatehouseError } from '../../src/errors.ts';

export const SECTIONS = ['basic', 'comparisons', 'conversions', 'fields', 'fp_math', 'integer_math', 'lists', 'logic', 'macros', 'macros2', 'namespace', 'parse', 'plumbing', 'string', 'string_ext', 'timestamps'];

export interface CaseResult {
  id: string;
  section: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
}

const registry: Registry = getTestRegistry();
const engines = new Map<string, CelEngine>();
export function engineFor(container: string): CelEngine {
  let e = engines.get(container);
  if (e === undefined) {
    e = createCelEngine({ variables: '*' }, { registry, container });
    engines.set(container, e);
  }
  return e;
}

export function toCel(v: Value): unknown {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue': return null;
    case 'boolValue': case 'stringValue': case 'doubleValue': case 'int64Value': case 'bytesValue': return k.value;
    case 'uint64Value': return celUint(k.value);
    case 'enumValue': return BigInt(k.value.value);
    case 'listValue': return celList(k.value.values.map(toCel) as never);
    case 'mapValue': return celMap(new Map(k.value.entries.map((e) => [toCel(e.key!), toCel(e.value!)])) as never);
    case 'objectValue': {
      const m = anyUnpack(k.value, registry);
      if (m === undefined) throw new Error(`cannot unpack ${k.value.typeUrl}`);
      return m;
    }
    case 'typeValue': return { typeName: k.value };
    default: throw new Error(`unsupported value kind ${String(k.case)}`);
  }
}

function same(actual: unknown, expected: Value): boolean {
  const k = expected.kind;
  switch (k.case) {
    case 'nullValue': return actual === null;
    case 'boolValue': case 'stringValue': case 'int64Value': return actual === k.value;
    case 'doubleValue': return typeof actual === 'number' && (actual === k.value || (Number.isNaN(actual) && Number.isNaN(k.value)));
    case 'uint64Value': return isCelUint(actual) && actual.value === k.value;
    case 'enumValue': return actual === BigInt(k.value.value);
    case 'bytesValue': return actual instanceof Uint8Array && actual.length === k.value.length && actual.every((b, i) => b === k.value[i]);
    case 'typeValue': return isCelType(actual) && actual.name === k.value;
    case 'listValue': {
      if (!isCelList(actual) || actual.size !== k.value.values.length) return false;
      let i = 0;
      for (const item of actual) if (!same(item, k.value.values[i++]!)) return false;
      return true;
    }
    case 'mapValue': {
      if (!isCelMap(actual) || actual.size !== k.value.entries.length) return false;
      return k.value.entries.every((e) => {
        const got = actual.get(toCel(e.key!) as never);
        return got !== undefined && same(got, e.value!);
      });
    }
    case 'objectValue': {
      const m = anyUnpack(k.value, registry);
      if (m === undefined) return false;
      const got = isReflectMessage(actual) ? actual.message : actual;
      if (!isMessage(got)) {
        // Wrapper types arrive unwrapped as scalars.
        const inner = (m as unknown as { value?: unknown }).value;
        return inner !== undefined && (got === inner || (isCelUint(got) && got.value === inner));
      }
      const desc = registry.getMessage(m.$typeName);
      return desc !== undefined && got.$typeName === m.$typeName && equals(desc, m, got as never);
    }
    default: return false;
  }
}

function runCase(t: IncrementalTest): { status: 'pass' | 'fail' | 'skip'; reason?: string } {
  const o = t.original;
  if (o.checkOnly) return { status: 'skip', reason: 'type-check only (the engine does not type-check)' };
  const m = o.resultMatcher;
  if (m.case === 'unknown' || m.case === 'anyUnknowns') return { status: 'skip', reason: 'unknown-value results are not supported' };
  const bindings: Record<string, unknown> = {};
  try {
    for (const [name, ev] of Object.entries(o.bindings)) {
      if (ev.kind.case !== 'value') return { status: 'skip', reason: 'error/unknown bindings' };
      bindings[name] = toCel(ev.kind.value);
    }
  } catch (e) {
    return { status: 'fail', reason: `binding: ${(e as Error).message}` };
  }
  let result: unknown;
  try {
    const program = engineFor(o.container).compile(o.expr);
    result = (program as CompiledProgram).evaluateRaw(bindings);
  } catch (e) {
    const code = e instanceof GatehouseError ? e.code : 'THROW';
    if ((m.case === 'evalError' || m.case === 'anyEvalErrors') && code !== 'THROW') return { status: 'pass' };
    return { status: 'fail', reason: `${code}: ${(e as Error).message.slice(0, 200)}` };
  }
  if (m.case === 'evalError' || m.case === 'anyEvalErrors') return { status: 'fail', reason: 'expected an error, got a value' };
  const expected = m.case === 'value' ? m.value : m.case === 'typedResult' ? m.value.result : undefined;
  if (expected === undefined) return { status: m.case === undefined ? 'pass' : 'skip', reason: 'no expected value' };
  return same(result, expected) ? { status: 'pass' } : { status: 'fail', reason: 'wrong result' };
}

/** Every case of the sections Gatehouse runs, with its id and section. */
export function conformanceCases(): Array<{ id: string; section: string; test: IncrementalTest }> {
  const out: Array<{ id: string; section: string; test: IncrementalTest }> = [];
  const visit = (suite: IncrementalTestSuite, path: string[], section: string): void => {
    for (const t of suite.tests) out.push({ id: [...path, t.name].join('/'), section, test: t });
    for (const s of suite.suites) visit(s, [...path, s.name], section);
  };
  for (const section of getConformanceSuite().suites) {
    if (SECTIONS.includes(section.name)) visit(section, [section.name], section.name);
  }
  return out;
}

export function runConformance(): CaseResult[] {
  return conformanceCases().map(({ id, section, test }) => ({ id, section, ...runCase(test) }));
}
