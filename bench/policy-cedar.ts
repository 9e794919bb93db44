/**
 * The benchmark policy translated to Cedar (@cedar-policy/cedar-wasm 4.13).
 *
 * Request: principal Agent::"<id>", action Action::"call_tool", resource Server::"<server>",
 * context { tool, args, session, tenant, facts }. Cedar has only permit and forbid (forbid wins,
 * nothing permitted = deny), so require_approval is a permit whose policy id is in APPROVAL_IDS:
 * a Deny is deny; an Allow whose determining policies (diagnostics.reason) include an approval
 * permit is require_approval; any other Allow is allow. This is exactly "deny > require_approval >
 * allow, default deny". An evaluation error makes Cedar skip that policy (a forbid would silently
 * not apply), so the adapter treats any error as deny, as Gatehouse does.
 */
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { BenchCall } from './policy-calls.ts';
import { cedarFacts } from './policy-facts.ts';
import type { Decision } from './policy-engines.ts';

interface CedarRule {
  effect: 'permit' | 'forbid';
  approval?: boolean;
  scope: string;
  when: string;
  /** Set when the rule reads a host-computed fact instead of expressing the CEL itself. */
  facts?: string;
}

const GH = { server: 'github', agents: '[Agent::"dev-assistant", Agent::"release-bot"].contains(principal)' };
const SL = { server: 'slack', agents: '[Agent::"support-bot", Agent::"dev-assistant"].contains(principal)' };
const PAY = { server: 'stripe', agents: '[Agent::"finance-agent", Agent::"support-bot"].contains(principal)' };
const scoped = (doc: { server: string; agents?: string }, tool: string) =>
  ({ scope: `resource == Server::"${doc.server}"`, pre: [doc.agents, tool].filter(Boolean).join(' && ') });
const t = (name: string) => `context.tool == "${name}"`;
const anyOf = (...xs: string[]) => `(${xs.join(' || ')})`;
const PROTECTED = '["main", "master", "production"]';
const likes = (v: string, patterns: string[]) => anyOf(...patterns.map((p) => `${v} like "${p}"`));

function rule(effect: 'permit' | 'forbid', doc: { server: string; agents?: string }, tool: string, cond?: string, extra: Partial<CedarRule> = {}): CedarRule {
  const s = scoped(doc, tool);
  return { effect, scope: s.scope, when: [s.pre, cond].filter(Boolean).join(' && '), ...extra };
}

const FS = { server: 'filesystem' };
const BI = { server: 'builtin' };
const secretDir = anyOf(...['env', 'ssh', 'aws'].flatMap((d) => [`context.args.path == ".${d}"`, `context.args.path like ".${d}/*"`, `context.args.path like "*/.${d}"`, `context.args.path like "*/.${d}/*"`]));
const safeCommand = anyOf(...['ls', 'cat', 'pwd', 'git status', 'git log', 'git diff', 'npm test', 'npm run lint'].flatMap((c) => [`context.args.command == "${c}"`, `context.args.command like "${c} *"`]));
const ssrf = likes('context.args.url', ['http', 'https'].flatMap((s) => ['localhost', '127.', '10.', '192.168.', '169.254.'].map((h) => `${s}://${h}*`)));

