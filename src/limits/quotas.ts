import type { LimitsStore } from '../store/ports.ts';
import { nextUtcMidnight, utcDay } from './utc.ts';
import { requireKey, requirePositiveInt } from './validate.ts';

export interface QuotaResult {
  allowed: boolean;
  limit: number;
  /** Calls counted today (UTC), including this one when allowed. */
  used: number;
  remaining: number;
  /** Next 00:00 UTC, when the count starts again. */
  resetsAt: string;
}

const CALLS = 'calls';

/**
 * Calls per day per scope (e.g. "agent:acme/release-bot", "tenant:acme"), in calendar days that
 * reset at 00:00 UTC. Counters live in the store, so they survive restarts; refused calls are
 * not counted.
 */
export class Quotas {
  readonly #store: LimitsStore;

  constructor(store: LimitsStore) {
    this.#store = store;
  }

  async consume(scope: string, spec: { perDay: number }, now: number = Date.now()): Promise<QuotaResult> {
    requireKey(scope, 'quota scope');
    const limit = requirePositiveInt(spec.perDay, 'quota perDay');
    const r = await this.#store.addToCounter(scope, CALLS, utcDay(now), 1, limit);
    return {
      allowed: r.applied,
      limit,
      used: r.value,
      remaining: Math.max(0, limit - r.value),
      resetsAt: new Date(nextUtcMidnight(now)).toISOString(),
    };
  }

  /** Calls counted for `scope` on the UTC day containing `now`. */
  usage(scope: string, now: number = Date.now()): Promise<number> {
    const day = utcDay(now);
    return this.#store.sumCounter(requireKey(scope, 'quota scope'), CALLS, day, day);
  }
}
