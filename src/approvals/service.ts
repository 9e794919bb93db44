import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import type { ApprovalRecord, ApprovalStatus, ApprovalStore, ApprovalTransition } from '../store/ports.ts';
import { bindingDigest, digestsEqual, type ApprovalBinding } from './binding.ts';
import { MAX_DURATION_MS, formatDuration } from '../policy/duration.ts';
import { nextStatus, type ApprovalEvent } from './state.ts';

export type Approval = ApprovalRecord;

export interface ApprovalRequestInput {
  tenant: string;
  agent: string;
  session?: string;
  server: string;
  tool: string;
  argumentsDigest: string;
  argumentsRedacted?: unknown;
  bundleDigest: string;
  rule?: string;
  timeoutMs: number;
  approvers?: string[];
}

/** The call presented when an approval is used; it must match the binding exactly. */
export type ApprovalCall = Omit<ApprovalBinding, 'expiresAt'>;

export interface TransitionEvent {
  transition: ApprovalTransition;
  approval: Approval;
}
export type TransitionListener = (event: TransitionEvent) => void | Promise<void>;

export interface ApprovalServiceOptions {
  /** Clock (epoch ms); tests inject one. */
  now?: () => number;
  /**
   * How often a waiter re-reads the store, to notice decisions made by another process on the
   * same database (the CLI). Decisions made through this service release waiters immediately.
   */
  pollIntervalMs?: number;
  /** Called when a transition listener throws; the transition itself stands. */
  onListenerError?: (error: unknown, event: TransitionEvent) => void;
}

/** Who records an expiry. */
export const SYSTEM_ACTOR = 'gatehouse';

/** Longest decision reason (the REST API's limit too) and approver name a decision takes. */
const MAX_REASON = 2000;
const MAX_BY = 256;

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GatehouseError('INPUT_INVALID', `${field} must be a non-empty string`);
  }
  return value;
}

export class ApprovalService {
  readonly #store: ApprovalStore;
  readonly #now: () => number;
  readonly #pollMs: number;
  readonly #onListenerError: ((error: unknown, event: TransitionEvent) => void) | undefined;
  readonly #listeners = new Set<TransitionListener>();
  readonly #waiters = new Map<string, Set<(a: Approval) => void>>();
  readonly #aborts = new Set<(error: Error) => void>();

  constructor(store: ApprovalStore, options: ApprovalServiceOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#pollMs = options.pollIntervalMs ?? 1000;
    this.#onListenerError = options.onListenerError;
  }

