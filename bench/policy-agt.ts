/**
 * The benchmark policy translated to the Agent Governance Toolkit's TypeScript SDK
 * (@microsoft/agent-governance-sdk 4.0.0): PolicyEngine.evaluatePolicy(agentId, context) over
 * Policy documents whose rules carry a condition string and a ruleAction.
 *
 * Its condition language compares one context path with a literal (==, !=, <, <=, >, >= on
 * numbers, `in [...]`, `not in [...]`, a bare path for truthiness) joined by `and`/`or` without
 * parentheses. Policies select agents (agent/agents) but not servers or tools, so each rule
 * starts with `server == '...' and tool ...`; tool globs become `tool in [...]` over the tool
 * names of the call mix. Everything else (regex, prefix/suffix/substring, lengths, sizes,
 * quantifiers) is a host-computed fact (bench/policy-facts.ts). Conflict strategy DenyOverrides;
 * require_approval rules get priority 2 and allow rules 1, so deny > require_approval > allow.
 * Every document defaults to deny, as in the YAML.
 */
import { ConflictResolutionStrategy, PolicyEngine, type Policy, type PolicyRule } from '@microsoft/agent-governance-sdk';
import type { BenchCall } from './policy-calls.ts';
import { agtFacts } from './policy-facts.ts';
import type { Decision } from './policy-engines.ts';

interface AgtRule {
  action: Decision;
  condition: string;
  /** Set when the rule reads a host-computed fact. */
  facts?: string;
  /** Set when the translation is not exact. */
  inexact?: string;
}

const on = (server: string, tools: string) => `server == '${server}' and ${tools}`;
const tool = (name: string) => `tool == '${name}'`;
const tools = (...names: string[]) => `tool in [${names.map((n) => `'${n}'`).join(', ')}]`;
const GLOB_NOTE = 'tool glob listed as the tool names of the call mix';
const F = 'host fact';

