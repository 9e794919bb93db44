export { RateLimiter, type RateLimitResult, type RateLimitSpec } from './rate-limit.ts';
export { Quotas, type QuotaResult } from './quotas.ts';
export { Budgets, type BudgetStatus, type BudgetConfig, type BudgetPeriod } from './budgets.ts';
export { utcDay, nextUtcMidnight, nextUtcMonth } from './utc.ts';
