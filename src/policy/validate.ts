import { z } from 'zod';
import { KINDS, policyDocumentSchema, toolPolicySchema, guardrailPolicySchema, type PolicyDocument } from './schema.ts';
import type { SourceDocument, SourceProblem } from './source.ts';
import { nearest } from './nearest.ts';

/** Validates one YAML document against the schema; every problem points at file:line:column. */
export function validateDocument(source: SourceDocument): { document?: PolicyDocument; problems: SourceProblem[] } {
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [{ where: source.locate([]), message: 'a policy document must be a mapping with kind, metadata and spec' }] };
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const guess = typeof kind === 'string' ? nearest(kind, KINDS) : undefined;
    return {
      problems: [
        {
          where: source.locate(['kind']),
          message: kind === undefined ? 'missing "kind"' : `unknown kind ${JSON.stringify(kind)}`,
          hint: guess ? `did you mean "${guess}"?` : `known kinds: ${KINDS.join(', ')}`,
        },
      ],
    };
  }
  const result = policyDocumentSchema.safeParse(value);
  if (result.success) return { document: result.data, problems: [] };
  const root = kind === 'ToolPolicy' ? toolPolicySchema : guardrailPolicySchema;
  return { problems: result.error.issues.flatMap((issue) => toProblems(issue, source, root)) };
}

function toProblems(issue: z.core.$ZodIssue, source: SourceDocument, root: z.ZodType): SourceProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(root, path);
    return issue.keys.map((key) => {
      const guess = nearest(key, allowed);
      return {
        where: source.locate([...path, key], { key: true }),
        message: `unknown key "${key}"${path.length ? ` in ${dotted(path)}` : ''}`,
        hint: guess ? `did you mean "${guess}"?` : allowed.length ? `valid keys: ${allowed.join(', ')}` : undefined,
      } as SourceProblem;
    });
  }
  const missing = getAt(source.value, path) === undefined;
  return [
    {
      where: source.locate(path),
      message: missing ? `missing required "${dotted(path)}"` : `${dotted(path) || 'document'}: ${issue.message}`,
    },
  ];
}

function dotted(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function getAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** The keys an object schema allows at a path (for "did you mean" hints). */
function keysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject && typeof segment === 'string') current = current.shape[segment] as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}
