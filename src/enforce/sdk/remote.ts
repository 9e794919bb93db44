import { GatehouseError, type ErrorCode } from '../../errors.ts';
import type { AfterCallResult, CallContext, Decision } from '../../govern/types.ts';
import type { ApprovalView } from '../../govern/ports.ts';
import type { DecisionClient } from './harness.ts';

export interface RemoteClientOptions {
  /** Base URL of `gatehouse serve`, e.g. http://127.0.0.1:8787 */
  url: string;
  apiKey: string;
  /** Per-request timeout (default 10 s); waiting for approvals uses long polls instead. */
  timeoutMs?: number;
}

/** The same operations as the in-process Governor, over the REST API. */
export class RemoteClient implements DecisionClient {
  readonly #base: string;
  readonly #key: string;
  readonly #timeoutMs: number;

  constructor(options: RemoteClientOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#key = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async request<T>(method: string, path: string, body?: unknown, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const json = body === undefined ? undefined : serialize(body);
    let response: Response;
    try {
      response = await fetch(this.#base + path, {
        method,
        headers: { authorization: `Bearer ${this.#key}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: json } : {}),
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new GatehouseError('STORE_UNAVAILABLE', `cannot reach Gatehouse at ${this.#base}: ${(error as Error).message}`, {
        hint: 'is `gatehouse serve` running, and is the URL right?',
      });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new GatehouseError('INTERNAL', `Gatehouse answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const e = (parsed as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error;
      throw new GatehouseError((e?.code as ErrorCode) ?? 'INTERNAL', e?.message ?? `HTTP ${response.status}`, e?.hint ? { hint: e.hint } : {});
    }
    return parsed as T;
  }

  decide(ctx: CallContext): Promise<Decision> {
    return this.request<Decision>('POST', '/api/v1/decide', {
      tool: ctx.tool,
      server: ctx.server,
      arguments: ctx.arguments,
      agent: ctx.agent.id,
      ...(ctx.tenant ? { tenant: ctx.tenant } : {}),
      ...(ctx.session ? { session: ctx.session } : {}),
      ...(ctx.approvalId ? { approvalId: ctx.approvalId } : {}),
      ...(ctx.toolDefinition ? { toolDefinition: ctx.toolDefinition } : {}),
    });
  }

  afterCall(actionId: string, result: unknown): Promise<AfterCallResult> {
    return this.request<AfterCallResult>('POST', '/api/v1/after-call', { actionId, result });
  }

  /** Long-polls until the request is decided (each poll is answered the moment it is). */
  async waitForApproval(approvalId: string, signal?: AbortSignal): Promise<ApprovalView> {
    for (;;) {
      const approval = await this.request<ApprovalView>('GET', `/api/v1/approvals/${encodeURIComponent(approvalId)}/wait?timeoutMs=25000`, undefined, {
        timeoutMs: 35_000,
        ...(signal ? { signal } : {}),
      });
      if (approval.status !== 'pending') return approval;
      if (signal?.aborted) return approval;
    }
  }
}

/**
 * The request body as JSON. Arguments nested past the stack, with a bigint, a cycle or a getter that
 * throws cannot be sent: that is the caller's invalid input (a deny, as in process), not a
 * RangeError or TypeError escaping govern().
 */
function serialize(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new GatehouseError('INPUT_INVALID', `the call cannot be sent as JSON: ${(error as Error).message}`, {
      hint: 'pass plain JSON data (objects, arrays, strings, numbers, booleans, null) nested at most 64 levels',
    });
  }
}
