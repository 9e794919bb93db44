import { BUNDLE_FORMAT, type BundleEntry, type BundleFilter, type EvidenceBundle } from '../bundle.ts';
import type { Ledger } from './ledger.ts';

/** Builds an evidence bundle against the latest checkpoint (signing one first if needed). */
export async function exportBundle(ledger: Ledger, filter: BundleFilter, pageSize = 1000): Promise<EvidenceBundle> {
  let cp = await ledger.latestCheckpoint();
  const size = await ledger.size();
  if ((!cp || cp.size < size) && !ledger.readonly) cp = await ledger.checkpoint();
  if (!cp) throw new Error('the ledger has no checkpoint to prove entries against');
  const entries: BundleEntry[] = [];
  for (let after = -1; ; ) {
    const rows = await ledger.store.findEntries({ ...filter, afterIndex: after, limit: pageSize });
    for (const row of rows) {
      if (row.index >= cp.size) continue;
      const p = await ledger.proveInclusion(row.index, cp.size);
      entries.push({ index: row.index, leaf: Buffer.from(row.leaf).toString('utf8'), proof: p.proof });
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.index;
  }
  return {
    format: BUNDLE_FORMAT,
    origin: ledger.origin,
    verifierKey: ledger.vkey,
    checkpoint: cp.note,
    filter,
    createdAt: new Date().toISOString(),
    entries,
  };
}
