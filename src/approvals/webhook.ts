import { randomUUID } from 'node:crypto';
import { errorMessage } from '../errors.ts';
import type { ApprovalService, TransitionEvent } from './service.ts';
import { webhookPayload, type WebhookEvent, type WebhookFormat } from './webhook-payload.ts';
import { signWebhookPayload } from './webhook-signature.ts';

export { signWebhookPayload, verifyWebhookSignature, type VerifyWebhookInput, type VerifyWebhookResult } from './webhook-signature.ts';
export { webhookPayload, type WebhookEvent, type WebhookEventType, type WebhookFormat } from './webhook-payload.ts';

export interface WebhookTarget {
  url: string;
  /** HMAC key shared with the receiver. */
  secret: string;
  format?: WebhookFormat;
}

export interface WebhookOutcome {
  url: string;
  deliveryId: string;
  type: WebhookEvent['type'];
  approvalId: string;
  attempts: number;
  /** HTTP status of the last attempt, if one answered. */
  status?: number;
  /** Why the delivery failed (failures only). */
  error?: string;
}

export interface WebhookNotifierOptions {
  targets: readonly WebhookTarget[];
  /** Attempts per delivery, first one included. Default 5. */
  maxAttempts?: number;
  /** Backoff before attempt n+1 is in [d/2, d) with d = min(maxDelayMs, baseDelayMs * 2^(n-1)). Defaults 500 / 30000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt. Default 5000. */
  timeoutMs?: number;
  /** Called once per delivery that gave up; the approval itself is untouched (it stays pending, then expires: deny). */
  onFailure?: (outcome: WebhookOutcome) => void;
  onDelivered?: (outcome: WebhookOutcome) => void;
  /** Link target for the Slack format. */
  consoleUrl?: string;
  random?: () => number;
  now?: () => number;
}

const PERMANENT = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * Delivers approval events to webhook targets in the background. `notify` never throws and never
 * waits for the network; each delivery retries with exponential backoff and jitter, and reports
 * a final failure through `onFailure`.
 */
export class WebhookNotifier {
  readonly #o: Required<Omit<WebhookNotifierOptions, 'onFailure' | 'onDelivered' | 'consoleUrl'>> &
    Pick<WebhookNotifierOptions, 'onFailure' | 'onDelivered' | 'consoleUrl'>;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(options: WebhookNotifierOptions) {
    this.#o = {
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      timeoutMs: 5000,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  notify(event: WebhookEvent): void {
    for (const target of this.#o.targets) {
      const p = this.#deliver(target, event).catch(() => undefined);
      this.#inFlight.add(p);
      void p.finally(() => this.#inFlight.delete(p));
    }
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops retrying (pending retries fail with "notifier closed") and waits for in-flight attempts. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.idle();
  }

  async #deliver(target: WebhookTarget, event: WebhookEvent): Promise<void> {
    const deliveryId = randomUUID();
    const outcome: WebhookOutcome = { url: target.url, deliveryId, type: event.type, approvalId: event.approval.id, attempts: 0 };
    const fail = (error: string) => this.#report(this.#o.onFailure, { ...outcome, error });
    let body: string;
    try {
      body = JSON.stringify(webhookPayload(event, target.format ?? 'json', { consoleUrl: this.#o.consoleUrl }));
    } catch (error) {
      return fail(`cannot encode payload: ${errorMessage(error)}`);
    }
    let lastError = 'not attempted';
    for (let attempt = 1; attempt <= this.#o.maxAttempts; attempt++) {
      if (this.#closing.signal.aborted) return fail(`notifier closed (${lastError})`);
      outcome.attempts = attempt;
      const timestamp = String(Math.floor(this.#o.now() / 1000));
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'gatehouse-webhook/1',
            'x-gatehouse-event': event.type,
            'x-gatehouse-delivery': deliveryId,
            'x-gatehouse-timestamp': timestamp,
            'x-gatehouse-signature': signWebhookPayload(target.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(this.#o.timeoutMs),
          redirect: 'error',
        });
        await res.arrayBuffer().catch(() => undefined);
        outcome.status = res.status;
        if (res.ok) return this.#report(this.#o.onDelivered, outcome);
        lastError = `HTTP ${res.status}`;
        if (PERMANENT(res.status)) return fail(lastError);
      } catch (error) {
        lastError = (error as Error)?.name === 'TimeoutError' ? `no answer within ${this.#o.timeoutMs} ms` : describe(error);
      }
      if (attempt < this.#o.maxAttempts) await this.#sleep(this.#backoff(attempt));
    }
    return fail(`gave up after ${outcome.attempts} attempts: ${lastError}`);
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + this.#o.random() * (ceiling / 2);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#closing.signal;
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  #report(callback: ((o: WebhookOutcome) => void) | undefined, outcome: WebhookOutcome): void {
    try {
      callback?.({ ...outcome });
    } catch {
      // a failing observer must not break delivery of other events
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ? `${errorMessage(error)} (${cause.code})` : errorMessage(error);
}

/** Sends 'approval.requested' on creation and 'approval.decided' on every decision. Returns the unsubscribe function. */
export function attachWebhooks(service: ApprovalService, notifier: WebhookNotifier): () => void {
  return service.onTransition((e: TransitionEvent) => {
    notifier.notify({ type: e.transition.from === null ? 'approval.requested' : 'approval.decided', approval: e.approval });
  });
}