  /** Subscribes to every state change (creation included). Returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async request(input: ApprovalRequestInput): Promise<Approval> {
    for (const f of ['tenant', 'agent', 'server', 'tool', 'argumentsDigest', 'bundleDigest'] as const) requireText(input[f], f);
    if (input.session !== undefined) requireText(input.session, 'session');
    if (!Number.isSafeInteger(input.timeoutMs) || input.timeoutMs <= 0 || input.timeoutMs > MAX_DURATION_MS) {
      throw new GatehouseError('INPUT_INVALID', `approval timeout must be a positive whole number of milliseconds up to 24d`);
    }
    let approvers: string[] | null = null;
    if (input.approvers !== undefined) {
      if (!Array.isArray(input.approvers) || input.approvers.length === 0) {
        throw new GatehouseError('INPUT_INVALID', 'approvers must be a non-empty list of names (omit it to allow any approver)');
      }
      approvers = input.approvers.map((a, i) => requireText(a, `approvers[${i}]`));
    }
    const createdMs = this.#now();
    const expiresAt = new Date(createdMs + input.timeoutMs).toISOString();
    const record: Approval = {
      id: randomUUID(),
      status: 'pending',
      tenant: input.tenant,
      agent: input.agent,
      session: input.session ?? null,
      server: input.server,
      tool: input.tool,
      argumentsDigest: input.argumentsDigest,
      argumentsRedacted: input.argumentsRedacted ?? null,
      bundleDigest: input.bundleDigest,
      rule: input.rule ?? null,
      approvers,
      bindingDigest: bindingDigest({
        tenant: input.tenant,
        agent: input.agent,
        server: input.server,
        tool: input.tool,
        argumentsDigest: input.argumentsDigest,
        bundleDigest: input.bundleDigest,
        expiresAt,
      }),
      createdAt: new Date(createdMs).toISOString(),
      expiresAt,
      decidedAt: null,
      decidedBy: null,
      reason: null,
      consumedAt: null,
      consumedBy: null,
    };
    const transition = await this.#store.create(record);
    this.#emit({ transition, approval: record });
    return record;
  }

  async get(id: string): Promise<Approval> {
    const record = await this.#store.get(id);
    if (!record) throw new GatehouseError('NOT_FOUND', `no approval ${id}`, { hint: 'list them with `gatehouse approvals list`' });
    return record;
  }

  list(filter: { status?: ApprovalStatus; tenant?: string; limit?: number } = {}): Promise<Approval[]> {
    return this.#store.list(filter);
  }

  count(filter: { status?: ApprovalStatus; tenant?: string } = {}): Promise<number> {
    return this.#store.count(filter);
  }

  approve(id: string, decision: { by: string; reason?: string }): Promise<Approval> {
    return this.#decide(id, 'approve', decision.by, decision.reason ?? null);
  }

  async deny(id: string, decision: { by: string; reason: string }): Promise<Approval> {
    requireText(decision.reason, 'reason');
    return this.#decide(id, 'deny', decision.by, decision.reason);
  }

  cancel(id: string, decision: { by: string; reason?: string }): Promise<Approval> {
    return this.#decide(id, 'cancel', decision.by, decision.reason ?? null);
  }

  /** Marks every overdue pending request expired (default deny) and returns those it changed. */
  async expireDue(now: number | Date = this.#now()): Promise<Approval[]> {
    const nowMs = typeof now === 'number' ? now : now.getTime();
    const expired: Approval[] = [];
    for (const record of await this.#store.listOverdue(nowMs)) {
      const done = await this.#transition(record, 'expired', nowMs, SYSTEM_ACTOR, 'no decision before the approval timed out');
      if (done) expired.push(done);
    }
    return expired;
  }

  /**
   * Uses an approved request for `call`, once. Fails unless the call matches the binding exactly
   * (FORBIDDEN), and the request is approved, unused and unexpired (CONFLICT).
   */
  async consume(id: string, call: ApprovalCall, options: { actionId?: string } = {}): Promise<Approval> {
    const record = await this.get(id);
    const presented = bindingDigest({
      tenant: call.tenant,
      agent: call.agent,
      server: call.server,
      tool: call.tool,
      argumentsDigest: call.argumentsDigest,
      bundleDigest: call.bundleDigest,
      expiresAt: record.expiresAt,
    });
    if (!digestsEqual(presented, record.bindingDigest)) {
      throw new GatehouseError('FORBIDDEN', `approval ${id} was granted for a different call`, {
        hint: 'an approval covers one exact call: same tenant, agent, server, tool, arguments and policy bundle',
      });
    }
    if (record.status !== 'approved') throw new GatehouseError('CONFLICT', `approval ${id} is ${record.status}, not approved`);
    if (record.consumedAt) throw new GatehouseError('CONFLICT', `approval ${id} was already used at ${record.consumedAt}`);
    const nowMs = this.#now();
    if (nowMs >= Date.parse(record.expiresAt)) throw new GatehouseError('CONFLICT', `approval ${id} expired at ${record.expiresAt}`);
    const used = await this.#store.markConsumed(id, { bindingDigest: presented, atMs: nowMs, actionId: options.actionId ?? null });
    if (!used) throw new GatehouseError('CONFLICT', `approval ${id} can no longer be used (used or changed concurrently)`);
    return used;
  }

