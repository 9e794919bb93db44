/**
 * Worker thread of a parallel audit: checks the entries of one index range on its own read-only
 * connection (checkedEntryPages) and posts each page's packed leaf hashes to the audit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.ts';
import { SqliteLedgerStore } from '../../store/sqlite/ledger-store.ts';
import type { Problem } from './audit.ts';
import { checkedEntryPages } from './entry-check.ts';

export interface AuditWorkerData {
  path: string;
  from: number;
  size: number;
  page: number;
}

export type AuditWorkerMessage =
  | { type: 'page'; hashes: ArrayBuffer; count: number; problem?: Problem }
  | { type: 'done' }
  | { type: 'failed'; message: string };

const { path, from, size, page } = workerData as AuditWorkerData;
const port = parentPort!;
try {
  const store = SqliteLedgerStore.open(path, { readonly: true });
  try {
    for await (const p of checkedEntryPages(store, from, size, size, page)) {
      // the page's buffer is its own (see checkedEntryPages), so it moves without a copy
      const hashes = p.hashes.buffer as ArrayBuffer;
      const message: AuditWorkerMessage = { type: 'page', hashes, count: p.count, ...(p.problem ? { problem: p.problem } : {}) };
      port.postMessage(message, [hashes]);
    }
  } finally {
    await store.close();
  }
  port.postMessage({ type: 'done' } satisfies AuditWorkerMessage);
} catch (error) {
  port.postMessage({ type: 'failed', message: errorMessage(error) } satisfies AuditWorkerMessage);
}
