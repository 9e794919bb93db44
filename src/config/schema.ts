import { z } from 'zod';
import { ACTIONS } from '../policy/schema.ts';

/** gatehouse.yaml. Every scalar setting can also be set with a GATEHOUSE_* variable (see env.ts). */
export const configSchema = z.strictObject({
  policies: z.array(z.string().min(1)).min(1).default(['policies']).describe('Policy files or folders'),
  store: z
    .strictObject({
      path: z.string().min(1).default('.gatehouse/gatehouse.db').describe('SQLite database file'),
    })
    .default({ path: '.gatehouse/gatehouse.db' }),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535).default(8787),
      maxBodyBytes: z.coerce.number().int().positive().default(2 * 1024 * 1024),
    })
    .default({ host: '127.0.0.1', port: 8787, maxBodyBytes: 2 * 1024 * 1024 }),
  decisions: z
    .strictObject({
      globalDefault: z.enum(ACTIONS).default('deny'),
      failOpen: z.boolean().default(false),
    })
    .default({ globalDefault: 'deny', failOpen: false }),
  ledger: z
    .strictObject({
      keyPath: z.string().min(1).optional().describe('Ed25519 signing key; generated next to the database if absent'),
      origin: z.string().min(1).optional().describe('Checkpoint origin line, e.g. gatehouse.example.com/ledger'),
    })
    .default({}),
  approvals: z
    .strictObject({
      webhooks: z
        .array(
          z.strictObject({
            url: z.string().url(),
            secret: z.string().min(16).describe('HMAC-SHA256 key shared with the receiver'),
            format: z.enum(['json', 'slack']).default('json'),
          }),
        )
        .default([]),
      publicUrl: z.string().url().optional().describe('Base URL approvers reach this server at (used in messages)'),
    })
    .default({ webhooks: [] }),
  redaction: z
    .strictObject({
      hashSalt: z.string().min(16).optional().describe('Salt for `hash` redaction (HMAC-SHA256); at least 16 characters'),
      keys: z
        .record(z.string().min(1), z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64-encoded 32-byte key (e.g. `openssl rand -base64 32`)'))
        .default({})
        .describe('Named AES-256 keys for `encrypt` redaction (keyId → base64 key)'),
    })
    .default({ keys: {} }),
  limits: z
    .strictObject({
      quotas: z
        .array(
          z.strictObject({
            scope: z.enum(['agent', 'tenant']),
            id: z.string().min(1).describe('Agent or tenant id, or "*" for each one'),
            callsPerDay: z.number().int().positive().optional(),
            budgetUsd: z.number().positive().optional(),
            budgetPeriod: z.enum(['day', 'month', 'total']).default('month'),
          }),
        )
        .default([]),
    })
    .default({ quotas: [] }),
});

export type GatehouseConfig = z.output<typeof configSchema>;
