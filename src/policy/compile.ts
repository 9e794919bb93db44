import { GatehouseError } from '../errors.ts';
import { createCelEngine, type CelEngine } from './cel/engine.ts';
import { detectorCelFunctions } from './cel-detectors.ts';
import { compileRecognizer } from '../detect/index.ts';
import { compileGlob, GlobSyntaxError, type Glob } from './glob.ts';
import { durationMs } from './duration.ts';
import { bundleDigest, type PolicySource } from './digest.ts';
import { BUILTIN_TOOLS } from './builtin-tools.ts';
import { parseYamlDocuments, formatLocation, type SourceDocument, type SourceProblem } from './source.ts';
import { validateDocument } from './validate.ts';
import { ToolRuleIndex } from './rule-index.ts';
import type { GuardrailPolicyDoc, ToolPolicyDoc } from './schema.ts';
import type {
  CompiledGuardrailPolicy,
  CompiledToolPolicy,
  CompiledToolRule,
  PolicyBundle,
  RuleRef,
  Selector,
} from './types.ts';

export interface PolicyProblem extends SourceProblem {
  severity: 'error' | 'warning';
}

export interface CompileOptions {
  engine?: CelEngine;
}

const DEFAULT_APPROVAL_TIMEOUT_MS = 15 * 60_000;

/**
 * Parses, validates and compiles policy files into a bundle. Returns every problem found;
 * the bundle is returned only when there is no error (a bundle with errors is never usable).
 */
