import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { ThreadedLedgerStore } from '../../src/store/sqlite/threaded-ledger-store.ts';
import { SqliteLedgerStore } from '../../src/store/sqlite/ledger-store.ts';
import { ledgerStoreContract } from '../ledger/store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ledger-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

ledgerStoreContract('sqlite (file)', async () => SqliteLedgerStore.open(join(dir, `s${n++}.db`)));
ledgerStoreContract('sqlite (:memory:)', async () => SqliteLedgerStore.open(':memory:'));
ledgerStoreContract('sqlite, writes on a worker thread', async () => ThreadedLedgerStore.open(join(dir, `t${n++}.db`)));
