import type { LimitsPort, RateCheck } from '../govern/ports.ts';
import type { GatehouseConfig } from '../config/schema.ts';
import { Budgets, Quotas, RateLimiter } from '../limits/index.ts';
import type { LimitsStore } from '../store/ports.ts';

type QuotaConfig = GatehouseConfig['limits']['quotas'][number];

/** Rate limits from rules, and the deployment's per-agent / per-tenant quotas and budgets. */
export class ConfiguredLimits implements LimitsPort {
  readonly rateLimiter: RateLimiter;
  readonly quotas: Quotas;
  readonly budgets: Budgets;
  readonly #configs: QuotaConfig[];
  readonly #budgetsSet = new Set<string>();

  constructor(store: LimitsStore, configs: QuotaConfig[]) {
    this.rateLimiter = new RateLimiter(store);
    this.quotas = new Quotas(store);
    this.budgets = new Budgets(store);
    this.#configs = configs;
  }

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateCheck> {
    const r = await this.rateLimiter.check(key, { limit, windowMs }, now.getTime());
    return { allowed: r.allowed, retryAfterMs: r.retryAfterMs };
  }

  async chargeCall(ctx: { tenant: string; agent: string }, now: Date): Promise<{ allowed: boolean; reason?: string; retryAfterMs?: number }> {
    const applicable = this.#configs.flatMap((cfg) => {
      const id = cfg.scope === 'agent' ? ctx.agent : ctx.tenant;
      if (cfg.id !== '*' && cfg.id !== id) return [];
      return [{ cfg, id, scope: `${cfg.scope}:${cfg.scope === 'agent' ? `${ctx.tenant}/${ctx.agent}` : ctx.tenant}` }];
    });
    // budgets first: a call refused for money does not use up a quota
    for (const { cfg, id, scope } of applicable) {
      if (cfg.budgetUsd === undefined) continue;
      if (!this.#budgetsSet.has(scope)) {
        await this.budgets.setBudget(scope, { limitMicros: Math.round(cfg.budgetUsd * 1_000_000), period: cfg.budgetPeriod });
        this.#budgetsSet.add(scope);
      }
      const status = await this.budgets.checkBudget(scope, now.getTime());
      if (status.exceeded) {
        return {
          allowed: false,
          reason: `budget of ${cfg.scope} ${id} exhausted: spent $${(status.spentMicros / 1e6).toFixed(2)} of $${cfg.budgetUsd.toFixed(2)} this ${cfg.budgetPeriod === 'total' ? 'deployment' : cfg.budgetPeriod}`,
          ...(status.resetsAt ? { retryAfterMs: Date.parse(status.resetsAt) - now.getTime() } : {}),
        };
      }
    }
    for (const { cfg, id, scope } of applicable) {
      if (cfg.callsPerDay === undefined) continue;
      const q = await this.quotas.consume(scope, { perDay: cfg.callsPerDay }, now.getTime());
      if (!q.allowed) {
        return {
          allowed: false,
          reason: `daily quota of ${cfg.scope} ${id} used up: ${q.limit} calls per UTC day; resets at ${q.resetsAt}`,
          retryAfterMs: Date.parse(q.resetsAt) - now.getTime(),
        };
      }
    }
    return { allowed: true };
  }

  /** Usage fed in from outside (e.g. a Managed Agents session's token cost). */
  async recordSpend(scope: string, amountUsd: number, now = new Date()) {
    return this.budgets.recordSpend(scope, Math.round(amountUsd * 1_000_000), now.getTime());
  }
}