export function compilePolicies(
  sources: readonly PolicySource[],
  options: CompileOptions = {},
): { bundle?: PolicyBundle; problems: PolicyProblem[] } {
  const engine = options.engine ?? defaultEngine();
  const problems: PolicyProblem[] = [];
  const error = (p: SourceProblem) => problems.push({ ...p, severity: 'error' });
  const warn = (p: SourceProblem) => problems.push({ ...p, severity: 'warning' });
  const toolPolicies: CompiledToolPolicy[] = [];
  const guardrailPolicies: CompiledGuardrailPolicy[] = [];
  const seenNames = new Map<string, string>();

  for (const source of sources) {
    const parsed = parseYamlDocuments(source.path, source.text);
    parsed.problems.forEach(error);
    for (const doc of parsed.documents) {
      const { document, problems: docProblems } = validateDocument(doc);
      docProblems.forEach(error);
      if (!document) continue;
      const key = `${document.kind}/${document.metadata.name}`;
      const nameAt = formatLocation(doc.locate(['metadata', 'name']));
      const previous = seenNames.get(key);
      if (previous) {
        error({ where: doc.locate(['metadata', 'name']), message: `duplicate ${key}, first defined at ${previous}` });
        continue;
      }
      seenNames.set(key, nameAt);
      const ctx: DocContext = { doc, engine, error, warn };
      if (document.kind === 'ToolPolicy') {
        const compiled = compileToolPolicy(document, ctx);
        if (compiled) toolPolicies.push(compiled);
      } else {
        const compiled = compileGuardrailPolicy(document, ctx);
        if (compiled) guardrailPolicies.push(compiled);
      }
    }
  }
  if (sources.length > 0 && toolPolicies.length === 0 && guardrailPolicies.length === 0 && problems.length === 0) {
    error({ where: { file: sources[0]!.path, line: 1, column: 1 }, message: 'no policy documents found' });
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return {
    bundle: { digest: bundleDigest(sources), files: sources.map((s) => s.path), toolPolicies, guardrailPolicies },
    problems,
  };
}

/** compilePolicies, throwing POLICY_INVALID with every error when the bundle is not usable. */
export function compilePoliciesOrThrow(sources: readonly PolicySource[], options: CompileOptions = {}): PolicyBundle {
  const { bundle, problems } = compilePolicies(sources, options);
  if (!bundle) {
    const errors = problems.filter((p) => p.severity === 'error');
    throw new GatehouseError('POLICY_INVALID', `policy bundle is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'})`, {
      details: errors.map((p) => ({ where: formatLocation(p.where), message: p.message, ...(p.hint ? { hint: p.hint } : {}) })),
      hint: 'run `gatehouse policy validate` on the files for the full list',
    });
  }
  return bundle;
}

let sharedEngine: CelEngine | undefined;
function defaultEngine(): CelEngine {
  sharedEngine ??= createCelEngine({ functions: detectorCelFunctions });
  return sharedEngine;
}

interface DocContext {
  doc: SourceDocument;
  engine: CelEngine;
  error: (p: SourceProblem) => void;
  warn: (p: SourceProblem) => void;
}

function refAt(ctx: DocContext, kind: RuleRef['kind'], policy: string, rule: string, path: Array<string | number>): RuleRef {
  const loc = ctx.doc.locate(path);
  return { policy, kind, rule, file: loc.file, line: loc.line, column: loc.column };
}

function glob(pattern: string, ctx: DocContext, path: Array<string | number>): Glob | undefined {
  try {
    return compileGlob(pattern);
  } catch (e) {
    if (e instanceof GlobSyntaxError) ctx.error({ where: ctx.doc.locate(path), message: `invalid glob: ${e.message}` });
    else throw e;
    return undefined;
  }
}

function compileSelector(
  spec: { agent?: string; agents?: string[]; mcpServer?: string; tenant?: string },
  ctx: DocContext,
): Selector {
  if (spec.agent !== undefined && spec.agents !== undefined) {
    ctx.error({ where: ctx.doc.locate(['spec', 'agents'], { key: true }), message: 'use either "agent" or "agents", not both' });
  }
  const agentPatterns = spec.agents ?? (spec.agent !== undefined ? [spec.agent] : ['*']);
  const agents = agentPatterns.includes('*')
    ? null
    : agentPatterns
        .map((a, i) => glob(a, ctx, spec.agents ? ['spec', 'agents', i] : ['spec', 'agent']))
        .filter((g): g is Glob => g !== undefined);
  const server = spec.mcpServer === undefined || spec.mcpServer === '*' ? null : (glob(spec.mcpServer, ctx, ['spec', 'mcpServer']) ?? null);
  const tenant = spec.tenant === undefined || spec.tenant === '*' ? null : (glob(spec.tenant, ctx, ['spec', 'tenant']) ?? null);
  return { agents, server, tenant };
}

/** A duration, or (after reporting why at its position) a placeholder: the bundle will not load. */
function checkedDuration(value: string | number, ctx: DocContext, path: Array<string | number>): number {
  try {
    return durationMs(value);
  } catch (e) {
    ctx.error({ where: ctx.doc.locate(path), message: (e as Error).message, ...(e instanceof GatehouseError && e.hint ? { hint: e.hint } : {}) });
    return 1;
  }
}

function compileToolPolicy(doc: ToolPolicyDoc, ctx: DocContext): CompiledToolPolicy | undefined {
  const name = doc.metadata.name;
  const selector = compileSelector(doc.spec, ctx);
  const builtin = doc.spec.mcpServer === 'builtin';
  const rules: CompiledToolRule[] = [];
  doc.spec.rules.forEach((rule, i) => {
    const base = ['spec', 'rules', i];
    const ruleName = rule.name ?? `rules[${i}]`;
    const tools = rule.tools
      .map((t, j) => {
        const g = glob(t, ctx, [...base, 'tools', j]);
        if (g && builtin && !BUILTIN_TOOLS.some((b) => g.test(b))) {
          ctx.error({
            where: ctx.doc.locate([...base, 'tools', j]),
            message: `"${t}" matches no builtin tool`,
            hint: `builtin tools: ${BUILTIN_TOOLS.join(', ')}`,
          });
        }
        return g;
      })
      .filter((g): g is Glob => g !== undefined);
    const conditions = (rule.conditions ?? []).flatMap((c, j) => {
      const path = [...base, 'conditions', j, 'cel'];
      const where = formatLocation(ctx.doc.locate(path));
      try {
        return [{ source: c.cel, where, program: ctx.engine.compile(c.cel, where) }];
      } catch (e) {
        ctx.error({ where: ctx.doc.locate(path), message: `invalid CEL: ${(e as Error).message}` });
        return [];
      }
    });
    if (rule.approval && rule.action !== 'require_approval') {
      ctx.warn({ where: ctx.doc.locate([...base, 'approval'], { key: true }), message: `"approval" has no effect on a rule whose action is ${rule.action}` });
    }
    let rateLimit: CompiledToolRule['rateLimit'];
    if (rule.rateLimit) {
      const keyPath = [...base, 'rateLimit', 'key'];
      let key;
      if (rule.rateLimit.key) {
        try {
          key = ctx.engine.compile(rule.rateLimit.key, formatLocation(ctx.doc.locate(keyPath)));
        } catch (e) {
          ctx.error({ where: ctx.doc.locate(keyPath), message: `invalid CEL: ${(e as Error).message}` });
        }
      }
      const windowMs = checkedDuration(rule.rateLimit.per, ctx, [...base, 'rateLimit', 'per']);
      rateLimit = { limit: rule.rateLimit.limit, windowMs, ...(key ? { key } : {}) };
    }
    rules.push({
      ref: refAt(ctx, 'ToolPolicy', name, ruleName, base),
      tools,
      action: rule.action,
      conditions,
      ...(rule.action === 'require_approval'
        ? {
            approval: {
              type: rule.approval?.type ?? 'human-in-the-loop',
              timeoutMs:
                rule.approval?.timeout !== undefined
                  ? checkedDuration(rule.approval.timeout, ctx, [...base, 'approval', 'timeout'])
                  : DEFAULT_APPROVAL_TIMEOUT_MS,
              ...(rule.approval?.approvers ? { approvers: rule.approval.approvers } : {}),
            },
          }
        : {}),
      ...(rateLimit ? { rateLimit } : {}),
      ...(rule.reason ? { reason: rule.reason } : {}),
    });
  });
  const policy = {
    name,
    ref: refAt(ctx, 'ToolPolicy', name, '', ['metadata', 'name']),
    selector,
    defaultAction: doc.spec.defaultAction,
    defaultRef: refAt(ctx, 'ToolPolicy', name, 'defaultAction', ['spec', 'defaultAction']),
    rules,
  };
  return { ...policy, index: new ToolRuleIndex(policy) };
}

function compileGuardrailPolicy(doc: GuardrailPolicyDoc, ctx: DocContext): CompiledGuardrailPolicy | undefined {
  const name = doc.metadata.name;
  const recognizers = doc.spec.recognizers ?? [];
  const recognizerNames = new Set(recognizers.map((r) => r.name));
  recognizers.forEach((r, i) => {
    try {
      compileRecognizer(r);
    } catch (e) {
      ctx.error({ where: ctx.doc.locate(['spec', 'recognizers', i, 'pattern']), message: `recognizer "${r.name}": ${(e as Error).message}` });
    }
  });
  const rules = doc.spec.rules.map((rule, i) => {
    const base = ['spec', 'rules', i];
    if (rule.redaction?.mode === 'encrypt' && !rule.redaction.keyId) {
      ctx.error({ where: ctx.doc.locate([...base, 'redaction']), message: 'redaction mode "encrypt" needs a keyId' });
    }
    if (rule.detector === 'custom') {
      for (const [j, t] of (rule.types ?? []).entries()) {
        if (!recognizerNames.has(t)) {
          ctx.error({ where: ctx.doc.locate([...base, 'types', j]), message: `no recognizer named "${t}" in spec.recognizers` });
        }
      }
    }
    const applyTo = rule.redaction?.applyTo ?? ['ledger'];
    // PII and secrets never enter the (append-only) ledger in clear unless a rule says so
    const sensitive = rule.sensitive ?? (rule.action === 'redact' || rule.detector === 'pii' || rule.detector === 'secrets');
    const redaction = rule.redaction
      ? { mode: rule.redaction.mode, ...(rule.redaction.keyId ? { keyId: rule.redaction.keyId } : {}) }
      : sensitive
        ? { mode: 'mask' as const }
        : undefined;
    return {
      name: rule.name ?? `rules[${i}]`,
      detector: rule.detector,
      ...(rule.types ? { types: rule.types } : {}),
      surfaces: rule.on,
      ...(rule.minConfidence !== undefined ? { minConfidence: rule.minConfidence } : {}),
      action: rule.action,
      ...(redaction ? { redaction } : {}),
      ref: refAt(ctx, 'GuardrailPolicy', name, rule.name ?? `rules[${i}]`, base),
      applyTo: applyTo.includes('ledger') ? applyTo : [...applyTo, 'ledger' as const],
      sensitive,
    };
  });
  return {
    name,
    ref: refAt(ctx, 'GuardrailPolicy', name, '', ['metadata', 'name']),
    selector: compileSelector(doc.spec, ctx),
    rules,
    recognizers: recognizers.map((r) => ({
      name: r.name,
      pattern: r.pattern,
      ...(r.flags ? { flags: r.flags } : {}),
      ...(r.validator ? { validator: r.validator } : {}),
      ...(r.context ? { context: r.context } : {}),
      ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
    })),
  };
}
