import type { LedgerStore } from '../../store/ledger-port.ts';
import { GatehouseError } from '../../errors.ts';
import { CompactRange, foldRight } from '../compact-range.ts';
import type { Hash } from '../hash.ts';
import { assembleProof, consistencyPlan, inclusionPlan, type ProofPlan } from '../proof.ts';
import { decomposeRange, nodeKey } from '../tree-math.ts';

async function fetchPlan(store: LedgerStore, plan: ProofPlan): Promise<Hash[]> {
  const nodes = await store.getNodes(plan.nodes);
  try {
    return assembleProof(plan, nodes);
  } catch (error) {
    throw new GatehouseError('LEDGER_TAMPERED', `cannot build proof: ${(error as Error).message}`, {
      hint: 'run `gatehouse audit verify` to find what is missing',
    });
  }
}

/** Root of the first `size` leaves from O(log n) stored nodes. */
export async function rootAt(store: LedgerStore, size: number): Promise<Hash> {
  const ids = decomposeRange(0, size);
  const nodes = await store.getNodes(ids);
  return foldRight(
    ids.map((id) => {
      const h = nodes.get(nodeKey(id));
      if (!h) throw new GatehouseError('LEDGER_TAMPERED', `tree node ${nodeKey(id)} is missing`);
      return h;
    }),
  );
}

export async function loadTree(store: LedgerStore, size: number): Promise<CompactRange> {
  const ids = CompactRange.frontierIds(size);
  const nodes = await store.getNodes(ids);
  const frontier = ids.map((id) => {
    const hash = nodes.get(nodeKey(id));
    if (!hash) throw new GatehouseError('LEDGER_TAMPERED', `tree node ${nodeKey(id)} is missing; the ledger cannot resume`);
    return { ...id, hash };
  });
  return new CompactRange(size, frontier);
}

export async function inclusionProofFromStore(store: LedgerStore, index: number, size: number): Promise<Hash[]> {
  return fetchPlan(store, inclusionPlan(index, size));
}

export async function consistencyProofFromStore(store: LedgerStore, size1: number, size2: number): Promise<Hash[]> {
  return fetchPlan(store, consistencyPlan(size1, size2));
}
