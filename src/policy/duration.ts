import { GatehouseError } from '../errors.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** setTimeout's ceiling; also a sane upper bound for anything a human is asked to decide. */
export const MAX_DURATION_MS = 2_147_483_647;

/**
 * Parses "45s", "30m", "1h", "2d" (also "250ms") into milliseconds. Strict: one positive integer
 * and one unit, no spaces, no fractions, no signs, no compound forms like "1h30m".
 */
export function parseDuration(text: string, what = 'duration'): number {
  if (typeof text !== 'string') {
    throw new GatehouseError('INPUT_INVALID', `${what} must be a string like "30m", got ${typeof text}`);
  }
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (!m) {
    const hint = /^\d+$/.test(text.trim())
      ? `add a unit: "${text.trim()}s" for seconds, "${text.trim()}m" for minutes`
      : 'use a whole number followed by one unit: ms, s, m, h or d (e.g. 45s, 30m, 1h, 2d)';
    throw new GatehouseError('INPUT_INVALID', `invalid ${what} "${text}"`, { hint });
  }
  const n = Number(m[1]);
  const ms = n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (n === 0) throw new GatehouseError('INPUT_INVALID', `${what} "${text}" must be greater than zero`);
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) {
    throw new GatehouseError('INPUT_INVALID', `${what} "${text}" is too long (at most 24d)`);
  }
  return ms;
}

/** Milliseconds → the largest exact unit, e.g. 1_800_000 → "30m", 90_000 → "90s". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** A policy duration: a string as above, or a positive number of milliseconds. */
export function durationMs(value: string | number, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_DURATION_MS) {
      throw new GatehouseError('INPUT_INVALID', `${what} must be a positive whole number of milliseconds up to 24d`);
    }
    return value;
  }
  return parseDuration(value, what);
}
