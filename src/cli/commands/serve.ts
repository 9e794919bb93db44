import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import { createLogger } from '../../runtime/logger.ts';
import { startServer } from '../../server/app.ts';
import { apiKeyAuthenticator } from '../../server/auth.ts';
import { action } from '../output.ts';
import { GatehouseError } from '../../errors.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the governance server: REST API, approvals, ledger, metrics')
    .option('-c, --config <path>', 'gatehouse.yaml (default: GATEHOUSE_CONFIG, then gatehouse.yaml here or above)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port, 0 for any free one (overrides server.port)')
    .option('--json', 'print one JSON line with the URL once listening (for scripts)')
    .action(
      action(async (opts: { config?: string; host?: string; port?: string; json?: boolean }) => {
        const logger = createLogger();
        const loaded = loadConfig(opts.config ? { config: opts.config } : {});
        const port = opts.port !== undefined ? Number(opts.port) : loaded.config.server.port;
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GatehouseError('USAGE', `--port must be 0-65535, not "${opts.port}"`);
        const runtime = await openRuntime({ loaded, watchPolicies: true, logger });
        const bootstrap = await bootstrapAdminKey(runtime.keys, join(dirname(runtime.dbPath), 'admin.key'));
        let running;
        try {
          running = await startServer({
            runtime,
            auth: apiKeyAuthenticator(runtime.keys),
            host: opts.host ?? loaded.config.server.host,
            port,
            maxBodyBytes: loaded.config.server.maxBodyBytes,
          });
        } catch (error) {
          await runtime.close();
          throw new GatehouseError('CONFIG_INVALID', `cannot listen on ${opts.host ?? loaded.config.server.host}:${port}: ${(error as Error).message}`, {
            hint: 'pick another --port, or stop what is using it',
          });
        }
        logger.log('info', 'gatehouse listening', {
          url: running.url,
          config: loaded.file ?? '(defaults)',
          policy: runtime.policies.bundle.digest,
          db: runtime.dbPath,
          ...(bootstrap ? { adminKeyFile: bootstrap } : {}),
        });
        if (opts.json) process.stdout.write(JSON.stringify({ url: running.url, db: runtime.dbPath, policy: runtime.policies.bundle.digest, ...(bootstrap ? { adminKeyFile: bootstrap } : {}) }) + '\n');
        else process.stdout.write(`gatehouse listening on ${running.url}\n${bootstrap ? `an admin API key was created and saved to ${bootstrap} (mode 0600)\n` : ''}`);
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            logger.log('info', 'shutting down: finishing in-flight requests and ledger appends', { signal });
            running.close().then(resolve, (error) => {
              logger.log('error', 'shutdown failed', { error: (error as Error).message });
              resolve();
            });
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.on('SIGHUP', () => runtime.policies.reload());
        });
        logger.log('info', 'stopped');
      }),
    );
}

/**
 * On a database without any API key, create an admin key so the deployment is usable, and
 * write it (never log it) to a 0600 file next to the database.
 */
async function bootstrapAdminKey(
  keys: { list(): Promise<unknown[]>; createKey(input: { tenant: string; role: 'admin'; name: string }): Promise<{ token: string }> },
  file: string,
): Promise<string | undefined> {
  if ((await keys.list()).length > 0 || existsSync(file)) return undefined;
  const { token } = await keys.createKey({ tenant: '*', role: 'admin', name: 'bootstrap-admin' });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return file;
}