export const CEDAR_RULES: Record<string, CedarRule> = {
  'gh-read': rule('permit', GH, likes('context.tool', ['get_*', 'list_*', 'search_*'])),
  'gh-issue-create': rule('permit', GH, t('create_issue'), 'context.facts.title_len <= 256', { facts: 'size(title): Cedar has no string length' }),
  'gh-issue-sensitive-labels': rule('permit', GH, t('create_issue'), 'context.args has labels && context.args.labels.containsAny(["security", "incident", "legal"])', { approval: true }),
  'gh-pr-feature-branch': rule('permit', GH, t('create_pull_request'), `!(${PROTECTED}.contains(context.args.base) || (context.args.base like "release/*" && context.args.base != "release/"))`),
  'gh-pr-release': rule('permit', GH, t('create_pull_request'), 'context.facts.release_version_base', { approval: true, facts: 'regex with character classes' }),
  'gh-merge': rule('permit', GH, t('merge_pull_request'), undefined, { approval: true }),
  'gh-merge-method': rule('forbid', GH, t('merge_pull_request'), 'context.args has merge_method && !["squash", "merge"].contains(context.args.merge_method)'),
  'gh-no-delete': rule('forbid', GH, t('delete_file')),
  'gh-write-feature': rule('permit', GH, t('create_or_update_file'), `!${PROTECTED}.contains(context.args.branch) && !(context.args.path like ".github/workflows/*")`),
  'gh-write-workflows': rule('forbid', GH, t('create_or_update_file'), 'context.args.path like ".github/workflows/*"'),
  'gh-push-sensitive': rule('forbid', GH, t('push_files'), 'context.facts.sensitive_file', { facts: 'exists() over a list of records' }),
  'gh-push-small': rule('permit', GH, t('push_files'), `context.facts.file_count <= 20 && !${PROTECTED}.contains(context.args.branch)`, { facts: 'size(list): Cedar sets have no size' }),
  'gh-comment': rule('permit', GH, t('add_issue_comment'), 'context.facts.body_len < 65536', { facts: 'size(body): no string length' }),

  'sl-read': rule('permit', SL, likes('context.tool', ['list_*', 'get_*'])),
  'sl-history-limit': rule('forbid', SL, t('get_channel_history'), 'context.args.limit > 1000'),
  'sl-post': rule('permit', SL, t('post_message'), 'context.args.channel like "#*"'),
  'sl-post-restricted': rule('forbid', SL, t('post_message'), '["#exec", "#board", "#legal"].contains(context.args.channel)'),
  'sl-secrets': rule('permit', SL, anyOf(t('post_message'), t('send_dm')), 'context.facts.mentions_secret', { approval: true, facts: 'case-insensitive regex' }),
  'sl-post-long': rule('permit', SL, t('post_message'), 'context.facts.text_len > 4000', { approval: true, facts: 'size(text): no string length' }),
  'sl-dm': rule('permit', SL, t('send_dm'), 'context.facts.slack_user_id', { facts: 'regex with character classes and counts' }),
  'sl-invite-external': rule('forbid', SL, t('invite_user'), '!(context.args.email like "*@acme.com")'),
  'sl-invite': rule('permit', SL, t('invite_user'), undefined, { approval: true }),
  'sl-upload-sheet': rule('permit', SL, t('upload_file'), likes('context.args.filename', ['*.csv', '*.xlsx']), { approval: true }),

  'fs-read': rule('permit', FS, anyOf(t('read_file'), t('list_directory')), 'context.args.path like "/workspace/*"'),
  'fs-read-secrets': rule('forbid', FS, t('read_file'), anyOf(secretDir, 'context.args.path like "*.pem"', 'context.args.path like "*.key"')),
  'fs-write': rule('permit', FS, t('write_file'), 'context.args.path like "/workspace/*" && context.facts.content_len <= 65536', { facts: 'size(content): no string length' }),
  'fs-traversal': rule('forbid', FS, '["read_file", "write_file", "delete_file", "list_directory"].contains(context.tool)', 'context.args.path like "*..*"'),
  'fs-write-infra': rule('permit', FS, t('write_file'), likes('context.args.path', ['/workspace/infra/*', '/workspace/deploy/*']), { approval: true }),
  'fs-delete': rule('permit', FS, t('delete_file'), 'context.args.path like "/workspace/*"', { approval: true }),
  'fs-delete-recursive': rule('forbid', FS, t('delete_file'), 'context.args has recursive && context.args.recursive == true'),
  'fs-move': rule('permit', FS, t('move_file'), 'context.args.source like "/workspace/*" && context.args.destination like "/workspace/*"'),

  'bi-read': rule('permit', BI, '["read", "glob", "grep", "ls", "web_search"].contains(context.tool)'),
  'bi-bash-safe': rule('permit', BI, t('bash'), safeCommand),
  'bi-bash-destructive': rule('forbid', BI, t('bash'), 'context.facts.destructive', { facts: 'regex with \\s and character classes' }),
  'bi-bash-publish': rule('permit', BI, t('bash'), likes('context.args.command', ['git push*', 'npm publish*', 'docker push*']), { approval: true }),
  'bi-bash-pipe-shell': rule('forbid', BI, t('bash'), 'context.args.command like "*curl*" && context.args.command like "*| sh*"'),
  'bi-edit': rule('permit', BI, anyOf(t('write'), t('edit')), 'context.args.file_path like "/workspace/*" && !(context.args.file_path like "*/.git/*")'),
  'bi-edit-config': rule('permit', BI, anyOf(t('write'), t('edit')), likes('context.args.file_path', ['*/config/*.yml', '*/config/*.yaml', '*/config/*.json', '*/config/*.toml']), { approval: true }),
  'bi-web-fetch': rule('permit', BI, t('web_fetch'), 'context.args.url like "https://*"'),
  'bi-web-ssrf': rule('forbid', BI, t('web_fetch'), ssrf),

  'pay-read': rule('permit', PAY, likes('context.tool', ['get_*', 'list_*'])),
  'pay-refund-small': rule('permit', PAY, t('create_refund'), 'context.args.amount <= 5000 && ["usd", "eur", "gbp"].contains(context.args.currency)'),
  'pay-refund-large': rule('permit', PAY, t('create_refund'), 'context.args.amount > 5000 && context.args.amount <= 100000', { approval: true }),
  'pay-refund-huge': rule('forbid', PAY, t('create_refund'), 'context.args.amount > 100000'),
  'pay-payout-support': rule('forbid', PAY, t('create_payout'), 'principal == Agent::"support-bot"'),
  'pay-payout': rule('permit', PAY, t('create_payout'), 'context.args.destination like "acct_*"', { approval: true }),
  'pay-invoice-external': rule('permit', PAY, t('send_invoice'), 'context.facts.external_recipient', { approval: true, facts: 'exists() with a negated suffix test' }),
  'pay-invoice': rule('permit', PAY, t('send_invoice'), 'context.facts.recipient_count <= 10', { facts: 'size(list)' }),

  'global-risk': { effect: 'forbid', scope: 'resource', when: 'context.session.risk_score >= 80' },
  'global-prod-destroy': { effect: 'permit', approval: true, scope: 'resource', when: `context.session.env == "prod" && ${likes('context.tool', ['delete_*', 'drop_*', 'destroy_*'])}` },
};

