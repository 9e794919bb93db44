import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactRange } from '../../src/ledger/compact-range.ts';
import { leafHash, toHex } from '../../src/ledger/hash.ts';
import { assembleProof, consistencyPlan, inclusionPlan, rootOfLeaves, verifyConsistency, verifyInclusion } from '../../src/ledger/proof.ts';
import { decomposeRange, nodeKey } from '../../src/ledger/tree-math.ts';

function build(n: number) {
  const leaves = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const nodes = new Map<string, Uint8Array>();
  const cr = new CompactRange();
  const roots: Uint8Array[] = [cr.root()];
  leaves.forEach((l, i) => {
    nodes.set(nodeKey({ level: 0, index: i }), l);
    cr.append(l, (node) => nodes.set(nodeKey(node), node.hash));
    roots.push(cr.root());
  });
  return { leaves, nodes, roots };
}

test('incremental roots equal the RFC 6962 definition for every size up to 70', () => {
  const { leaves, roots } = build(70);
  for (let n = 0; n <= 70; n++) assert.equal(toHex(roots[n]!), toHex(rootOfLeaves(leaves.slice(0, n))));
});

test('every inclusion and consistency proof up to size 40 verifies, and fails against another size or leaf', () => {
  const { leaves, nodes, roots } = build(40);
  for (let n = 1; n <= 40; n++) {
    for (let m = 0; m < n; m++) {
      const proof = assembleProof(inclusionPlan(m, n), nodes);
      verifyInclusion(m, n, leaves[m]!, proof, roots[n]!);
      if (n > 1) assert.throws(() => verifyInclusion(m, n, leaves[(m + 1) % n]!, proof, roots[n]!), /root/);
    }
    for (let m = 1; m <= n; m++) {
      const proof = assembleProof(consistencyPlan(m, n), nodes);
      verifyConsistency(m, n, proof, roots[m]!, roots[n]!);
      if (m > 1 && m < n) assert.throws(() => verifyConsistency(m, n, proof, roots[m - 1]!, roots[n]!), /root/);
    }
  }
});

test('a tampered proof element is rejected', () => {
  const { leaves, nodes, roots } = build(21);
  const proof = assembleProof(inclusionPlan(13, 21), nodes);
  const bad = proof.map((h, i) => (i === 2 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h));
  assert.throws(() => verifyInclusion(13, 21, leaves[13]!, bad, roots[21]!));
  const cproof = assembleProof(consistencyPlan(7, 21), nodes);
  assert.throws(() => verifyConsistency(7, 21, cproof.slice(1), roots[7]!, roots[21]!));
});

test('proofs touch O(log n) stored nodes even for a million-leaf tree', () => {
  for (const [m, n] of [[0, 1_000_000], [999_999, 1_000_000], [123_456, 1_000_000], [524_287, 1_000_001]] as const) {
    assert.ok(inclusionPlan(m, n).nodes.length <= 2 * 21, `${m}@${n}`);
  }
  assert.ok(consistencyPlan(333_333, 1_000_000).nodes.length <= 3 * 21);
});

test('tree sizes beyond 2^32 do not hit 32-bit arithmetic', () => {
  const n = 2 ** 40 + 3;
  const d = decomposeRange(0, n);
  assert.deepEqual(d.map((x) => x.level), [40, 1, 0]);
  assert.deepEqual(inclusionPlan(2 ** 40 + 2, n).ranges, [{ begin: 2 ** 40, end: 2 ** 40 + 2 }, { begin: 0, end: 2 ** 40 }]);
});

test('a compact range resumes from its stored frontier', () => {
  const { leaves, nodes } = build(37);
  const ids = CompactRange.frontierIds(29);
  const resumed = new CompactRange(29, ids.map((id) => ({ ...id, hash: nodes.get(nodeKey(id))! })));
  for (const l of leaves.slice(29)) resumed.append(l);
  assert.equal(toHex(resumed.root()), toHex(rootOfLeaves(leaves)));
  assert.throws(() => new CompactRange(30, ids.map((id) => ({ ...id, hash: nodes.get(nodeKey(id))! }))));
});
