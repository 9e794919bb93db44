import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import type { ApiKeyRecord, ApiKeyStore, Role } from '../store/ports.ts';
import { isRole, ROLES, type Principal } from './permissions.ts';

/**
 * Token format: gh_<id>_<secret>
 *   id     16 lowercase hex chars (8 random bytes), public, the key's id and lookup handle
 *   secret 43 base64url chars (32 random bytes)
 * Only SHA-256(secret) is stored. A slow KDF is unnecessary: the secret has 256 bits of entropy.
 */
const TOKEN = /^gh_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A key as shown to people: everything but the secret hash. */
export type ApiKey = Omit<ApiKeyRecord, 'secretHash'>;

export interface CreateKeyInput {
  tenant: string;
  role: Role;
  /** Required for role 'agent', refused for the others. */
  agent?: string;
  name?: string;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function publicKey(record: ApiKeyRecord): ApiKey {
  const { secretHash: _hidden, ...rest } = record;
  return rest;
}

/** Parses "Bearer <token>" or a bare token into its parts; null when it is not a Gatehouse key. */
export function parseToken(bearer: string): { id: string; secret: string } | null {
  const token = bearer.startsWith('Bearer ') ? bearer.slice(7).trim() : bearer.trim();
  const m = TOKEN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

const unauthorized = () =>
  new GatehouseError('UNAUTHORIZED', 'missing, malformed, unknown or revoked API key', {
    hint: 'send "Authorization: Bearer gh_<id>_<secret>"; create a key with `gatehouse keys create`',
  });

// compared against when the id is unknown, so that unknown and wrong keys cost the same
const DUMMY_HASH = hashSecret('gatehouse-dummy-secret');

export class ApiKeyService {
  readonly #store: ApiKeyStore;
  readonly #now: () => number;

  constructor(store: ApiKeyStore, options: { now?: () => number } = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
  }

  /** Creates a key; the plaintext token is returned here once and never again. */
  async createKey(input: CreateKeyInput): Promise<{ key: ApiKey; token: string }> {
    if (typeof input.tenant !== 'string' || input.tenant.trim() === '') throw new GatehouseError('INPUT_INVALID', 'tenant must be a non-empty string');
    if (!isRole(input.role)) {
      throw new GatehouseError('INPUT_INVALID', `unknown role ${String(input.role)}`, { hint: `use one of ${ROLES.join(', ')}` });
    }
    if (input.role === 'agent' && (typeof input.agent !== 'string' || input.agent.trim() === '')) {
      throw new GatehouseError('INPUT_INVALID', 'an agent key needs the agent it acts as', { hint: 'add --agent NAME' });
    }
    if (input.role !== 'agent' && input.agent !== undefined) {
      throw new GatehouseError('INPUT_INVALID', `only agent keys are bound to an agent; a ${input.role} key must not name one`);
    }
    // The name is who decides an approval over the REST API, and approvals take at most 256 characters.
    if (input.name !== undefined && (typeof input.name !== 'string' || input.name.trim().length > 256)) {
      throw new GatehouseError('INPUT_INVALID', 'a key name must be at most 256 characters');
    }
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      secretHash: hashSecret(secret).toString('hex'),
      tenant: input.tenant,
      role: input.role,
      agent: input.role === 'agent' ? input.agent! : null,
      name: input.name?.trim() || `${input.role}-${id.slice(0, 6)}`,
      createdAt: new Date(this.#now()).toISOString(),
      revokedAt: null,
    };
    await this.#store.insert(record);
    return { key: publicKey(record), token: `gh_${id}_${secret}` };
  }

  /** The principal behind a bearer token; UNAUTHORIZED for anything else (same error for every cause). */
  async authenticate(bearer: string | undefined | null): Promise<Principal> {
    const parsed = typeof bearer === 'string' ? parseToken(bearer) : null;
    if (!parsed) throw unauthorized();
    const record = await this.#store.get(parsed.id);
    const presented = hashSecret(parsed.secret);
    const stored = record ? Buffer.from(record.secretHash, 'hex') : DUMMY_HASH;
    const match = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (!record || !match || record.revokedAt !== null) throw unauthorized();
    return { keyId: record.id, tenant: record.tenant, role: record.role, agent: record.agent, name: record.name };
  }

  async list(filter: { tenant?: string; includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
    return (await this.#store.list(filter)).map(publicKey);
  }

  /** Revokes a key (idempotent); NOT_FOUND for an unknown id. */
  async revoke(id: string): Promise<ApiKey> {
    const record = await this.#store.revoke(id, this.#now());
    if (!record) throw new GatehouseError('NOT_FOUND', `no API key ${id}`, { hint: 'list keys with `gatehouse keys list`' });
    return publicKey(record);
  }
}
