import { GatehouseError } from '../errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { readJson, sendJson } from './http.ts';
import type { Metrics } from './metrics.ts';
import type { Router, RouteContext } from './router.ts';
import { sameTenant, type Principal } from './auth.ts';
import { afterCallBody, approvalDecisionBody, decideBody, spendBody } from './schemas.ts';
import { buildOpenApi } from './openapi.ts';
import { APPROVAL_STATUSES, isApprovalStatus } from '../approvals/index.ts';
import type { z } from 'zod';

export interface RouteDeps {
  runtime: Runtime;
  metrics: Metrics;
  maxBodyBytes: number;
  isReady: () => boolean;
}

async function body<S extends z.ZodType>(ctx: RouteContext, schema: S, maxBytes: number): Promise<z.output<S>> {
  const raw = await readJson(ctx.req, maxBytes);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new GatehouseError('INPUT_INVALID', 'request body does not match the schema', {
      details: parsed.error.issues.map((i) => ({ where: i.path.map(String).join('.') || '(body)', message: i.code === 'unrecognized_keys' ? `unknown key(s): ${i.keys.join(', ')}` : i.message })),
      hint: 'see GET /openapi.json',
    });
  }
  return parsed.data;
}

function intParam(q: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new GatehouseError('INPUT_INVALID', `query parameter ${name} must be a whole number from 0 to ${max}`);
  return n;
}

