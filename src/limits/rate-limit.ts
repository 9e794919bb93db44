import type { LimitsStore } from '../store/ports.ts';
import { requireKey, requirePositiveInt } from './validate.ts';

export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Calls still allowed in the current window after this one. */
  remaining: number;
  /** 0 when allowed; otherwise the wait until the oldest counted call leaves the window. */
  retryAfterMs: number;
}

/**
 * Exact sliding window: every allowed call's timestamp is kept (at most `limit` per key and
 * window), and a call at time t is allowed when fewer than `limit` allowed calls happened in
 * (t - windowMs, t]. A call counted at t0 stops counting at exactly t0 + windowMs. Refused calls
 * are not recorded, so hammering a full window does not extend it.
 */
export class RateLimiter {
  readonly #store: LimitsStore;

  constructor(store: LimitsStore) {
    this.#store = store;
  }

  async check(key: string, spec: RateLimitSpec, now: number = Date.now()): Promise<RateLimitResult> {
    requireKey(key, 'rate limit key');
    const limit = requirePositiveInt(spec.limit, 'rate limit');
    const windowMs = requirePositiveInt(spec.windowMs, 'rate limit window');
    const r = await this.#store.slidingWindowHit(key, windowMs, limit, now);
    if (r.allowed) return { allowed: true, limit, remaining: Math.max(0, limit - r.count), retryAfterMs: 0 };
    const frees = (r.oldestMs ?? now) + windowMs - now;
    return { allowed: false, limit, remaining: 0, retryAfterMs: Math.min(windowMs, Math.max(1, frees)) };
  }

  /** The state of a window without counting a call. */
  async peek(key: string, spec: RateLimitSpec, now: number = Date.now()): Promise<{ count: number; remaining: number }> {
    const limit = requirePositiveInt(spec.limit, 'rate limit');
    const r = await this.#store.slidingWindowPeek(requireKey(key, 'rate limit key'), requirePositiveInt(spec.windowMs, 'rate limit window'), now);
    return { count: r.count, remaining: Math.max(0, limit - r.count) };
  }
}
