/**
 * Worker thread that owns the ledger's write connection. Group commits (insert + fsync) run
 * here, so the main thread keeps deciding calls, and gathering the next batch, meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GatehouseError, errorMessage } from '../../errors.ts';
import type { LedgerAppendBatch, LedgerCheckpointRow, WitnessStateRow } from '../ledger-port.ts';
import { SqliteLedgerStore } from './ledger-store.ts';

export type WriterRequest =
  | { id: number; op: 'appendBatch'; batch: LedgerAppendBatch }
  | { id: number; op: 'putCheckpoint'; row: LedgerCheckpointRow }
  | { id: number; op: 'putWitnessState'; row: WitnessStateRow }
  | { id: number; op: 'close' };

export type WriterResponse = { id: number; ok: true } | { id: number; ok: false; code: string; message: string };

const store = SqliteLedgerStore.open((workerData as { path: string }).path);
parentPort!.on('message', (request: WriterRequest) => {
  void (async () => {
    try {
      if (request.op === 'appendBatch') await store.appendBatch(request.batch);
      else if (request.op === 'putCheckpoint') await store.putCheckpoint(request.row);
      else if (request.op === 'putWitnessState') await store.putWitnessState(request.row);
      else await store.close();
      parentPort!.postMessage({ id: request.id, ok: true } satisfies WriterResponse);
    } catch (error) {
      const code = error instanceof GatehouseError ? error.code : 'LEDGER_IO';
      parentPort!.postMessage({ id: request.id, ok: false, code, message: errorMessage(error) } satisfies WriterResponse);
    }
  })();
});
