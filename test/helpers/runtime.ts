import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/runtime.ts';

export const POLICY = `
kind: ToolPolicy
metadata: { name: github-dev-agent }
spec:
  agent: dev-assistant
  mcpServer: github
  defaultAction: deny
  rules:
  - { name: read, tools: [create_issue, list_issues, get_file_contents], action: allow }
  - name: prs
    tools: [create_pull_request]
    action: allow
    conditions: [{ cel: "!request.arguments.base.matches('main|production')" }]
  - name: merge
    tools: [merge_pull_request]
    action: require_approval
    approval: { timeout: 30m }
  - name: quick-merge
    tools: [quick_merge]
    action: require_approval
    approval: { timeout: 1s }
  - name: search
    tools: [search_code]
    action: allow
    rateLimit: { limit: 2, per: 1m }
  - { name: no-writes, tools: [delete_file, create_or_update_file], action: deny }
---
kind: GuardrailPolicy
metadata: { name: data-protection }
spec:
  rules:
  - { name: no-secrets, detector: secrets, on: [arguments], action: deny }
  - name: mask-cards
    detector: pii
    types: [credit_card]
    on: [arguments, result]
    action: redact
    redaction: { mode: mask, applyTo: [ledger, agent] }
  - { name: injection, detector: injection, on: [result], minConfidence: 0.7, action: require_approval }
`;

export interface TestDeployment {
  dir: string;
  policyFile: string;
  configFile: string;
  open(overrides?: Partial<RuntimeOptions> & { config?: Record<string, unknown> }): Promise<Runtime>;
  cleanup(): Promise<void>;
}

/** A folder with gatehouse.yaml, a policy and a fresh SQLite database. */
export function testDeployment(policy = POLICY, config: Record<string, unknown> = {}): TestDeployment {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  mkdirSync(join(dir, 'policies'));
  const policyFile = join(dir, 'policies', 'policy.yaml');
  writeFileSync(policyFile, policy);
  const configFile = join(dir, 'gatehouse.yaml');
  writeFileSync(configFile, stringify({ policies: ['policies'], store: { path: 'data/gatehouse.db' }, ...config }));
  const runtimes: Runtime[] = [];
  return {
    dir,
    policyFile,
    configFile,
    async open(overrides = {}) {
      if (overrides.config) writeFileSync(configFile, stringify({ policies: ['policies'], store: { path: 'data/gatehouse.db' }, ...config, ...overrides.config }));
      const runtime = await openRuntime({ loaded: loadConfig({ config: configFile }), maintenanceIntervalMs: 100, ...overrides });
      runtimes.push(runtime);
      return runtime;
    },
    async cleanup() {
      await Promise.allSettled(runtimes.map((r) => r.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const dev = { agent: { id: 'dev-assistant' }, server: 'github', enforcementPoint: 'sdk' as const };
