import { createHash } from 'node:crypto';
import type { JsonValue } from '../ledger/entry.ts';

/** Canonical JSON: object keys sorted, no whitespace; the basis of argument digests. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** Lowercase hex SHA-256 of the canonical JSON of a call's arguments. */
export function argumentsDigest(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

/** Most bytes of a redacted arguments copy kept in a ledger entry; larger copies keep only their size. */
export const LEDGER_COPY_MAX_BYTES = 64 * 1024;

/** The redacted copy as the ledger stores it: as is when small, a size marker when large. */
export function ledgerCopy(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = canonicalJson(value);
  return text.length <= LEDGER_COPY_MAX_BYTES ? (JSON.parse(text) as JsonValue) : { $truncated: true, bytes: text.length };
}