export const APPROVAL_IDS: ReadonlySet<string> = new Set(Object.entries(CEDAR_RULES).filter(([, r]) => r.approval).map(([id]) => id));

export function cedarPolicyTexts(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CEDAR_RULES).map(([id, r]) => [id, `${r.effect} (principal, action == Action::"call_tool", ${r.scope}) when { ${r.when} };`]),
  );
}

export interface CedarEngine {
  decide(call: BenchCall): Decision;
  errors: number;
}

let counter = 0;
export function createCedarEngine(): CedarEngine {
  const id = `gatehouse-bench-${++counter}`;
  const parsed = preparsePolicySet(id, { staticPolicies: cedarPolicyTexts() });
  if (parsed.type !== 'success') throw new Error(`Cedar policies do not parse: ${JSON.stringify(parsed.errors)}`);
  const action = { type: 'Action', id: 'call_tool' };
  const engine: CedarEngine = {
    errors: 0,
    decide(call) {
      const answer = statefulIsAuthorized({
        principal: { type: 'Agent', id: call.agent },
        action,
        resource: { type: 'Server', id: call.server },
        context: { tool: call.tool, args: call.args, session: call.session, tenant: call.tenant, facts: cedarFacts(call) },
        preparsedPolicySetId: id,
        entities: [],
      });
      if (answer.type !== 'success') {
        engine.errors++;
        return 'deny';
      }
      const { decision, diagnostics } = answer.response;
      if (diagnostics.errors.length > 0) {
        engine.errors++;
        return 'deny';
      }
      if (decision === 'deny') return 'deny';
      return diagnostics.reason.some((r) => APPROVAL_IDS.has(r)) ? 'require_approval' : 'allow';
    },
  };
  return engine;
}
