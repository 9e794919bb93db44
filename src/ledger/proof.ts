import { HASH_SIZE, equalBytes, nodeHash, type Hash } from './hash.ts';
import { CompactRange, foldRight } from './compact-range.ts';
import {
  assertIndex,
  bit,
  bitLength,
  decomposeRange,
  largestPow2Below,
  nodeKey,
  popCount,
  shiftRight,
  trailingZeros,
  xor,
  type NodeId,
} from './tree-math.ts';

/** A half-open leaf range [begin, end) whose Merkle root is one proof element. */
export interface LeafRange {
  begin: number;
  end: number;
}

/**
 * Proof generation is split in two so a store can answer it in one batch of O(log n) point reads:
 * plan the ranges (pure), fetch the perfect-subtree hashes they decompose into, then assemble.
 */
export interface ProofPlan {
  ranges: LeafRange[];
  nodes: NodeId[];
}

function planFrom(ranges: LeafRange[]): ProofPlan {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const id of decomposeRange(r.begin, r.end)) seen.set(nodeKey(id), id);
  return { ranges, nodes: [...seen.values()] };
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]), deepest sibling first. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  assertIndex(index, 'index');
  assertIndex(size, 'tree size');
  if (index >= size) throw new RangeError(`index ${index} is outside a tree of size ${size}`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = largestPow2Below(n);
    if (m < k) {
      ranges.push({ begin: start + k, end: start + n });
      n = k;
    } else {
      ranges.push({ begin: start, end: start + k });
      start += k;
      m -= k;
      n -= k;
    }
  }
  return planFrom(ranges.reverse());
}

/** RFC 9162 2.1.4.1 PROOF(m, D[n]) for 0 < m <= n. */
export function consistencyPlan(size1: number, size2: number): ProofPlan {
  assertIndex(size1, 'size1');
  assertIndex(size2, 'size2');
  if (size1 === 0 || size1 > size2) throw new RangeError(`no consistency proof from size ${size1} to ${size2}`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let n = size2;
  let m = size1;
  let complete = true;
  while (m !== n) {
    const k = largestPow2Below(n);
    if (m <= k) {
      ranges.push({ begin: start + k, end: start + n });
      n = k;
    } else {
      ranges.push({ begin: start, end: start + k });
      start += k;
      m -= k;
      n -= k;
      complete = false;
    }
  }
  if (!complete) ranges.push({ begin: start, end: start + n });
  return planFrom(ranges.reverse());
}

/** Turns fetched node hashes into proof hashes. Throws if the store did not supply a node. */
export function assembleProof(plan: ProofPlan, nodes: ReadonlyMap<string, Hash>): Hash[] {
  return plan.ranges.map((r) =>
    foldRight(
      decomposeRange(r.begin, r.end).map((id) => {
        const h = nodes.get(nodeKey(id));
        if (h === undefined) throw new Error(`missing tree node ${nodeKey(id)}`);
        return h;
      }),
    ),
  );
}

export class ProofError extends Error {
  override name = 'ProofError';
}

function checkHashes(proof: readonly Hash[]): void {
  for (const h of proof) if (h.byteLength !== HASH_SIZE) throw new ProofError('proof element is not 32 bytes');
}

function chainInner(seed: Hash, proof: readonly Hash[], index: number): Hash {
  proof.forEach((h, i) => {
    seed = bit(index, i) === 0 ? nodeHash(seed, h) : nodeHash(h, seed);
  });
  return seed;
}

function chainInnerRight(seed: Hash, proof: readonly Hash[], index: number): Hash {
  proof.forEach((h, i) => {
    if (bit(index, i) === 1) seed = nodeHash(h, seed);
  });
  return seed;
}

function chainBorderRight(seed: Hash, proof: readonly Hash[]): Hash {
  for (const h of proof) seed = nodeHash(h, seed);
  return seed;
}

function decompInclusion(index: number, size: number): { inner: number; border: number } {
  const inner = bitLength(xor(index, size - 1));
  return { inner, border: popCount(shiftRight(index, inner)) };
}

/** Root implied by an inclusion proof (semantics of transparency-dev/merkle proof/verify.go). */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash {
  assertIndex(index, 'index');
  assertIndex(size, 'tree size');
  if (index >= size) throw new ProofError(`index ${index} is beyond tree size ${size}`);
  if (leaf.byteLength !== HASH_SIZE) throw new ProofError('leaf hash is not 32 bytes');
  checkHashes(proof);
  const { inner, border } = decompInclusion(index, size);
  if (proof.length !== inner + border) throw new ProofError(`wrong proof size ${proof.length}, want ${inner + border}`);
  return chainBorderRight(chainInner(leaf, proof.slice(0, inner), index), proof.slice(inner));
}

export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): void {
  const got = rootFromInclusionProof(index, size, leaf, proof);
  if (!equalBytes(got, root)) throw new ProofError('inclusion proof does not lead to the expected root');
}

/** Consistency proof check (semantics of transparency-dev/merkle proof/verify.go). */
export function verifyConsistency(size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): void {
  assertIndex(size1, 'size1');
  assertIndex(size2, 'size2');
  if (size2 < size1) throw new ProofError(`size2 (${size2}) < size1 (${size1})`);
  if (size1 === 0) throw new ProofError('consistency proof from an empty tree is meaningless');
  checkHashes(proof);
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError('sizes are equal but the proof is not empty');
    if (!equalBytes(root1, root2)) throw new ProofError('sizes are equal but the roots differ');
    return;
  }
  if (proof.length === 0) throw new ProofError('empty proof');
  const d = decompInclusion(size1 - 1, size2);
  const shift = trailingZeros(size1);
  const inner = d.inner - shift;
  let seed = proof[0]!;
  let start = 1;
  if (size1 === 2 ** shift) {
    seed = root1;
    start = 0;
  }
  if (proof.length !== start + inner + d.border) {
    throw new ProofError(`wrong proof size ${proof.length}, want ${start + inner + d.border}`);
  }
  const rest = proof.slice(start);
  const mask = shiftRight(size1 - 1, shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!equalBytes(hash1, root1)) throw new ProofError('consistency proof does not match the first root');
  const hash2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!equalBytes(hash2, root2)) throw new ProofError('consistency proof does not match the second root');
}

/** Merkle tree hash over in-memory leaf hashes (tests, small bundles). */
export function rootOfLeaves(leaves: readonly Hash[]): Hash {
  const cr = new CompactRange();
  for (const leaf of leaves) cr.append(leaf);
  return cr.root();
}
