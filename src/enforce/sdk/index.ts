import { loadConfig, type LoadedConfig } from '../../config/load.ts';
import { openRuntime, type Runtime } from '../../runtime/runtime.ts';
import { GatehouseHarness, type DecisionClient, type HarnessOptions } from './harness.ts';
import { RemoteClient } from './remote.ts';

export { GatehouseHarness, type DecisionClient, type GovernContext, type HarnessOptions } from './harness.ts';
export { GovernanceDenied, GovernanceEscalated } from './errors.ts';
export { RemoteClient, type RemoteClientOptions } from './remote.ts';
export { parseToolName } from './tool-name.ts';

export interface CreateGatehouseOptions extends Omit<HarnessOptions, 'enforcementPoint'> {
  /** In-process: a gatehouse.yaml path (discovered like the CLI does when omitted). */
  config?: string;
  /** In-process: override the config's policy paths. */
  policies?: string[];
  /** In-process: override the SQLite database path. */
  db?: string;
  /** In-process: let calls through when Gatehouse itself fails (recorded in the ledger). Default false. */
  failOpen?: boolean;
  /** Remote: use a running `gatehouse serve` instead of an in-process Governor. */
  remote?: { url: string; apiKey: string; timeoutMs?: number };
}

export interface Gatehouse extends GatehouseHarness {
  /** The in-process runtime (ledger, approvals, governor); undefined for a remote client. */
  readonly runtime: Runtime | undefined;
}

/**
 * A governed-tool harness for any agent loop:
 * `const gh = await createGatehouse({ agent: 'dev-assistant' }); await gh.govern('bash', { command })`.
 */
export async function createGatehouse(options: CreateGatehouseOptions): Promise<Gatehouse> {
  const harnessOptions: HarnessOptions = { ...options, enforcementPoint: 'sdk' };
  if (options.remote) {
    const harness = new GatehouseHarness(new RemoteClient(options.remote), harnessOptions);
    return Object.assign(harness, { runtime: undefined });
  }
  const loaded: LoadedConfig = loadConfig(options.config ? { config: options.config } : {});
  const config = {
    ...loaded.config,
    ...(options.policies ? { policies: options.policies.map((p) => (p.startsWith('/') ? p : `${process.cwd()}/${p}`)) } : {}),
    store: options.db ? { path: options.db.startsWith('/') ? options.db : `${process.cwd()}/${options.db}` } : loaded.config.store,
    decisions: { ...loaded.config.decisions, ...(options.failOpen !== undefined ? { failOpen: options.failOpen } : {}) },
  };
  const runtime = await openRuntime({ loaded: { ...loaded, config }, watchPolicies: false });
  const client: DecisionClient = {
    decide: (ctx) => runtime.governor.decide(ctx),
    afterCall: (id, result, o) => runtime.governor.afterCall(id, result, o),
    waitForApproval: (id, signal) => runtime.governor.waitForApproval(id, signal),
    close: () => runtime.close(),
  };
  return Object.assign(new GatehouseHarness(client, harnessOptions), { runtime });
}
