import type { Worker } from 'node:worker_threads';
import { GatehouseError, type ErrorCode } from '../../errors.ts';
import type { LedgerAppendBatch, LedgerCheckpointRow, LedgerEntryFilter, LedgerStore, WitnessStateRow } from '../ledger-port.ts';
import type { NodeId } from '../../ledger/tree-math.ts';
import { SqliteLedgerStore } from './ledger-store.ts';
import { startModuleWorker } from './module-worker.ts';
import type { WriterRequest, WriterResponse } from './ledger-writer-worker.ts';

type Write = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The SQLite ledger store with its writes (appendBatch, checkpoints) on a worker thread and its
 * reads on the calling thread (WAL lets them run side by side). better-sqlite3 is synchronous:
 * without this, every group commit's fsync would stall the event loop of the process serving
 * decisions. Same contract as SqliteLedgerStore.
 */
export class ThreadedLedgerStore implements LedgerStore {
  private readonly pending = new Map<number, { resolve(): void; reject(e: unknown): void }>();
  private nextId = 0;
  private closed = false;
  /** Why the writer thread stopped, once it has: every later write is refused with it. */
  private failure: unknown;

  private constructor(
    private readonly reader: SqliteLedgerStore,
    private readonly worker: Worker,
  ) {
    worker.on('message', (m: WriterResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve();
      else p.reject(new GatehouseError(m.code as ErrorCode, m.message));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new GatehouseError('LEDGER_IO', 'the ledger writer thread stopped')));
    worker.unref(); // pending appends are unacknowledged, so exiting with them loses nothing acknowledged
  }

  /** Opens the reader first (it creates the schema), then starts the writer thread. */
  static open(path: string): ThreadedLedgerStore {
    const reader = SqliteLedgerStore.open(path);
    const worker = startModuleWorker(import.meta.url, 'ledger-writer-worker', { path });
    return new ThreadedLedgerStore(reader, worker);
  }

  private write(request: Write): Promise<void> {
    if (this.closed) return Promise.reject(new GatehouseError('LEDGER_IO', 'the ledger store is closed'));
    // a message to a stopped worker is dropped without a word: it would never be answered
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...request, id });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  private failAll(error: unknown): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  appendBatch(batch: LedgerAppendBatch): Promise<void> {
    return this.write({ op: 'appendBatch', batch });
  }
  putCheckpoint(row: LedgerCheckpointRow): Promise<void> {
    return this.write({ op: 'putCheckpoint', row });
  }
  putWitnessState(row: WitnessStateRow): Promise<void> {
    return this.write({ op: 'putWitnessState', row });
  }

  get filePath() {
    return this.reader.filePath;
  }
  getMeta(key: string) {
    return this.reader.getMeta(key);
  }
  initMeta(key: string, value: string) {
    return this.reader.initMeta(key, value);
  }
  size() {
    return this.reader.size();
  }
  getEntry(index: number) {
    return this.reader.getEntry(index);
  }
  getEntryByActionId(actionId: string) {
    return this.reader.getEntryByActionId(actionId);
  }
  scanEntries(from: number, limit: number) {
    return this.reader.scanEntries(from, limit);
  }
  scanEntryTexts(from: number, limit: number) {
    return this.reader.scanEntryTexts(from, limit);
  }
  findEntries(filter: LedgerEntryFilter) {
    return this.reader.findEntries(filter);
  }
  getNodes(ids: readonly NodeId[]) {
    return this.reader.getNodes(ids);
  }
  scanNodes(level: number, from: number, limit: number) {
    return this.reader.scanNodes(level, from, limit);
  }
  scanNodeRun(level: number, from: number, limit: number) {
    return this.reader.scanNodeRun(level, from, limit);
  }
  countNodes() {
    return this.reader.countNodes();
  }
  latestCheckpoint() {
    return this.reader.latestCheckpoint();
  }
  listCheckpoints() {
    return this.reader.listCheckpoints();
  }
  getWitnessState(origin: string) {
    return this.reader.getWitnessState(origin);
  }

  /** Waits for queued writes, stops the writer thread, closes the reader. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.write({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
    await this.reader.close();
  }
}
