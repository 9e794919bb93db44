import { GatehouseError } from '../errors.ts';
import type { BudgetConfig, BudgetPeriod, LimitsStore } from '../store/ports.ts';
import { nextUtcMidnight, nextUtcMonth, utcDay } from './utc.ts';
import { requireKey, requireNonNegativeInt } from './validate.ts';

export type { BudgetConfig, BudgetPeriod };

export interface BudgetStatus {
  scope: string;
  /** null when no budget is set for the scope (spend is still recorded). */
  limitMicros: number | null;
  period: BudgetPeriod | null;
  spentMicros: number;
  remainingMicros: number | null;
  /** True when nothing is left: spent >= limit. */
  exceeded: boolean;
  /** When the period's spend starts again from zero; null for 'total' or no budget. */
  resetsAt: string | null;
}

const SPEND = 'spend';
const PERIODS: readonly BudgetPeriod[] = ['day', 'month', 'total'];

/**
 * Money budgets in integer micro-units (1 USD = 1_000_000), per scope. Spend is recorded per UTC
 * day whether or not a budget is set; a budget sums the spend of its period (UTC day, UTC
 * calendar month, or all time). Recording spend never refuses: the usage already happened; the
 * Governor checks the budget before the next call.
 */
export class Budgets {
  readonly #store: LimitsStore;
  readonly #now: () => number;

  constructor(store: LimitsStore, options: { now?: () => number } = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
  }

  async setBudget(scope: string, config: BudgetConfig | null): Promise<void> {
    requireKey(scope, 'budget scope');
    if (config !== null) {
      requireNonNegativeInt(config.limitMicros, 'budget limitMicros');
      if (!PERIODS.includes(config.period)) {
        throw new GatehouseError('INPUT_INVALID', `budget period must be one of ${PERIODS.join(', ')}, got ${String(config.period)}`);
      }
    }
    await this.#store.setBudget(scope, config);
  }

  async recordSpend(scope: string, amountMicros: number, now: number = this.#now()): Promise<BudgetStatus> {
    requireKey(scope, 'budget scope');
    requireNonNegativeInt(amountMicros, 'spend amountMicros');
    await this.#store.addToCounter(scope, SPEND, utcDay(now), amountMicros, null);
    return this.checkBudget(scope, now);
  }

  async checkBudget(scope: string, now: number = this.#now()): Promise<BudgetStatus> {
    requireKey(scope, 'budget scope');
    const budget = await this.#store.getBudget(scope);
    const today = utcDay(now);
    const period = budget?.period ?? 'total';
    const [from, to, resets] =
      period === 'day'
        ? [today, today, nextUtcMidnight(now)]
        : period === 'month'
          ? [today.slice(0, 8) + '01', today.slice(0, 8) + '31', nextUtcMonth(now)]
          : ['0000-01-01', '9999-12-31', null];
    const spent = await this.#store.sumCounter(scope, SPEND, from, to);
    if (!budget) return { scope, limitMicros: null, period: null, spentMicros: spent, remainingMicros: null, exceeded: false, resetsAt: null };
    return {
      scope,
      limitMicros: budget.limitMicros,
      period: budget.period,
      spentMicros: spent,
      remainingMicros: Math.max(0, budget.limitMicros - spent),
      exceeded: spent >= budget.limitMicros,
      resetsAt: resets === null ? null : new Date(resets).toISOString(),
    };
  }
}
