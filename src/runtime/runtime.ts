import { ApprovalService } from '../approvals/service.ts';
import { WebhookNotifier, attachWebhooks, type WebhookNotifierOptions } from '../approvals/webhook.ts';
import { resolveFrom, type LoadedConfig } from '../config/load.ts';
import { PolicyWatcher } from '../config/policy-watcher.ts';
import { errorMessage } from '../errors.ts';
import type { RedactionKeys } from '../detect/index.ts';
import type { JsonValue } from '../ledger/entry.ts';
import { Governor } from '../govern/governor.ts';
import type { ArgumentDetector, ArtifactCheck } from '../govern/ports.ts';
import { openLedger, type Ledger } from '../ledger/service/ledger.ts';
import { SqliteApprovalStore } from '../store/sqlite/approvals-store.ts';
import { openSqlite, type SqliteDatabase } from '../store/sqlite/database.ts';
import { SqliteLimitsStore } from '../store/sqlite/limits-store.ts';
import { SqliteApiKeyStore } from '../store/sqlite/apikeys-store.ts';
import { ApiKeyService } from '../auth/index.ts';
import { approvalsPort, decisionLedger } from './adapters.ts';
import { drainApprovalTransitions } from './approval-ledger.ts';
import { ConfiguredLimits } from './limits-adapter.ts';
import { silentLogger, type Logger } from './logger.ts';
import { cutText } from '../cut-text.ts';

export interface RuntimeOptions {
  loaded: LoadedConfig;
  /** Watch policy files and hot-reload valid changes (serve does; one-shot commands do not). */
  watchPolicies?: boolean;
  detectors?: ArgumentDetector[];
  artifacts?: ArtifactCheck;
  logger?: Logger;
  /** How often to sweep expired approvals and copy approval transitions into the ledger. */
  maintenanceIntervalMs?: number;
  /** Retry tuning for approval webhooks (tests shorten it). */
  webhookRetry?: Pick<WebhookNotifierOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs'>;
}