export const AGT_DOCS: Array<{ name: string; agents: string[]; rules: Record<string, AgtRule> }> = [
  {
    name: 'github-dev',
    agents: ['dev-assistant', 'release-bot'],
    rules: {
      'gh-read': { action: 'allow', condition: on('github', tools('get_file_contents', 'list_issues', 'search_code', 'list_pull_requests')), inexact: GLOB_NOTE },
      'gh-issue-create': { action: 'allow', condition: `${on('github', tool('create_issue'))} and facts.title_len <= 256`, facts: F },
      'gh-issue-sensitive-labels': { action: 'require_approval', condition: `${on('github', tool('create_issue'))} and facts.sensitive_label == true`, facts: F },
      'gh-pr-feature-branch': { action: 'allow', condition: `${on('github', tool('create_pull_request'))} and facts.protected_base == false`, facts: F },
      'gh-pr-release': { action: 'require_approval', condition: `${on('github', tool('create_pull_request'))} and facts.release_version_base == true`, facts: F },
      'gh-merge': { action: 'require_approval', condition: on('github', tool('merge_pull_request')) },
      'gh-merge-method': {
        action: 'deny',
        condition: `${on('github', tool('merge_pull_request'))} and args.merge_method and args.merge_method not in ['squash', 'merge']`,
        inexact: 'has(x) becomes truthiness: an empty merge_method would not match',
      },
      'gh-no-delete': { action: 'deny', condition: on('github', tool('delete_file')) },
      'gh-write-feature': { action: 'allow', condition: `${on('github', tool('create_or_update_file'))} and args.branch not in ['main', 'master', 'production'] and facts.workflow_path == false`, facts: F },
      'gh-write-workflows': { action: 'deny', condition: `${on('github', tool('create_or_update_file'))} and facts.workflow_path == true`, facts: F },
      'gh-push-sensitive': { action: 'deny', condition: `${on('github', tool('push_files'))} and facts.sensitive_file == true`, facts: F },
      'gh-push-small': { action: 'allow', condition: `${on('github', tool('push_files'))} and facts.file_count <= 20 and args.branch not in ['main', 'master', 'production']`, facts: F },
      'gh-comment': { action: 'allow', condition: `${on('github', tool('add_issue_comment'))} and facts.body_len < 65536`, facts: F },
    },
  },
  {
    name: 'slack-support',
    agents: ['support-bot', 'dev-assistant'],
    rules: {
      'sl-read': { action: 'allow', condition: on('slack', tools('list_channels', 'get_channel_history', 'get_user_profile')), inexact: GLOB_NOTE },
      'sl-history-limit': { action: 'deny', condition: `${on('slack', tool('get_channel_history'))} and args.limit > 1000` },
      'sl-post': { action: 'allow', condition: `${on('slack', tool('post_message'))} and facts.channel_hash == true`, facts: F },
      'sl-post-restricted': { action: 'deny', condition: `${on('slack', tool('post_message'))} and args.channel in ['#exec', '#board', '#legal']` },
      'sl-secrets': { action: 'require_approval', condition: `${on('slack', tools('post_message', 'send_dm'))} and facts.mentions_secret == true`, facts: F },
      'sl-post-long': { action: 'require_approval', condition: `${on('slack', tool('post_message'))} and facts.text_len > 4000`, facts: F },
      'sl-dm': { action: 'allow', condition: `${on('slack', tool('send_dm'))} and facts.slack_user_id == true`, facts: F },
      'sl-invite-external': { action: 'deny', condition: `${on('slack', tool('invite_user'))} and facts.acme_email == false`, facts: F },
      'sl-invite': { action: 'require_approval', condition: on('slack', tool('invite_user')) },
      'sl-upload-sheet': { action: 'require_approval', condition: `${on('slack', tool('upload_file'))} and facts.sheet_file == true`, facts: F },
    },
  },
  {
    name: 'filesystem',
    agents: ['*'],
    rules: {
      'fs-read': { action: 'allow', condition: `${on('filesystem', tools('read_file', 'list_directory'))} and facts.in_workspace == true`, facts: F },
      'fs-read-secrets': { action: 'deny', condition: `${on('filesystem', tool('read_file'))} and facts.secret_path == true`, facts: F },
      'fs-write': { action: 'allow', condition: `${on('filesystem', tool('write_file'))} and facts.in_workspace == true and facts.content_len <= 65536`, facts: F },
      'fs-traversal': { action: 'deny', condition: `${on('filesystem', tools('read_file', 'write_file', 'delete_file', 'list_directory'))} and facts.traversal == true`, facts: F },
      'fs-write-infra': { action: 'require_approval', condition: `${on('filesystem', tool('write_file'))} and facts.infra_path == true`, facts: F },
      'fs-delete': { action: 'require_approval', condition: `${on('filesystem', tool('delete_file'))} and facts.in_workspace == true`, facts: F },
      'fs-delete-recursive': { action: 'deny', condition: `${on('filesystem', tool('delete_file'))} and args.recursive == true` },
      'fs-move': { action: 'allow', condition: `${on('filesystem', tool('move_file'))} and facts.move_in_workspace == true`, facts: F },
    },
  },
  {
    name: 'builtin-tools',
    agents: ['*'],
    rules: {
      'bi-read': { action: 'allow', condition: on('builtin', tools('read', 'glob', 'grep', 'ls', 'web_search')) },
      'bi-bash-safe': { action: 'allow', condition: `${on('builtin', tool('bash'))} and facts.safe_command == true`, facts: F },
      'bi-bash-destructive': { action: 'deny', condition: `${on('builtin', tool('bash'))} and facts.destructive == true`, facts: F },
      'bi-bash-publish': { action: 'require_approval', condition: `${on('builtin', tool('bash'))} and facts.publish_command == true`, facts: F },
      'bi-bash-pipe-shell': { action: 'deny', condition: `${on('builtin', tool('bash'))} and facts.pipe_to_shell == true`, facts: F },
      'bi-edit': { action: 'allow', condition: `${on('builtin', tools('write', 'edit'))} and facts.edit_workspace == true`, facts: F },
      'bi-edit-config': { action: 'require_approval', condition: `${on('builtin', tools('write', 'edit'))} and facts.config_file == true`, facts: F },
      'bi-web-fetch': { action: 'allow', condition: `${on('builtin', tool('web_fetch'))} and facts.https == true`, facts: F },
      'bi-web-ssrf': { action: 'deny', condition: `${on('builtin', tool('web_fetch'))} and facts.ssrf == true`, facts: F },
    },
  },
  {
    name: 'payments',
    agents: ['finance-agent', 'support-bot'],
    rules: {
      'pay-read': { action: 'allow', condition: on('stripe', tools('get_customer', 'list_charges')), inexact: GLOB_NOTE },
      'pay-refund-small': { action: 'allow', condition: `${on('stripe', tool('create_refund'))} and args.amount <= 5000 and args.currency in ['usd', 'eur', 'gbp']` },
      'pay-refund-large': { action: 'require_approval', condition: `${on('stripe', tool('create_refund'))} and args.amount > 5000 and args.amount <= 100000` },
      'pay-refund-huge': { action: 'deny', condition: `${on('stripe', tool('create_refund'))} and args.amount > 100000` },
      'pay-payout-support': { action: 'deny', condition: `${on('stripe', tool('create_payout'))} and agent.id == 'support-bot'` },
      'pay-payout': { action: 'require_approval', condition: `${on('stripe', tool('create_payout'))} and facts.acct_destination == true`, facts: F },
      'pay-invoice-external': { action: 'require_approval', condition: `${on('stripe', tool('send_invoice'))} and facts.external_recipient == true`, facts: F },
      'pay-invoice': { action: 'allow', condition: `${on('stripe', tool('send_invoice'))} and facts.recipient_count <= 10`, facts: F },
    },
  },
  {
    name: 'global-guard',
    agents: ['*'],
    rules: {
      'global-risk': { action: 'deny', condition: 'session.risk_score >= 80' },
      'global-prod-destroy': { action: 'require_approval', condition: "session.env == 'prod' and facts.destroy_tool == true", facts: F },
    },
  },
];

const PRIORITY: Record<Decision, number> = { deny: 0, require_approval: 2, allow: 1 };

export function agtPolicies(): Policy[] {
  return AGT_DOCS.map((doc) => ({
    apiVersion: 'governance.toolkit/v1',
    name: doc.name,
    agents: doc.agents,
    scope: 'global',
    default_action: 'deny',
    rules: Object.entries(doc.rules).map(([name, r]): PolicyRule => ({ name, condition: r.condition, ruleAction: r.action, priority: PRIORITY[r.action] })),
  }));
}

export function createAgtEngine(): { decide(call: BenchCall): Decision } {
  const engine = new PolicyEngine(undefined, ConflictResolutionStrategy.DenyOverrides);
  for (const p of agtPolicies()) engine.loadPolicy(p);
  return {
    decide(call) {
      const result = engine.evaluatePolicy(call.agent, {
        server: call.server,
        tool: call.tool,
        agent: { id: call.agent },
        args: call.args,
        session: call.session,
        tenant: call.tenant,
        facts: agtFacts(call),
      });
      const a = result.action;
      if (a === 'allow' || a === 'deny' || a === 'require_approval') return a;
      throw new Error(`unexpected action ${a}`);
    },
  };
}
