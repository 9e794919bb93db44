import { GatehouseError } from '../errors.ts';
import { CanonicalJsonError, canonicalJson, type JsonValue } from './canonical-json.ts';
import { leafHash, type Hash } from './hash.ts';

export type { JsonValue } from './canonical-json.ts';

export type LedgerDecision = 'allow' | 'deny' | 'require_approval';

export interface LedgerRule {
  name?: string;
  document?: string;
  file?: string;
  line?: number;
}

/** What a caller appends. Only redacted values belong here: raw sensitive values never do. */
export interface LedgerEntry {
  /** UUID; the ledger generates a UUIDv7 (action-id.ts) when absent. Returned to the caller. */
  actionId?: string;
  /** ISO 8601 time; the ledger uses the append time when absent. */
  time?: string;
  tenant: string;
  agent: string;
  session?: string;
  /** 'sdk' | 'claude-agent-sdk' | 'mcp' | 'managed' | 'http' | 'system' | ... */
  enforcementPoint: string;
  /** 'decision' | 'approval.requested' | 'approval.granted' | ... | 'fail_open' (open set). */
  kind: string;
  server?: string;
  tool?: string;
  /** Lowercase hex SHA-256 of the canonical arguments. */
  argumentsDigest?: string;
  argumentsRedacted?: JsonValue;
  findings?: Array<{ [key: string]: JsonValue }>;
  decision?: LedgerDecision;
  rule?: LedgerRule;
  reason?: string;
  bundleDigest?: string;
  latencyMs?: number;
  data?: { [key: string]: JsonValue };
}

/** The entry as stored: its leaf is canonicalJson(StoredEntry) in UTF-8. */
export interface StoredEntry extends LedgerEntry {
  /** Leaf format version. */
  v: 1;
  /** Position in the log; part of the leaf, so reordering is detectable from a leaf alone. */
  index: number;
  actionId: string;
  time: string;
}

export const LEAF_FORMAT_VERSION = 1;
export const MAX_LEAF_BYTES = 256 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const DECISIONS = new Set(['allow', 'deny', 'require_approval']);
const KNOWN_KEYS = new Set([
  'actionId', 'time', 'tenant', 'agent', 'session', 'enforcementPoint', 'kind', 'server', 'tool', 'argumentsDigest',
  'argumentsRedacted', 'findings', 'decision', 'rule', 'reason', 'bundleDigest', 'latencyMs', 'data',
]);

function invalid(field: string, message: string): GatehouseError {
  return new GatehouseError('INPUT_INVALID', `ledger entry: ${field} ${message}`, { details: [{ where: field, message }] });
}

function optString(e: Record<string, unknown>, field: string): void {
  if (e[field] !== undefined && typeof e[field] !== 'string') throw invalid(field, 'must be a string');
}