  /**
   * Resolves with the request once it is no longer pending: immediately for decisions made through
   * this service, within `pollIntervalMs` for decisions written by another process, and at the
   * expiry time (the request is then marked expired). Rejects on abort or a store failure.
   */
  waitForDecision(id: string, options: { signal?: AbortSignal } = {}): Promise<Approval> {
    return new Promise<Approval>((resolve, reject) => {
      let settled = false;
      let expiryTimer: NodeJS.Timeout | undefined;
      let poll: NodeJS.Timeout | undefined;
      const onDecided = (a: Approval) => finish(() => resolve(a));
      const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
      const onClose = (error: Error) => finish(() => reject(error));
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(expiryTimer);
        clearInterval(poll);
        this.#waiters.get(id)?.delete(onDecided);
        if (this.#waiters.get(id)?.size === 0) this.#waiters.delete(id);
        this.#aborts.delete(onClose);
        options.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#aborts.add(onClose);
      // subscribe before the first read so that a decision in between is not missed
      let set = this.#waiters.get(id);
      if (!set) this.#waiters.set(id, (set = new Set()));
      set.add(onDecided);

      const check = async () => {
        try {
          const record = await this.#store.get(id);
          if (settled) return;
          if (!record) return finish(() => reject(new GatehouseError('NOT_FOUND', `no approval ${id}`)));
          if (record.status !== 'pending') return onDecided(record);
          const left = Date.parse(record.expiresAt) - this.#now();
          if (left <= 0) {
            const expired = await this.#transition(record, 'expired', this.#now(), SYSTEM_ACTOR, 'no decision before the approval timed out');
            return onDecided(expired ?? (await this.get(id)));
          }
          if (expiryTimer === undefined) {
            expiryTimer = setTimeout(() => {
              expiryTimer = undefined;
              void check();
            }, Math.min(left, MAX_DURATION_MS));
          }
        } catch (error) {
          finish(() => reject(error));
        }
      };
      poll = setInterval(() => void check(), this.#pollMs);
      void check();
    });
  }

  /** Rejects every pending waitForDecision (for shutdown). Requests themselves stay pending. */
  close(): void {
    for (const abort of [...this.#aborts]) abort(new GatehouseError('INTERNAL', 'approval service closed while waiting for a decision'));
  }

  async #decide(id: string, event: ApprovalEvent, by: string, reason: string | null): Promise<Approval> {
    requireText(by, 'by');
    // Both are copied into a ledger entry: past the ledger's entry size limit that copy fails, and
    // every transition after it waits behind it, never recorded.
    if (by.length > MAX_BY) throw new GatehouseError('INPUT_INVALID', `by must be at most ${MAX_BY} characters`);
    if (reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON)) {
      throw new GatehouseError('INPUT_INVALID', `reason must be a string of at most ${MAX_REASON} characters (it is kept in the ledger)`);
    }
    const record = await this.get(id);
    const to = nextStatus(record.status, event);
    if ((event === 'approve' || event === 'deny') && record.approvers && !record.approvers.includes(by)) {
      throw new GatehouseError('FORBIDDEN', `${by} is not an approver for approval ${id}`, {
        hint: `allowed approvers: ${record.approvers.join(', ')}`,
      });
    }
    const nowMs = this.#now();
    if (nowMs >= Date.parse(record.expiresAt)) {
      await this.#transition(record, 'expired', nowMs, SYSTEM_ACTOR, 'no decision before the approval timed out');
      throw new GatehouseError('CONFLICT', `approval ${id} expired at ${record.expiresAt} (${formatDuration(Date.parse(record.expiresAt) - Date.parse(record.createdAt))} timeout); it cannot be ${to}`);
    }
    const done = await this.#transition(record, to, nowMs, by, reason);
    if (!done) {
      const current = await this.get(id);
      throw new GatehouseError('CONFLICT', `approval ${id} is already ${current.status}; it cannot be ${to}`);
    }
    return done;
  }

  /** CAS pending → to; emits and returns the new record, or null if someone else got there first. */
  async #transition(record: Approval, to: ApprovalStatus, atMs: number, by: string, reason: string | null): Promise<Approval | null> {
    const result = await this.#store.transition(record.id, { from: 'pending', to, atMs, by, reason });
    if (!result) return null;
    this.#emit({ transition: result.transition, approval: result.record });
    return result.record;
  }

  #emit(event: TransitionEvent): void {
    if (event.approval.status !== 'pending') {
      for (const waiter of [...(this.#waiters.get(event.approval.id) ?? [])]) waiter(event.approval);
    }
    for (const listener of this.#listeners) {
      try {
        const r = listener(event);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => this.#onListenerError?.(e, event));
      } catch (error) {
        this.#onListenerError?.(error, event);
      }
    }
  }
}
