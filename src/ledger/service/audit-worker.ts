/**
 * Worker thread of a parallel audit: checks the entries of one index range on its own read-only
 * connection (checkedEntryPages) and posts each page's leaf hashes, packed, to the audit.
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
      const packed = new Uint8Array(p.hashes.length * 32);
      p.hashes.forEach((h, k) => packed.set(h, k * 32));
      const message: AuditWorkerMessage = { type: 'page', hashes: packed.buffer, count: p.hashes.length, ...(p.problem ? { problem: p.problem } : {}) };
      port.postMessage(message, [packed.buffer]);
    }
  } finally {
    await store.close();
  }
  port.postMessage({ type: 'done' } satisfies AuditWorkerMessage);
} catch (error) {
  port.postMessage({ type: 'failed', message: errorMessage(error) } satisfies AuditWorkerMessage);
}
