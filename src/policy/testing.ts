import { z } from 'zod';
import { ACTIONS } from './schema.ts';
import { evaluatePolicy, type EvaluateOptions } from './evaluate.ts';
import type { PolicyBundle, PolicyDecision } from './types.ts';

/** A policy test file (*.test.yaml): calls and the decisions expected for them, like `opa test`. */
export const policyTestFileSchema = z.strictObject({
  policies: z.array(z.string().min(1)).optional().describe('Policy files or folders, relative to this file; default: its folder'),
  globalDefault: z.enum(ACTIONS).optional(),
  tests: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        tool: z.string().min(1),
        server: z.string().min(1).default('builtin'),
        agent: z.string().min(1).default('agent'),
        tenant: z.string().optional(),
        session: z.record(z.string(), z.unknown()).optional(),
        args: z.unknown().optional(),
        now: z.string().datetime({ offset: true }).optional(),
        expect: z.union([
          z.enum(ACTIONS),
          z.strictObject({
            action: z.enum(ACTIONS),
            rule: z.string().optional().describe('Expected deciding rule name'),
            policy: z.string().optional().describe('Expected deciding policy name'),
            reasonContains: z.string().optional(),
          }),
        ]),
      }),
    )
    .min(1),
});
export type PolicyTestFile = z.output<typeof policyTestFileSchema>;
export type PolicyTestCase = PolicyTestFile['tests'][number];

export interface PolicyTestResult {
  name: string;
  passed: boolean;
  decision: PolicyDecision;
  failures: string[];
}

export function runPolicyTests(bundle: PolicyBundle, file: PolicyTestFile, options: EvaluateOptions = {}): PolicyTestResult[] {
  return file.tests.map((t) => {
    const decision = evaluatePolicy(
      bundle,
      {
        tool: t.tool,
        server: t.server,
        agent: { id: t.agent },
        arguments: t.args ?? {},
        ...(t.tenant !== undefined ? { tenant: t.tenant } : {}),
        ...(t.session ? { session: t.session } : {}),
        ...(t.now ? { now: new Date(t.now) } : {}),
      },
      { globalDefault: file.globalDefault ?? options.globalDefault ?? 'deny' },
    );
    const expect = typeof t.expect === 'string' ? { action: t.expect } : t.expect;
    const failures: string[] = [];
    if (decision.action !== expect.action) failures.push(`expected ${expect.action}, got ${decision.action} (${decision.reason})`);
    if ('rule' in expect && expect.rule !== undefined && decision.rule.rule !== expect.rule) {
      failures.push(`expected rule "${expect.rule}", got "${decision.rule.rule}"`);
    }
    if ('policy' in expect && expect.policy !== undefined && decision.rule.policy !== expect.policy) {
      failures.push(`expected policy "${expect.policy}", got "${decision.rule.policy}"`);
    }
    if ('reasonContains' in expect && expect.reasonContains !== undefined && !decision.reason.includes(expect.reasonContains)) {
      failures.push(`expected reason to contain "${expect.reasonContains}", got "${decision.reason}"`);
    }
    return { name: t.name, passed: failures.length === 0, decision, failures };
  });
}
