import type { Command } from 'commander';
import { GatehouseError } from '../../errors.ts';
import { ApiKeyService, isRole, ROLES, type ApiKey } from '../../auth/index.ts';
import { SqliteApiKeyStore } from '../../store/sqlite/apikeys-store.ts';
import { action, createOutput, type Output } from '../output.ts';
import { openCliDb } from './approvals.ts';

interface DbOpts {
  db?: string;
  json?: boolean;
}

async function withKeys<T>(opts: DbOpts, mustExist: boolean, run: (keys: ApiKeyService, out: Output) => Promise<T>): Promise<T> {
  const out = createOutput(Boolean(opts.json));
  const db = openCliDb(opts.db, mustExist);
  try {
    return await run(new ApiKeyService(new SqliteApiKeyStore(db)), out);
  } finally {
    db.close();
  }
}

const line = (k: ApiKey) =>
  `${k.id}  ${k.role.padEnd(8)}  ${k.tenant}${k.agent ? `/${k.agent}` : ''}  ${k.name}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`;

const withDb = (c: Command) => c.option('--db <path>', 'SQLite database (default: $GATEHOUSE_DB or .gatehouse/gatehouse.db)').option('--json', 'print one JSON document');

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Create, list and revoke API keys (stored hashed)');

  withDb(
    keys
      .command('create')
      .description('Create an API key; the token is printed once and cannot be shown again')
      .requiredOption('--tenant <tenant>', 'tenant the key belongs to')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--agent <agent>', 'for role agent: the only agent the key may act as')
      .option('--name <name>', 'a label for people'),
  ).action(
    action((opts: DbOpts & { tenant: string; role: string; agent?: string; name?: string }) => {
      if (!isRole(opts.role)) throw new GatehouseError('USAGE', `unknown role "${opts.role}"`, { hint: `use one of ${ROLES.join(', ')}` });
      const role = opts.role;
      return withKeys(opts, false, async (service, out) => {
        const { key, token } = await service.createKey({ tenant: opts.tenant, role, agent: opts.agent, name: opts.name });
        if (out.json) return out.document({ ok: true, key, token });
        out.log('store this token now: it is shown only once');
        out.line(token);
        out.log(line(key));
      });
    }),
  );

  withDb(
    keys
      .command('list')
      .description('List API keys (never their secrets)')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--all', 'include revoked keys'),
  ).action(
    action((opts: DbOpts & { tenant?: string; all?: boolean }) =>
      withKeys(opts, true, async (service, out) => {
        const list = await service.list({ tenant: opts.tenant, includeRevoked: Boolean(opts.all) });
        if (out.json) return out.document({ ok: true, keys: list });
        if (list.length === 0) return out.line('no API keys');
        for (const k of list) out.line(line(k));
      }),
    ),
  );

  withDb(keys.command('revoke').description('Revoke an API key at once').argument('<id>', 'key id (the part after gh_)')).action(
    action((id: string, opts: DbOpts) =>
      withKeys(opts, true, async (service, out) => {
        const key = await service.revoke(id);
        if (out.json) return out.document({ ok: true, key });
        out.line(`revoked ${key.id} (${key.role}, ${key.tenant}) at ${key.revokedAt}`);
      }),
    ),
  );
}
