import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLedger, verifierFromVkey } from '../../src/ledger/service/ledger.ts';
import { witnessCheckpoint } from '../../src/ledger/service/witness.ts';
import { consistencyProofFromStore } from '../../src/ledger/service/proofs.ts';
import { generateSignerKey, verifierOf } from '../../src/ledger/keys.ts';
import { verifyCosignature } from '../../src/ledger/cosignature.ts';
import { openCheckpoint } from '../../src/ledger/checkpoint.ts';
import { SqliteLedgerStore } from '../../src/store/sqlite/ledger-store.ts';
import { GatehouseError } from '../../src/errors.ts';
import { formatSignerKey } from '../../src/ledger/keys.ts';
import { sampleEntry, tempDir } from './helpers.ts';

test('a witness cosigns consistent growth and refuses forks and rollbacks', async (t) => {
  const dir = tempDir(t);
  const logKey = formatSignerKey(generateSignerKey('example.org/log'));
  const log = await openLedger({ path: join(dir, 'log.db'), key: logKey });
  const fork = await openLedger({ path: join(dir, 'fork.db'), key: logKey });
  const state = SqliteLedgerStore.open(join(dir, 'witness.db'));
  const wkey = generateSignerKey('example.org/witness', 0x04);
  const witness = (l: typeof log, checkpoint: string) =>
    witnessCheckpoint({ state, witnessKey: wkey, logVerifier: verifierFromVkey(l.vkey), checkpoint, getProof: (a, b) => consistencyProofFromStore(l.store, a, b) });

  for (let i = 0; i < 10; i++) {
    await log.append(sampleEntry(i, { actionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, time: '2025-01-01T00:00:00Z' }));
    await fork.append(sampleEntry(i, { actionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, time: '2025-01-01T00:00:00Z' }));
  }
  const cp10 = await log.checkpoint();
  assert.equal(toHexRoot(cp10.note), toHexRoot((await fork.checkpoint()).note), 'identical prefixes have identical roots');
  const first = await witness(log, cp10.note);
  assert.equal(first.previousSize, undefined);
  assert.equal(verifyCosignature(first.cosignedCheckpoint, verifierOf(wkey)) > 0, true);
  assert.equal(openCheckpoint(first.cosignedCheckpoint, [verifierFromVkey(log.vkey)]).size, 10, 'the log signature still verifies');

  for (let i = 10; i < 25; i++) await log.append(sampleEntry(i));
  for (let i = 10; i < 25; i++) await fork.append(sampleEntry(i + 100));
  const cp25 = await log.checkpoint();
  const grown = await witness(log, cp25.note);
  assert.equal(grown.previousSize, 10);

  // same key, same origin, same size, other history: a fork
  const forked = await fork.checkpoint();
  await assert.rejects(witness(fork, forked.note), (e: unknown) => e instanceof GatehouseError && e.code === 'LEDGER_TAMPERED' && /forked/.test(e.message));
  // larger but inconsistent
  await fork.append(sampleEntry(999));
  await assert.rejects(witness(fork, (await fork.checkpoint()).note), /not consistent/);
  // rollback to an older checkpoint
  await assert.rejects(witness(log, cp10.note), /older than the last cosigned size 25/);
  // a checkpoint not signed by the pinned log key
  const stranger = await openLedger({ path: join(dir, 'stranger.db') });
  await stranger.append(sampleEntry(0));
  await assert.rejects(
    witnessCheckpoint({ state, witnessKey: wkey, logVerifier: verifierFromVkey(log.vkey), checkpoint: (await stranger.checkpoint()).note, getProof: async () => [] }),
    /does not verify with the log key/,
  );
  assert.equal((await state.getWitnessState(log.origin))?.size, 25);
  await Promise.all([log.close(), fork.close(), stranger.close(), state.close()]);
});

function toHexRoot(note: string): string {
  return note.split('\n')[2]!;
}
