import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerEntryRow, LedgerStore } from '../../src/store/ledger-port.ts';
import { GatehouseError } from '../../src/errors.ts';
import { leafHash, nodeHash, toHex } from '../../src/ledger/hash.ts';

function row(index: number, agent = 'a'): LedgerEntryRow {
  const leaf = Buffer.from(`{"index":${index}}`);
  return {
    index, actionId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, time: `2025-01-01T00:00:${String(index % 60).padStart(2, '0')}Z`,
    tenant: 't', agent, session: index % 2 ? 's1' : null, kind: 'decision', leaf, leafHash: leafHash(leaf),
  };
}

/** The behaviour every LedgerStore (SQLite now, PostgreSQL later) must show. */
export function ledgerStoreContract(name: string, open: () => Promise<LedgerStore>): void {
  test(`${name}: batches are atomic and refuse a wrong start index (no forks between writers)`, async () => {
    const s = await open();
    try {
      assert.equal(await s.size(), 0);
      const r0 = row(0), r1 = row(1);
      await s.appendBatch({ start: 0, entries: [r0, r1], nodes: [{ level: 1, index: 0, hash: nodeHash(r0.leafHash, r1.leafHash) }] });
      assert.equal(await s.size(), 2);
      await assert.rejects(s.appendBatch({ start: 1, entries: [row(1)], nodes: [] }), (e: unknown) => e instanceof GatehouseError && e.code === 'CONFLICT');
      // a duplicate action id fails the whole batch: nothing of it is stored
      const dup = { ...row(3), actionId: r0.actionId };
      await assert.rejects(s.appendBatch({ start: 2, entries: [row(2), dup], nodes: [] }));
      assert.equal(await s.size(), 2);
      assert.equal(await s.getEntry(2), undefined);
      // a batch built on another batch names that batch's last leaf: another leaf there is a conflict
      await assert.rejects(
        s.appendBatch({ start: 2, prevLeafHash: r0.leafHash, entries: [row(2)], nodes: [] }),
        (e: unknown) => e instanceof GatehouseError && e.code === 'CONFLICT',
      );
      assert.equal(await s.size(), 2);
      await s.appendBatch({ start: 2, prevLeafHash: r1.leafHash, entries: [row(2)], nodes: [] });
      assert.equal(await s.size(), 3);
    } finally {
      await s.close();
    }
  });

  test(`${name}: entries, nodes, checkpoints, meta and witness state read back`, async () => {
    const s = await open();
    try {
      const rows = [0, 1, 2, 3].map((i) => row(i, i < 2 ? 'a' : 'b'));
      const n01 = nodeHash(rows[0]!.leafHash, rows[1]!.leafHash);
      await s.appendBatch({
        start: 0, entries: rows, nodes: [{ level: 1, index: 0, hash: n01 }],
        checkpoint: { size: 4, root: n01, note: 'note', createdAt: '2025-01-01T00:00:00Z' },
      });
      assert.equal((await s.getEntryByActionId(rows[2]!.actionId))?.index, 2);
      assert.deepEqual((await s.scanEntries(1, 2)).map((r) => r.index), [1, 2]);
      assert.deepEqual((await s.findEntries({ agent: 'b' })).map((r) => r.index), [2, 3]);
      assert.deepEqual((await s.findEntries({ session: 's1', afterIndex: 1 })).map((r) => r.index), [3]);
      const nodes = await s.getNodes([{ level: 0, index: 3 }, { level: 1, index: 0 }, { level: 1, index: 1 }]);
      assert.equal(toHex(nodes.get('0/3')!), toHex(rows[3]!.leafHash));
      assert.equal(toHex(nodes.get('1/0')!), toHex(n01));
      assert.equal(nodes.has('1/1'), false);
      assert.deepEqual((await s.scanNodes(1, 0, 10)).map((n) => n.index), [0]);
      assert.deepEqual([...(await s.countNodes())], [[1, 1]]);
      assert.equal((await s.latestCheckpoint())?.size, 4);
      await s.putCheckpoint({ size: 2, root: n01, note: 'n2', createdAt: '2025-01-01T00:00:00Z' });
      assert.deepEqual((await s.listCheckpoints()).map((c) => c.size), [2, 4]);
      assert.equal(await s.initMeta('k', 'v1'), 'v1');
      assert.equal(await s.initMeta('k', 'v2'), 'v1');
      assert.equal(await s.getMeta('missing'), undefined);
      await s.putWitnessState({ origin: 'o', size: 3, root: n01, note: 'x', updatedAt: 't' });
      await s.putWitnessState({ origin: 'o', size: 5, root: n01, note: 'y', updatedAt: 't' });
      assert.equal((await s.getWitnessState('o'))?.size, 5);
    } finally {
      await s.close();
    }
  });

  test(`${name}: the audit's reads (entry texts, node runs) return what scanEntries and scanNodes return`, async () => {
    const s = await open();
    try {
      // leaves with multi-byte UTF-8, so the text read must decode rather than copy bytes
      const rows = Array.from({ length: 12 }, (_, i) => {
        const leaf = Buffer.from(`{"index":${i},"note":"café ✓ ${'x'.repeat(i)}"}`);
        return { ...row(i), leaf, leafHash: leafHash(leaf) };
      });
      const level1 = Array.from({ length: 6 }, (_, k) => ({ level: 1, index: k, hash: nodeHash(rows[2 * k]!.leafHash, rows[2 * k + 1]!.leafHash) }));
      await s.appendBatch({ start: 0, entries: rows, nodes: level1 });

      const texts = await s.scanEntryTexts(3, 5);
      const plain = await s.scanEntries(3, 5);
      assert.equal(texts.length, 5);
      texts.forEach((t, k) => {
        const r = plain[k]!;
        assert.deepEqual(t, [r.index, r.actionId, r.time, r.tenant, r.agent, r.session, r.kind, Buffer.from(r.leaf).toString('utf8'), toHex(r.leafHash)]);
      });
      assert.deepEqual(await s.scanEntryTexts(12, 5), []);

      const run = await s.scanNodeRun(1, 2, 3);
      assert.ok(run, 'three consecutive stored nodes form a run');
      assert.equal(run.first, 2);
      assert.equal(run.count, 3);
      assert.equal(toHex(run.hashes), (await s.scanNodes(1, 2, 3)).map((n) => toHex(n.hash)).join(''));
      assert.equal((await s.scanNodeRun(1, 4, 10))?.count, 2, 'a run ends where the stored nodes end');
      assert.equal(await s.scanNodeRun(1, 6, 10), undefined, 'no nodes: no run');
      assert.equal(await s.scanNodeRun(2, 0, 10), undefined, 'an empty level: no run');
    } finally {
      await s.close();
    }
  });
}
