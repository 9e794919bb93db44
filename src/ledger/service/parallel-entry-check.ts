import { errorMessage } from '../../errors.ts';
import type { LedgerStore } from '../../store/ledger-port.ts';
import { startModuleWorker } from '../../store/sqlite/module-worker.ts';
import type { AuditWorkerData, AuditWorkerMessage } from './audit-worker.ts';
import { checkedEntryPages, type CheckedPage } from './entry-check.ts';

/**
 * The audit's entry checks for [from, size) on a worker thread with its own connection to the
 * database file, started at once so it runs while this thread does other work. pages() yields
 * what checkedEntryPages would, in order; should the worker fail, the rest is checked on this
 * thread, so a broken worker costs time, never a check. stop() ends the worker (pages() does
 * when it finishes or its consumer stops early).
 */
export class WorkerEntryPages {
  private readonly inbox: AuditWorkerMessage[] = [];
  private wake: (() => void) | undefined;
  private readonly worker;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly store: LedgerStore,
    path: string,
    private readonly from: number,
    private readonly size: number,
    private readonly page: number,
  ) {
    this.worker = startModuleWorker(import.meta.url, 'audit-worker', { path, from, size, page } satisfies AuditWorkerData);
    this.worker.on('message', (m: AuditWorkerMessage) => this.deliver(m));
    this.worker.on('error', (error) => this.deliver({ type: 'failed', message: errorMessage(error) }));
    this.worker.on('exit', () => this.deliver({ type: 'failed', message: 'the audit worker stopped' }));
  }

  private deliver(m: AuditWorkerMessage): void {
    this.inbox.push(m);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async receive(): Promise<AuditWorkerMessage> {
    while (this.inbox.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.inbox.shift()!;
  }

  async *pages(): AsyncGenerator<CheckedPage> {
    let next = this.from;
    try {
      for (;;) {
        const m = await this.receive();
        if (m.type === 'done') return;
        if (m.type === 'failed') {
          await this.stop();
          yield* checkedEntryPages(this.store, next, this.size, this.size, this.page);
          return;
        }
        const hashes = new Uint8Array(m.hashes);
        next += m.count;
        if (m.problem) {
          yield { hashes, count: m.count, problem: m.problem };
          return;
        }
        yield { hashes, count: m.count };
      }
    } finally {
      await this.stop();
    }
  }

  stop(): Promise<void> {
    this.stopped ??= this.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
    return this.stopped;
  }
}
