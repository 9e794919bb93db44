import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import type { Finding } from './types.ts';
import { childPath } from './detect-all.ts';

export type RedactionMode = 'mask' | 'hash' | 'encrypt';
export interface RedactionSpec {
  mode: RedactionMode;
  keyId?: string;
}
export interface RedactionKeys {
  /** keyId → 32-byte AES-256 key. */
  encryptionKeys?: Readonly<Record<string, Uint8Array>>;
  /** Deployment secret for HMAC-SHA256 hashing; required by mode 'hash'. */
  hashSalt?: Uint8Array | string;
}

/** `[REDACTED:type]`; cards keep their last four digits: `[REDACTED:credit_card:…1881]`. */
export function maskToken(type: string, value: string): string {
  if (type === 'credit_card') return `[REDACTED:credit_card:…${value.replace(/\D/g, '').slice(-4)}]`;
  return `[REDACTED:${type}]`;
}

/** `sha256:<hex>`, HMAC-SHA256 keyed by the deployment salt: equal values give equal tokens. */
export function hashToken(value: string, salt: Uint8Array | string | undefined): string {
  if (salt === undefined || salt.length < 16) {
    throw new GatehouseError('CONFIG_INVALID', 'hash redaction needs a deployment hashSalt of at least 16 bytes');
  }
  return `sha256:${createHmac('sha256', salt).update(value, 'utf8').digest('hex')}`;
}

const TOKEN = /^enc:v1:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9_-]+)$/;

function keyFor(keyId: string | undefined, keys: Readonly<Record<string, Uint8Array>> | undefined): Uint8Array {
  if (!keyId) throw new GatehouseError('CONFIG_INVALID', 'encrypt redaction needs a keyId');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(keyId)) throw new GatehouseError('CONFIG_INVALID', `invalid keyId ${JSON.stringify(keyId)}`);
  const key = keys?.[keyId];
  if (!key) throw new GatehouseError('CONFIG_INVALID', `no encryption key named ${JSON.stringify(keyId)}`, { hint: 'configure the key, or use mask/hash redaction' });
  if (key.length !== 32) throw new GatehouseError('CONFIG_INVALID', `encryption key ${JSON.stringify(keyId)} must be 32 bytes`);
  return key;
}

/** `enc:v1:<keyId>:<base64url(iv ‖ ciphertext ‖ tag)>`, AES-256-GCM with the key id as associated data. */
export function encryptToken(value: string, keyId: string | undefined, keys: Readonly<Record<string, Uint8Array>> | undefined): string {
  const key = keyFor(keyId, keys);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`enc:v1:${keyId}`));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `enc:v1:${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Recovers the original text of an `enc:v1:` token; throws if the key is unknown or the token was altered. */
export function decryptRedaction(token: string, keys: Readonly<Record<string, Uint8Array>>): string {
  const m = TOKEN.exec(token);
  if (!m) throw new GatehouseError('INPUT_INVALID', 'not an enc:v1 redaction token');
  const keyId = m[1]!;
  if (!keys[keyId]) throw new GatehouseError('NOT_FOUND', `no key named ${JSON.stringify(keyId)} to decrypt this token`);
  const key = keyFor(keyId, keys);
  const raw = Buffer.from(m[2]!, 'base64url');
  if (raw.length < 28) throw new GatehouseError('INPUT_INVALID', 'redaction token is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`enc:v1:${keyId}`));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new GatehouseError('INPUT_INVALID', 'redaction token does not decrypt with that key (altered or wrong key)');
  }
}

export interface Redaction {
  finding: Finding;
  spec: RedactionSpec;
}

const MODE_RANK: Record<RedactionMode, number> = { encrypt: 0, hash: 1, mask: 2 };

function replacement(type: string, text: string, spec: RedactionSpec, keys: RedactionKeys): string {
  if (spec.mode === 'mask') return maskToken(type, text);
  if (spec.mode === 'hash') return hashToken(text, keys.hashSalt);
  return encryptToken(text, spec.keyId, keys.encryptionKeys);
}

/**
 * Applies redactions to one string. Overlapping spans merge into one; the merged span uses the
 * mode that reveals least (mask > hash > encrypt) and the type of its first finding.
 */
export function redactString(s: string, items: readonly Redaction[], keys: RedactionKeys): string {
  const spans = [...items].sort((a, b) => a.finding.start - b.finding.start || b.finding.end - a.finding.end);
  const merged: Array<{ start: number; end: number; type: string; spec: RedactionSpec }> = [];
  for (const r of spans) {
    const last = merged[merged.length - 1];
    if (last && r.finding.start < last.end) {
      last.end = Math.max(last.end, r.finding.end);
      if (MODE_RANK[r.spec.mode] > MODE_RANK[last.spec.mode]) last.spec = r.spec;
    } else merged.push({ start: r.finding.start, end: r.finding.end, type: r.finding.type, spec: r.spec });
  }
  let out = '';
  let at = 0;
  for (const m of merged) {
    out += s.slice(at, m.start) + replacement(m.type, s.slice(m.start, m.end), m.spec, keys);
    at = m.end;
  }
  return out + s.slice(at);
}

/** Deep copy of `value` with the redactions applied at their paths (string values and object keys). */
export function redactValue(value: unknown, items: readonly Redaction[], keys: RedactionKeys): unknown {
  const byPath = new Map<string, Redaction[]>();
  for (const r of items) {
    const k = (r.finding.key ? 'k' : 'v') + r.finding.path;
    const list = byPath.get(k);
    if (list) list.push(r);
    else byPath.set(k, [r]);
  }
  const copy = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      const list = byPath.get('v' + path);
      return list ? redactString(v, list, keys) : v;
    }
    if (Array.isArray(v)) return v.map((x, i) => copy(x, childPath(path, i)));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = childPath(path, k);
        const keyList = byPath.get('k' + p);
        out[keyList ? redactString(k, keyList, keys) : k] = copy(x, p);
      }
      return out;
    }
    return v;
  };
  return copy(value, '$');
}