export function registerRoutes(router: Router<Principal>, deps: RouteDeps): void {
  const { runtime, metrics, maxBodyBytes } = deps;
  const approvals = runtime.approvals;

  const approvalFor = async (id: string, principal: Principal) => {
    const approval = await approvals.get(id);
    const own = principal.role !== 'agent' || approval.agent === principal.agent;
    if (!sameTenant(principal, approval.tenant) || !own) throw new GatehouseError('NOT_FOUND', `no approval ${id}`);
    return approval;
  };

  router
    .add('GET', '/healthz', null, ({ res }) => sendJson(res, 200, { status: 'ok' }))
    .add('GET', '/readyz', null, async ({ res }) => {
      let ok = deps.isReady();
      const checks: Record<string, string> = { accepting: ok ? 'ok' : 'shutting down' };
      try {
        runtime.db.prepare('SELECT 1').get();
        checks.store = 'ok';
      } catch (error) {
        ok = false;
        checks.store = (error as Error).message;
      }
      checks.policy = runtime.policies.bundle.digest;
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks });
    })
    .add('GET', '/openapi.json', 'approvals.read_own', ({ res }) => sendJson(res, 200, buildOpenApi()))
    .add('GET', '/metrics', 'ledger.read', async ({ res }) => {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
    })
    .add('POST', '/api/v1/decide', 'decide', async (ctx, principal) => {
      const b = await body(ctx, decideBody, maxBodyBytes);
      const agent = principal.role === 'agent' ? principal.agent! : b.agent;
      if (principal.role === 'agent' && b.agent !== undefined && b.agent !== principal.agent) {
        throw new GatehouseError('FORBIDDEN', `this key acts as agent "${principal.agent}", not "${b.agent}"`);
      }
      if (!agent) throw new GatehouseError('INPUT_INVALID', 'agent is required (only agent keys imply their agent)');
      const decision = await runtime.governor.decide({
        tenant: principal.tenant === '*' ? (b.tenant ?? 'default') : principal.tenant,
        agent: { id: agent },
        ...(b.session ? { session: b.session } : {}),
        server: b.server,
        tool: b.tool,
        arguments: b.arguments ?? {},
        enforcementPoint: 'http',
        ...(b.approvalId ? { approvalId: b.approvalId } : {}),
        ...(b.toolDefinition ? { toolDefinition: b.toolDefinition } : {}),
      });
      metrics.decisions.inc({ action: decision.action, enforcement_point: 'http' });
      metrics.decisionLatency.observe(decision.latencyMs / 1000);
      sendJson(ctx.res, 200, decision);
    })
    .add('POST', '/api/v1/after-call', 'after_call', async (ctx, principal) => {
      const b = await body(ctx, afterCallBody, maxBodyBytes);
      const original = await runtime.ledger.getByActionId(b.actionId);
      const own = original && sameTenant(principal, original.entry.tenant) && (principal.role !== 'agent' || original.entry.agent === principal.agent);
      if (!own) throw new GatehouseError('NOT_FOUND', `no decision with action id ${b.actionId}`);
      sendJson(ctx.res, 200, await runtime.governor.afterCall(b.actionId, b.result, { enforcementPoint: 'http' }));
    })
    .add('GET', '/api/v1/approvals', 'approvals.read_own', async ({ res, query }, principal) => {
      const status = query.get('status') ?? undefined;
      if (status !== undefined && !isApprovalStatus(status)) {
        throw new GatehouseError('INPUT_INVALID', `query parameter status must be one of ${APPROVAL_STATUSES.join(', ')}`);
      }
      const list = await approvals.list({
        ...(status ? { status } : {}),
        ...(principal.tenant !== '*' ? { tenant: principal.tenant } : {}),
        limit: intParam(query, 'limit', 100, 1000),
      });
      sendJson(res, 200, { approvals: principal.role === 'agent' ? list.filter((a) => a.agent === principal.agent) : list });
    })
    .add('GET', '/api/v1/approvals/:id', 'approvals.read_own', async ({ res, params }, principal) => {
      sendJson(res, 200, await approvalFor(params.id!, principal));
    })
    .add('GET', '/api/v1/approvals/:id/wait', 'approvals.read_own', async ({ req, res, params, query }, principal) => {
      const approval = await approvalFor(params.id!, principal);
      if (approval.status !== 'pending') return sendJson(res, 200, approval);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), intParam(query, 'timeoutMs', 30_000, 300_000));
      const onClose = () => controller.abort();
      req.once('close', onClose);
      try {
        sendJson(res, 200, await approvals.waitForDecision(approval.id, { signal: controller.signal }));
      } catch (error) {
        if (controller.signal.aborted || (error instanceof GatehouseError && error.code === 'INTERNAL')) {
          if (!res.destroyed) sendJson(res, 200, await approvals.get(approval.id));
        } else throw error;
      } finally {
        clearTimeout(timer);
        req.off('close', onClose);
      }
    });

  for (const verb of ['approve', 'deny', 'cancel'] as const) {
    router.add('POST', `/api/v1/approvals/:id/${verb}`, 'approvals.decide', async (ctx, principal) => {
      const b = await body(ctx, approvalDecisionBody, 64 * 1024);
      await approvalFor(ctx.params.id!, principal);
      const by = principal.name;
      const decided =
        verb === 'approve'
          ? await approvals.approve(ctx.params.id!, { by, ...(b.reason ? { reason: b.reason } : {}) })
          : verb === 'deny'
            ? await approvals.deny(ctx.params.id!, { by, reason: b.reason ?? 'denied' })
            : await approvals.cancel(ctx.params.id!, { by, ...(b.reason ? { reason: b.reason } : {}) });
      sendJson(ctx.res, 200, decided);
    });
  }

  router
    .add('GET', '/api/v1/ledger/entries', 'ledger.read', async ({ res, query }, principal) => {
      const from = intParam(query, 'from', 0, Number.MAX_SAFE_INTEGER);
      const records = await runtime.ledger.range(from, intParam(query, 'limit', 100, 1000));
      sendJson(res, 200, { size: await runtime.ledger.size(), entries: records.filter((r) => sameTenant(principal, r.entry.tenant)) });
    })
    .add('GET', '/api/v1/ledger/entries/:actionId', 'ledger.read', async ({ res, params }, principal) => {
      const record = await runtime.ledger.getByActionId(params.actionId!);
      if (!record || !sameTenant(principal, record.entry.tenant)) throw new GatehouseError('NOT_FOUND', `no ledger entry ${params.actionId}`);
      sendJson(res, 200, record);
    })
    .add('GET', '/api/v1/ledger/checkpoint', 'ledger.read', async ({ res }) => {
      const checkpoint = await runtime.ledger.checkpoint();
      sendJson(res, 200, { checkpoint, verifierKey: runtime.ledger.vkey });
    })
    .add('GET', '/api/v1/ledger/proof/:actionId', 'ledger.read', async ({ res, params }, principal) => {
      const record = await runtime.ledger.getByActionId(params.actionId!);
      if (!record || !sameTenant(principal, record.entry.tenant)) throw new GatehouseError('NOT_FOUND', `no ledger entry ${params.actionId}`);
      await runtime.ledger.checkpoint();
      sendJson(res, 200, await runtime.ledger.proveInclusion(record.index));
    })
    .add('GET', '/api/v1/ledger/consistency', 'ledger.read', async ({ res, query }) => {
      const size = await runtime.ledger.size();
      sendJson(res, 200, await runtime.ledger.proveConsistency(intParam(query, 'from', 0, size), intParam(query, 'to', size, size)));
    })
    .add('GET', '/api/v1/policy', 'approvals.read', ({ res }) => {
      const b = runtime.policies.bundle;
      sendJson(res, 200, {
        digest: b.digest,
        files: b.files,
        policies: [...b.toolPolicies, ...b.guardrailPolicies].map((p) => ({ kind: p.ref.kind, name: p.name, file: p.ref.file, line: p.ref.line })),
      });
    })
    .add('POST', '/api/v1/usage/spend', 'admin', async (ctx, principal) => {
      const b = await body(ctx, spendBody, 64 * 1024);
      const tenant = b.scope.startsWith('tenant:') ? b.scope.slice(7) : b.scope.startsWith('agent:') ? b.scope.slice(6).split('/')[0]! : '';
      if (!tenant || !sameTenant(principal, tenant)) throw new GatehouseError('FORBIDDEN', `scope ${b.scope} is not in tenant ${principal.tenant}`, { hint: 'use "tenant:<tenant>" or "agent:<tenant>/<agent>"' });
      sendJson(ctx.res, 200, await runtime.limits.recordSpend(b.scope, b.amountUsd));
    });
}
