import { createHmac, timingSafeEqual } from 'node:crypto';

/** "sha256=<hex>" of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signWebhookPayload(secret: string, timestamp: string | number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export interface VerifyWebhookInput {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string;
  /** X-Gatehouse-Timestamp: unix seconds. */
  timestamp: string | null | undefined;
  /** X-Gatehouse-Signature: "sha256=<hex>". */
  signature: string | null | undefined;
  /** Accepted clock difference in seconds, either way (replay window). Default 300. */
  toleranceSec?: number;
  /** Receiver's clock, epoch ms. Default Date.now(). */
  now?: number;
}

export type VerifyWebhookResult = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * For receivers: checks the signature in constant time and refuses timestamps outside the
 * tolerance, so a captured request cannot be replayed later. Receivers should also drop
 * repeated X-Gatehouse-Delivery ids inside the tolerance window.
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyWebhookResult {
  const { secret, body, timestamp, signature } = input;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const toleranceSec = input.toleranceSec ?? 300;
  const nowSec = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhookPayload(secret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
