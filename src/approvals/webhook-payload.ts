import type { Approval } from './service.ts';

export type WebhookEventType = 'approval.requested' | 'approval.decided';
export type WebhookFormat = 'json' | 'slack';

export interface WebhookEvent {
  type: WebhookEventType;
  approval: Approval;
}

/** What an approver needs to see; the binding fields are digests, raw arguments never leave. */
function approvalView(a: Approval) {
  return {
    id: a.id,
    status: a.status,
    tenant: a.tenant,
    agent: a.agent,
    session: a.session,
    server: a.server,
    tool: a.tool,
    arguments: a.argumentsRedacted,
    argumentsDigest: a.argumentsDigest,
    bundleDigest: a.bundleDigest,
    rule: a.rule,
    approvers: a.approvers,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    decidedAt: a.decidedAt,
    decidedBy: a.decidedBy,
    reason: a.reason,
  };
}

/** Slack mrkdwn needs &, < and > escaped. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function argumentsPreview(value: unknown): string {
  const text = value === null || value === undefined ? '(not shown)' : JSON.stringify(value, null, 2);
  return text.length > 1500 ? text.slice(0, 1500) + '\n…' : text;
}

function slackPayload(event: WebhookEvent, consoleUrl: string | undefined) {
  const a = event.approval;
  const call = `${a.agent} → ${a.server}/${a.tool} (tenant ${a.tenant})`;
  if (event.type === 'approval.decided') {
    const text = `Approval ${a.id} ${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}: ${call}${a.reason ? ` — ${a.reason}` : ''}`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: esc(text) } }] };
  }
  const link = consoleUrl ? `\n<${consoleUrl.replace(/\/$/, '')}/approvals/${a.id}|Open in the console>` : '';
  const text = `Approval needed: ${call}, expires ${a.expiresAt}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*Approval needed*${a.rule ? ` (rule \`${esc(a.rule)}\`)` : ''}\n${esc(call)}` } },
      { type: 'section', text: { type: 'mrkdwn', text: '```' + esc(argumentsPreview(a.argumentsRedacted)) + '```' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `Approve: \`gatehouse approvals approve ${a.id}\`\n` +
            `Deny: \`gatehouse approvals deny ${a.id} --reason "..."\`\n` +
            `Expires ${esc(a.expiresAt)}; no decision means deny.${link}`,
        },
      },
    ],
  };
}

/** The JSON document POSTed for an event, in the target's format. */
export function webhookPayload(event: WebhookEvent, format: WebhookFormat = 'json', options: { consoleUrl?: string } = {}): unknown {
  if (format === 'slack') return slackPayload(event, options.consoleUrl);
  return { type: event.type, approval: approvalView(event.approval) };
}
