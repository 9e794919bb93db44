import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { GatehouseError, EXIT, errorMessage } from '../../errors.ts';
import { action, createOutput } from '../output.ts';
import { findPolicyFiles, readPolicySources } from '../../config/policy-files.ts';
import {
  ACTIONS,
  compilePolicies,
  compilePoliciesOrThrow,
  evaluatePolicy,
  formatLocation,
  policyTestFileSchema,
  runPolicyTests,
  type Action,
  type PolicyDecision,
  type PolicyProblem,
} from '../../policy/index.ts';

const DEFAULT_POLICY_PATHS = ['policies'];

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Validate, evaluate and test policies');

  policy
    .command('validate')
    .description('Check policy files; every problem with file:line:column')
    .argument('[paths...]', 'policy files or folders', DEFAULT_POLICY_PATHS)
    .option('--json', 'print one JSON document')
    .action(
      action((paths: string[], opts: { json?: boolean }) => {
        const out = createOutput(Boolean(opts.json));
        const sources = readPolicySources(paths);
        const { bundle, problems } = compilePolicies(sources);
        const errors = problems.filter((p) => p.severity === 'error');
        if (out.json) {
          out.document({
            ok: errors.length === 0,
            files: sources.map((s) => s.path),
            bundleDigest: bundle?.digest ?? null,
            policies: bundle ? [...bundle.toolPolicies, ...bundle.guardrailPolicies].map((p) => ({ kind: p.ref.kind, name: p.name })) : [],
            problems: problems.map(problemJson),
          });
        } else {
          for (const p of problems) out.line(formatProblem(p));
          if (bundle) {
            const n = bundle.toolPolicies.length + bundle.guardrailPolicies.length;
            out.line(`ok: ${n} polic${n === 1 ? 'y' : 'ies'} in ${sources.length} file${sources.length === 1 ? '' : 's'}, bundle ${bundle.digest}`);
          } else {
            out.line(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${sources.length} file${sources.length === 1 ? '' : 's'}`);
          }
        }
        return errors.length > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );

  policy
    .command('eval')
    .description('Decide one call against policies (exit 1 when denied)')
    .requiredOption('--policy <path...>', 'policy files or folders')
    .requiredOption('--tool <name>', 'tool name')
    .option('--server <name>', 'MCP server name, or "builtin"', 'builtin')
    .option('--agent <id>', 'agent id', 'agent')
    .option('--tenant <id>', 'tenant')
    .option('--args <json>', 'tool arguments as a JSON object', '{}')
    .option('--session <json>', 'session attributes as a JSON object')
    .option('--global-default <action>', 'decision for calls no policy covers', 'deny')
    .option('--json', 'print one JSON document')
    .action(
      action(
        (opts: {
          policy: string[];
          tool: string;
          server: string;
          agent: string;
          tenant?: string;
          args: string;
          session?: string;
          globalDefault: string;
          json?: boolean;
        }) => {
          const out = createOutput(Boolean(opts.json));
          const globalDefault = parseAction(opts.globalDefault, '--global-default');
          const args = parseJsonOption(opts.args, '--args');
          const session = opts.session !== undefined ? parseJsonOption(opts.session, '--session') : undefined;
          const bundle = compilePoliciesOrThrow(readPolicySources(opts.policy));
          const decision = evaluatePolicy(
            bundle,
            {
              tool: opts.tool,
              server: opts.server,
              agent: { id: opts.agent },
              arguments: args,
              ...(opts.tenant ? { tenant: opts.tenant } : {}),
              ...(session ? { session: session as Record<string, unknown> } : {}),
            },
            { globalDefault },
          );
          if (out.json) out.document(decisionJson(decision));
          else printDecision(out.line, decision);
          return decision.action === 'deny' ? EXIT.FINDINGS : EXIT.OK;
        },
      ),
    );

  policy
    .command('test')
    .description('Run policy test files (*.test.yaml); ends with "N passed, N failed"')
    .argument('[paths...]', 'test files or folders', DEFAULT_POLICY_PATHS)
    .option('--json', 'print one JSON document')
    .action(
      action((paths: string[], opts: { json?: boolean }) => {
        const out = createOutput(Boolean(opts.json));
        const testFiles = findPolicyFiles(paths, { tests: true });
        if (testFiles.length === 0) {
          throw new GatehouseError('USAGE', `no test files (*.test.yaml) in ${paths.join(', ')}`, {
            hint: 'write calls and their expected decisions in a file named like github.test.yaml',
          });
        }
        const report: Array<{ file: string; results: Array<{ name: string; passed: boolean; failures: string[]; decision: unknown }> }> = [];
        let passed = 0;
        let failed = 0;
        for (const file of testFiles) {
          const spec = readTestFile(file);
          const policyPaths = (spec.policies ?? ['.']).map((p) => resolve(dirname(file), p));
          const bundle = compilePoliciesOrThrow(readPolicySources(policyPaths));
          const results = runPolicyTests(bundle, spec);
          out.line(file);
          for (const r of results) {
            if (r.passed) passed++;
            else failed++;
            out.line(`  ${r.passed ? 'PASS' : 'FAIL'} ${r.name}`);
            for (const f of r.failures) out.line(`       ${f}`);
          }
          report.push({ file, results: results.map((r) => ({ name: r.name, passed: r.passed, failures: r.failures, decision: decisionJson(r.decision) })) });
        }
        if (out.json) out.document({ ok: failed === 0, passed, failed, files: report });
        else out.line(`${passed} passed, ${failed} failed`);
        return failed > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}

function readTestFile(file: string) {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (error) {
    throw new GatehouseError('CONFIG_INVALID', `${file}: ${errorMessage(error).split('\n')[0]}`);
  }
  const parsed = policyTestFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GatehouseError('CONFIG_INVALID', `${file} is not a valid policy test file`, {
      details: parsed.error.issues.map((i) => ({ where: `${file}: ${i.path.map(String).join('.') || '(top)'}`, message: i.message })),
    });
  }
  return parsed.data;
}

export function parseJsonOption(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatehouseError('USAGE', `${flag} is not valid JSON: ${errorMessage(error)}`, {
      hint: `quote it for the shell, e.g. ${flag} '{"base":"main"}'`,
    });
  }
}

function parseAction(value: string, flag: string): Action {
  if ((ACTIONS as readonly string[]).includes(value)) return value as Action;
  throw new GatehouseError('USAGE', `${flag} must be one of ${ACTIONS.join(', ')}, not "${value}"`);
}

function problemJson(p: PolicyProblem) {
  return { severity: p.severity, file: p.where.file, line: p.where.line, column: p.where.column, message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
}

function formatProblem(p: PolicyProblem): string {
  return `${formatLocation(p.where)}: ${p.severity}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

export function decisionJson(d: PolicyDecision) {
  return {
    action: d.action,
    reason: d.reason,
    rule: d.rule,
    matched: d.matched,
    bundleDigest: d.bundleDigest,
    ...(d.approval ? { approval: d.approval } : {}),
    ...(d.rateLimits.length ? { rateLimits: d.rateLimits } : {}),
    ...(d.guardrails.findings.length ? { findings: d.guardrails.findings } : {}),
    ...(d.error ? { error: d.error } : {}),
  };
}

function printDecision(line: (s: string) => void, d: PolicyDecision): void {
  line(`decision: ${d.action}`);
  line(`reason:   ${d.reason}`);
  const where = d.rule.file ? ` at ${d.rule.file}:${d.rule.line}:${d.rule.column}` : '';
  line(`rule:     ${d.rule.policy}${d.rule.rule ? ` / ${d.rule.rule}` : ''}${where}`);
  if (d.approval) line(`approval: ${d.approval.type}, expires after ${Math.round(d.approval.timeoutMs / 1000)}s`);
  line(`bundle:   ${d.bundleDigest}`);
}