/** Everything a running Gatehouse holds, wired together: the composition root. */
export interface Runtime {
  loaded: LoadedConfig;
  dbPath: string;
  db: SqliteDatabase;
  ledger: Ledger;
  approvals: ApprovalService;
  limits: ConfiguredLimits;
  keys: ApiKeyService;
  policies: PolicyWatcher;
  governor: Governor;
  logger: Logger;
  /** Copies pending approval transitions into the ledger now. */
  drain(): Promise<void>;
  /** Finishes in-flight appends and closes every store. */
  close(): Promise<void>;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, baseDir } = options.loaded;
  const logger = options.logger ?? silentLogger;
  const dbPath = resolveFrom(baseDir, config.store.path);
  const policies = new PolicyWatcher(config.policies.map((p) => resolveFrom(baseDir, p)));
  const db = openSqlite(dbPath);
  let ledger: Ledger | undefined;
  try {
    ledger = await openLedger({
      path: dbPath,
      ...(config.ledger.keyPath ? { keyPath: resolveFrom(baseDir, config.ledger.keyPath) } : {}),
      ...(config.ledger.origin ? { origin: config.ledger.origin } : {}),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const approvalStore = new SqliteApprovalStore(db);
  const approvals = new ApprovalService(approvalStore, {
    onListenerError: (error) => logger.log('error', 'approval listener failed', { error: errorMessage(error) }),
  });
  // Rate-limit and quota counters are written on every limited call: their own connection with
  // synchronous=NORMAL spares each call an fsync (they survive a crash; a power loss may forget
  // the last hits, which errs towards allowing a few more calls, never towards skipping policy).
  const limitsDb = openSqlite(dbPath, { synchronous: 'NORMAL' });
  const limits = new ConfiguredLimits(new SqliteLimitsStore(limitsDb), config.limits.quotas);
  const keys = new ApiKeyService(new SqliteApiKeyStore(db));
  const recorder = decisionLedger(ledger);
  const governor = new Governor({
    policy: () => policies.bundle,
    ledger: recorder,
    approvals: approvalsPort(approvals),
    limits,
    globalDefault: config.decisions.globalDefault,
    redactionKeys: redactionKeys(config),
    failOpen: config.decisions.failOpen,
    ...(options.detectors ? { detectors: options.detectors } : {}),
    ...(options.artifacts ? { artifacts: options.artifacts } : {}),
  });

  let draining: Promise<void> = Promise.resolve();
  const drain = () => {
    draining = draining
      .then(async () => {
        await drainApprovalTransitions(approvalStore, recorder);
      })
      .catch((error) => logger.log('error', 'could not copy approval transitions into the ledger; will retry', { error: errorMessage(error) }));
    return draining;
  };
  const unsubscribe = approvals.onTransition(() => void drain());

  const system = (kind: string, data: { [key: string]: JsonValue }, reason: string) =>
    recorder
      .append({ time: new Date().toISOString(), tenant: 'system', agent: 'gatehouse', enforcementPoint: 'system', kind, reason, data })
      .catch((error) => logger.log('error', `could not record ${kind}`, { error: errorMessage(error) }));
  policies.on('reloaded', (r) => {
    logger.log('info', 'policy bundle reloaded', { from: r.from, to: r.to });
    void system('policy.reload', { from: r.from, to: r.to, files: r.files }, `policy bundle ${r.from} replaced by ${r.to}`);
  });
  policies.on('rejected', (r) => {
    logger.log('warn', 'policy change rejected; the previous bundle stays in force', { current: r.current, problems: r.problems });
    void system('policy.reload_rejected', { current: r.current, ...recordedProblems(r.problems) }, 'invalid policy change rejected; previous bundle kept');
  });
  if (options.watchPolicies) policies.start();

  let notifier: WebhookNotifier | undefined;
  let detachWebhooks = () => {};
  if (config.approvals.webhooks.length > 0) {
    notifier = new WebhookNotifier({
      targets: config.approvals.webhooks,
      ...options.webhookRetry,
      ...(config.approvals.publicUrl ? { consoleUrl: config.approvals.publicUrl } : {}),
      onFailure: (o) => {
        logger.log('warn', 'approval webhook delivery failed; the request stays pending and expires (deny) unless decided', { url: o.url, approvalId: o.approvalId, error: o.error });
        void system('approval.webhook_failed', { url: o.url, approvalId: o.approvalId, deliveryId: o.deliveryId, attempts: o.attempts, ...(o.status ? { status: o.status } : {}), ...(o.error ? { error: o.error } : {}) }, `webhook to ${o.url} failed after ${o.attempts} attempts`);
      },
    });
    const unhook = attachWebhooks(approvals, notifier);
    detachWebhooks = () => void unhook();
  }

  const interval = setInterval(() => {
    approvals
      .expireDue()
      .then(() => drain())
      .catch((error) => logger.log('error', 'approval maintenance failed', { error: errorMessage(error) }));
  }, options.maintenanceIntervalMs ?? 1000);
  interval.unref();
  await drain();

  let closed = false;
  return {
    loaded: options.loaded,
    dbPath,
    db,
    ledger,
    approvals,
    limits,
    keys,
    policies,
    governor,
    logger,
    drain,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(interval);
      policies.stop();
      unsubscribe();
      detachWebhooks();
      await notifier?.close();
      approvals.close();
      await drain();
      await ledger.close();
      limitsDb.close();
      db.close();
    },
  };
}

/** The deployment's salt and keys for GuardrailPolicy `hash` and `encrypt` redaction. */
export function redactionKeys(config: LoadedConfig['config']): RedactionKeys {
  return {
    ...(config.redaction.hashSalt ? { hashSalt: config.redaction.hashSalt } : {}),
    encryptionKeys: Object.fromEntries(Object.entries(config.redaction.keys).map(([id, b64]) => [id, new Uint8Array(Buffer.from(b64, 'base64'))])),
  };
}

/** Problems a policy.reload_rejected entry lists, and the longest message it keeps of each. */
const REJECTED_PROBLEMS_MAX = 50;
const PROBLEM_MESSAGE_MAX = 500;

/**
 * A rejected edit can have thousands of problems (a 50 KB file of bad rules had 1,500): listed in
 * full the entry passed the ledger's size limit and the rejection was not recorded at all. The first
 * 50 are kept (messages cut at 500 characters, as one can quote a whole glob) and the rest counted.
 */
function recordedProblems(problems: ReadonlyArray<{ where: string; message: string }>): { [key: string]: JsonValue } {
  const cut = (s: string) => cutText(s, PROBLEM_MESSAGE_MAX);
  const listed = problems.slice(0, REJECTED_PROBLEMS_MAX).map((p) => ({ where: cut(p.where), message: cut(p.message) }));
  return problems.length > REJECTED_PROBLEMS_MAX ? { problems: listed, problemsOmitted: problems.length - REJECTED_PROBLEMS_MAX } : { problems: listed };
}
