import { createHash, timingSafeEqual } from 'node:crypto';

/** The exact call an approval is for. Approving it approves this and nothing else. */
export interface ApprovalBinding {
  tenant: string;
  agent: string;
  server: string;
  tool: string;
  argumentsDigest: string;
  bundleDigest: string;
  /** ISO-8601, as stored on the approval. */
  expiresAt: string;
}

const DOMAIN = 'gatehouse.approval-binding.v1';

/**
 * Canonical encoding: a JSON array of strings in a fixed order behind a domain tag. JSON string
 * escaping makes the encoding injective (no field can bleed into the next), and arrays keep order.
 */
export function canonicalBinding(b: ApprovalBinding): string {
  const fields = [b.tenant, b.agent, b.server, b.tool, b.argumentsDigest, b.bundleDigest, b.expiresAt];
  if (fields.some((v) => typeof v !== 'string')) throw new TypeError('every approval binding field must be a string');
  return JSON.stringify([DOMAIN, ...fields]);
}

/** "sha256:<hex>" over the canonical binding. */
export function bindingDigest(b: ApprovalBinding): string {
  return 'sha256:' + createHash('sha256').update(canonicalBinding(b), 'utf8').digest('hex');
}

/** Constant-time equality of two digests of the form "sha256:<hex>". */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
