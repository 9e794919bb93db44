/**
 * Deployments and the call mix for bench/governor.ts: a temp folder with gatehouse.yaml and the
 * example policies as shipped (or a labelled policy-only variant without the GuardrailPolicy),
 * and realistic tool calls with the decision each must get.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { ApiKeyService } from '../src/auth/index.ts';
import { openSqlite } from '../src/store/sqlite/database.ts';
import { SqliteApiKeyStore } from '../src/store/sqlite/apikeys-store.ts';

const EXAMPLES = fileURLToPath(new URL('../examples/policies/', import.meta.url));

export type PolicySet = 'shipped' | 'policy-only';

export interface BenchDeployment {
  dir: string;
  configFile: string;
  dbPath: string;
  cleanup(): void;
}

/**
 * shipped: examples/policies/{github,builtin,guardrails}.yaml unchanged (guardrails run the
 * secrets and PII detectors on every call's arguments). policy-only: the same without guardrails.yaml.
 * `root` picks the filesystem (the default temp dir is on disk; /dev/shm is tmpfs, where fsync is a no-op).
 */
export function benchDeployment(policies: PolicySet, root = tmpdir()): BenchDeployment {
  const dir = mkdtempSync(join(root, 'gatehouse-governor-bench-'));
  mkdirSync(join(dir, 'policies'));
  const files = policies === 'shipped' ? ['github.yaml', 'builtin.yaml', 'guardrails.yaml'] : ['github.yaml', 'builtin.yaml'];
  for (const f of files) copyFileSync(join(EXAMPLES, f), join(dir, 'policies', f));
  const configFile = join(dir, 'gatehouse.yaml');
  writeFileSync(configFile, stringify({ policies: ['policies'], store: { path: 'data/gatehouse.db' } }));
  return { dir, configFile, dbPath: join(dir, 'data', 'gatehouse.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Creates an agent API key in the deployment's database before the server opens it. */
export async function createAgentKey(dbPath: string, agent: string): Promise<string> {
  const db = openSqlite(dbPath);
  try {
    const keys = new ApiKeyService(new SqliteApiKeyStore(db));
    return (await keys.createKey({ tenant: 'acme', role: 'agent', agent })).token;
  } finally {
    db.close();
  }
}

export interface BenchCall {
  label: string;
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** The decision the shipped policies give (checked before measuring). */
  expect: 'allow' | 'deny';
  /** The GuardrailPolicy's PII detector finds a card number (masked in the ledger copy) under the shipped policies. */
  pii?: boolean;
  /** Expected decision when the GuardrailPolicy is absent, where it differs. */
  expectPolicyOnly?: 'allow' | 'deny';
}

export const AGENT = 'dev-assistant';

const ISSUE_BODY =
  'The nightly integration job fails intermittently on the payments service. Steps to reproduce: run `npm test -- --grep checkout` ' +
  'three times in a row; the second run times out waiting for the sandbox. Logs attached below.\n' +
  'at CheckoutSession.confirm (src/checkout/session.ts:214:11)\nat processTicksAndRejections (node:internal/process/task_queues:95:5)';

/**
 * 12 calls, cycled in order: 7 allowed (one with a card number the GuardrailPolicy masks in the ledger),
 * 5 denied (policy rule, default deny, global default, secret in arguments). No call needs an
 * approval and none hits a rule with a rateLimit (builtin bash / web_* are left out on purpose).
 */
export const CALLS: BenchCall[] = [
  { label: 'create_issue', server: 'github', tool: 'create_issue', expect: 'allow', arguments: { owner: 'acme', repo: 'payments', title: 'Flaky checkout test in nightly CI', body: ISSUE_BODY, labels: ['bug', 'ci'] } },
  { label: 'list_issues', server: 'github', tool: 'list_issues', expect: 'allow', arguments: { owner: 'acme', repo: 'payments', state: 'open', labels: ['bug'], per_page: 30 } },
  { label: 'get_file_contents', server: 'github', tool: 'get_file_contents', expect: 'allow', arguments: { owner: 'acme', repo: 'payments', path: 'src/checkout/session.ts', ref: 'develop' } },
  { label: 'create_pull_request develop', server: 'github', tool: 'create_pull_request', expect: 'allow', arguments: { owner: 'acme', repo: 'payments', title: 'Fix sandbox timeout', head: 'fix/sandbox-timeout', base: 'develop', body: 'Raises the sandbox wait to 30 s and retries once.' } },
  { label: 'create_pull_request main', server: 'github', tool: 'create_pull_request', expect: 'deny', arguments: { owner: 'acme', repo: 'payments', title: 'Hotfix', head: 'hotfix/checkout', base: 'main' } },
  { label: 'delete_file', server: 'github', tool: 'delete_file', expect: 'deny', arguments: { owner: 'acme', repo: 'payments', path: 'src/checkout/legacy.ts', message: 'remove legacy checkout', branch: 'develop' } },
  { label: 'create_issue with AWS key', server: 'github', tool: 'create_issue', expect: 'deny', expectPolicyOnly: 'allow', arguments: { owner: 'acme', repo: 'payments', title: 'Deploy fails', body: 'deploy script uses AKIAZ7QXKW3M5PLTR4VN with secret aws_secret_access_key = "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" and fails with 403' } },
  { label: 'create_issue with card', server: 'github', tool: 'create_issue', expect: 'allow', pii: true, arguments: { owner: 'acme', repo: 'payments', title: 'Refund failed', body: 'Customer card 4111 1111 1111 1111 was charged twice; refund job errored.' } },
  { label: 'builtin read', server: 'builtin', tool: 'read', expect: 'allow', arguments: { file_path: '/workspace/payments/src/checkout/session.ts' } },
  { label: 'builtin grep', server: 'builtin', tool: 'grep', expect: 'allow', arguments: { pattern: 'confirm\\(', path: '/workspace/payments/src', output_mode: 'content' } },
  { label: 'builtin write (no rule: default deny)', server: 'builtin', tool: 'notebook_edit', expect: 'deny', arguments: { notebook_path: '/workspace/analysis.ipynb', new_source: 'print(1)' } },
  { label: 'unknown server (global default)', server: 'jira', tool: 'create_ticket', expect: 'deny', arguments: { project: 'PAY', summary: 'Flaky test' } },
];

export function expected(call: BenchCall, policies: PolicySet): 'allow' | 'deny' {
  return policies === 'policy-only' ? (call.expectPolicyOnly ?? call.expect) : call.expect;
}
