import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { resolveDbPath as resolveConfiguredDbPath } from '../db-path.ts';
import { GatehouseError } from '../../errors.ts';
import { ApprovalService, isApprovalStatus, type Approval, APPROVAL_STATUSES } from '../../approvals/index.ts';
import { openSqlite, type SqliteDatabase } from '../../store/sqlite/database.ts';
import { SqliteApprovalStore } from '../../store/sqlite/approvals-store.ts';
import { action, createOutput, type Output } from '../output.ts';

/** Where the embedded database is: see src/cli/db-path.ts. */
export const resolveDbPath = resolveConfiguredDbPath;

/** Opens the database; with mustExist, a missing file is a usage error rather than a new empty database. */
export function openCliDb(option: string | undefined, mustExist: boolean): SqliteDatabase {
  const path = resolveDbPath(option);
  if (mustExist && !existsSync(path)) {
    throw new GatehouseError('USAGE', `no Gatehouse database at ${path}`, {
      hint: 'pass --db PATH or set GATEHOUSE_DB to the database `gatehouse serve` uses',
    });
  }
  return openSqlite(path);
}

export function defaultActor(): string {
  let name = process.env.USER ?? 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `cli:${name}`;
}

interface DbOpts {
  db?: string;
  json?: boolean;
}

async function withService<T>(opts: DbOpts, run: (service: ApprovalService, out: Output) => Promise<T>): Promise<T> {
  const out = createOutput(Boolean(opts.json));
  const db = openCliDb(opts.db, true);
  try {
    return await run(new ApprovalService(new SqliteApprovalStore(db)), out);
  } finally {
    db.close();
  }
}

const overdue = (a: Approval, now: number) => a.status === 'pending' && Date.parse(a.expiresAt) <= now;

function printApproval(out: Output, a: Approval): void {
  const rows: Array<[string, unknown]> = [
    ['id', a.id],
    ['status', a.status + (overdue(a, Date.now()) ? ' (overdue: will be expired, i.e. denied)' : '')],
    ['tenant', a.tenant],
    ['agent', a.agent],
    ['session', a.session],
    ['call', `${a.server}/${a.tool}`],
    ['rule', a.rule],
    ['approvers', a.approvers?.join(', ') ?? 'any approver'],
    ['created', a.createdAt],
    ['expires', a.expiresAt],
    ['decided', a.decidedAt ? `${a.decidedAt} by ${a.decidedBy}` : null],
    ['reason', a.reason],
    ['used', a.consumedAt ? `${a.consumedAt}${a.consumedBy ? ` by action ${a.consumedBy}` : ''}` : null],
    ['arguments digest', a.argumentsDigest],
    ['policy bundle', a.bundleDigest],
  ];
  for (const [k, v] of rows) if (v !== null && v !== undefined) out.line(`${(k + ':').padEnd(18)}${String(v)}`);
  out.line('arguments (redacted):');
  out.line(JSON.stringify(a.argumentsRedacted, null, 2).replace(/^/gm, '  '));
}

const withDb = (c: Command) => c.option('--db <path>', 'SQLite database (default: $GATEHOUSE_DB or .gatehouse/gatehouse.db)').option('--json', 'print one JSON document');

export function registerApprovals(program: Command): void {
  const approvals = program.command('approvals').description('List, inspect, approve and deny pending approval requests');

  withDb(
    approvals
      .command('list')
      .description('List approval requests, newest first')
      .option('--status <status>', `only this status (${APPROVAL_STATUSES.join(', ')})`)
      .option('--tenant <tenant>', 'only this tenant')
      .option('--limit <n>', 'at most n requests', '100'),
  ).action(
    action((opts: DbOpts & { status?: string; tenant?: string; limit: string }) => {
      if (opts.status !== undefined && !isApprovalStatus(opts.status)) {
        throw new GatehouseError('USAGE', `unknown status "${opts.status}"`, { hint: `use one of ${APPROVAL_STATUSES.join(', ')}` });
      }
      const limit = Number(opts.limit);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new GatehouseError('USAGE', `--limit must be a positive whole number`);
      return withService(opts, async (service, out) => {
        const list = await service.list({ status: opts.status as Approval['status'] | undefined, tenant: opts.tenant, limit });
        const now = Date.now();
        if (out.json) return out.document({ ok: true, approvals: list.map((a) => ({ ...a, overdue: overdue(a, now) })) });
        if (list.length === 0) return out.line('no approval requests');
        for (const a of list) {
          const status = overdue(a, now) ? 'overdue' : a.status;
          out.line(`${a.id}  ${status.padEnd(9)}  ${a.tenant}/${a.agent}  ${a.server}/${a.tool}  expires ${a.expiresAt}`);
        }
      });
    }),
  );

  withDb(approvals.command('show').description('Show one approval request').argument('<id>', 'approval id')).action(
    action((id: string, opts: DbOpts) =>
      withService(opts, async (service, out) => {
        const a = await service.get(id);
        if (out.json) return out.document({ ok: true, approval: { ...a, overdue: overdue(a, Date.now()) } });
        printApproval(out, a);
      }),
    ),
  );

  withDb(
    approvals
      .command('approve')
      .description('Approve one pending request (that exact call, once)')
      .argument('<id>', 'approval id')
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who decides (default: cli:<user>)'),
  ).action(
    action((id: string, opts: DbOpts & { reason?: string; by?: string }) =>
      withService(opts, async (service, out) => {
        const a = await service.approve(id, { by: opts.by ?? defaultActor(), reason: opts.reason });
        if (out.json) return out.document({ ok: true, approval: a });
        out.line(`approved ${a.id} (${a.agent} → ${a.server}/${a.tool}) by ${a.decidedBy}`);
      }),
    ),
  );

  withDb(
    approvals
      .command('deny')
      .description('Deny one pending request')
      .argument('<id>', 'approval id')
      .requiredOption('--reason <text>', 'why (shown to the agent and kept in the ledger)')
      .option('--by <name>', 'who decides (default: cli:<user>)'),
  ).action(
    action((id: string, opts: DbOpts & { reason: string; by?: string }) =>
      withService(opts, async (service, out) => {
        const a = await service.deny(id, { by: opts.by ?? defaultActor(), reason: opts.reason });
        if (out.json) return out.document({ ok: true, approval: a });
        out.line(`denied ${a.id} (${a.agent} → ${a.server}/${a.tool}) by ${a.decidedBy}: ${a.reason}`);
      }),
    ),
  );
}