function reqString(e: Record<string, unknown>, field: string): void {
  if (typeof e[field] !== 'string' || (e[field] as string).length === 0) throw invalid(field, 'must be a non-empty string');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates an input entry and fills in index, action id and time. Pure: ids come from the caller. */
export function normalizeEntry(input: LedgerEntry, index: number, defaults: { actionId: string; time: string }): StoredEntry {
  if (!isPlainObject(input)) throw invalid('entry', 'must be an object');
  const e = input as unknown as Record<string, unknown>;
  for (const k of Object.keys(e)) if (!KNOWN_KEYS.has(k) && e[k] !== undefined) throw invalid(k, 'is not a ledger entry field (use data)');
  for (const f of ['tenant', 'agent', 'enforcementPoint', 'kind']) reqString(e, f);
  for (const f of ['session', 'server', 'tool', 'reason', 'bundleDigest', 'actionId', 'time']) optString(e, f);
  // defaults come from the ledger itself (newActionId, Date#toISOString): only caller values are checked
  const actionId = input.actionId === undefined ? defaults.actionId : input.actionId.toLowerCase();
  if (input.actionId !== undefined && !UUID.test(actionId)) throw invalid('actionId', 'must be a UUID');
  const time = input.time ?? defaults.time;
  if (input.time !== undefined && (!ISO_TIME.test(time) || Number.isNaN(Date.parse(time)))) throw invalid('time', 'must be an ISO 8601 date-time');
  if (input.argumentsDigest !== undefined && !SHA256_HEX.test(input.argumentsDigest)) throw invalid('argumentsDigest', 'must be lowercase hex SHA-256');
  if (input.decision !== undefined && !DECISIONS.has(input.decision)) throw invalid('decision', 'must be allow, deny or require_approval');
  if (input.latencyMs !== undefined && (typeof input.latencyMs !== 'number' || !Number.isFinite(input.latencyMs) || input.latencyMs < 0)) {
    throw invalid('latencyMs', 'must be a non-negative number');
  }
  if (input.findings !== undefined && (!Array.isArray(input.findings) || !input.findings.every(isPlainObject))) {
    throw invalid('findings', 'must be an array of objects');
  }
  if (input.data !== undefined && !isPlainObject(input.data)) throw invalid('data', 'must be an object');
  if (input.rule !== undefined) {
    if (!isPlainObject(input.rule)) throw invalid('rule', 'must be an object');
    const r = input.rule as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!['name', 'document', 'file', 'line'].includes(k)) throw invalid(`rule.${k}`, 'is not a rule field');
    for (const f of ['name', 'document', 'file']) optString(r, f);
    if (r.line !== undefined && !(Number.isSafeInteger(r.line) && (r.line as number) > 0)) throw invalid('rule.line', 'must be a positive integer');
  }
  // Object.assign, not a spread: V8 copies an entry-sized object ~10x faster this way, and the
  // copy's (fast-mode) shape makes canonicalJson faster too. Same own enumerable properties.
  const stored = Object.assign({}, input) as unknown as StoredEntry;
  stored.v = LEAF_FORMAT_VERSION;
  stored.index = index;
  stored.actionId = actionId;
  stored.time = time;
  return stored;
}

/** Canonical JSON (sorted keys, no whitespace, RFC 8785 for these values) in UTF-8. */
export function encodeLeaf(entry: StoredEntry): Uint8Array {
  let text: string;
  try {
    text = canonicalJson(entry);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw invalid('entry', error.message);
    throw error;
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength > MAX_LEAF_BYTES) {
    throw new GatehouseError('INPUT_TOO_LARGE', `ledger entry is ${bytes.byteLength} bytes; the limit is ${MAX_LEAF_BYTES}`, {
      hint: 'store large values by digest; put only redacted, bounded data in the ledger',
    });
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class LeafFormatError extends Error {
  override name = 'LeafFormatError';
}

/**
 * Parses a stored leaf and checks it is in canonical form with the expected index, so any edit
 * that still hashes consistently (e.g. reformatting) is reported too.
 */
export function decodeLeaf(leaf: Uint8Array, expectedIndex?: number, options: { checkCanonical?: boolean } = {}): StoredEntry {
  return decodeLeafText(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('utf8'), expectedIndex, options);
}

/** decodeLeaf of leaf bytes already decoded as UTF-8. */
export function decodeLeafText(text: string, expectedIndex?: number, options: { checkCanonical?: boolean } = {}): StoredEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LeafFormatError('leaf is not valid JSON');
  }
  if (!isPlainObject(value) || value.v !== LEAF_FORMAT_VERSION) throw new LeafFormatError('leaf is not a version 1 ledger entry');
  const entry = value as unknown as StoredEntry;
  if (!Number.isSafeInteger(entry.index) || entry.index < 0) throw new LeafFormatError('leaf has no valid index');
  if (expectedIndex !== undefined && entry.index !== expectedIndex) {
    throw new LeafFormatError(`leaf says index ${entry.index} but is stored at index ${expectedIndex}`);
  }
  if (typeof entry.actionId !== 'string' || typeof entry.time !== 'string') throw new LeafFormatError('leaf lacks actionId or time');
  if (options.checkCanonical !== false && canonicalJson(value) !== text) throw new LeafFormatError('leaf is not in canonical form');
  return entry;
}

export function hashLeaf(leaf: Uint8Array): Hash {
  return leafHash(leaf);
}
