import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { emptyRoot, fromBase64, fromHex, leafHash, nodeHash, toBase64, toHex } from '../../src/ledger/hash.ts';
import { CompactRange } from '../../src/ledger/compact-range.ts';
import { assembleProof, consistencyPlan, inclusionPlan, rootOfLeaves, verifyConsistency, verifyInclusion } from '../../src/ledger/proof.ts';
import { nodeKey } from '../../src/ledger/tree-math.ts';
import { openNote, parseNote, signNote } from '../../src/ledger/note.ts';
import { noteSigner, noteVerifier, parseSignerKey, parseVerifierKey, signerKeyFromSeed, formatVerifierKey, verifierOf } from '../../src/ledger/keys.ts';
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from '../../src/ledger/checkpoint.ts';
import { cosignedMessage, decodeCosignature } from '../../src/ledger/cosignature.ts';
import { sha256 } from '../../src/ledger/hash.ts';

const VECTORS = new URL('../../../shared/testdata/transparency-log-vectors.json', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V = JSON.parse(readFileSync(VECTORS, 'utf8')) as any;

const tally = { ran: 0, passed: 0 };
function check(name: string, fn: () => void): void {
  tally.ran++;
  try {
    fn();
    tally.passed++;
  } catch (error) {
    throw new Error(`vector ${name}: ${(error as Error).message}`, { cause: error });
  }
}
const hex = (s: string) => fromHex(s);
const b64 = (s: string) => fromBase64(s);

/** Proofs generated from an in-memory node table built the same way the store builds it. */
function nodeTable(leaves: Uint8Array[]): Map<string, Uint8Array> {
  const nodes = new Map<string, Uint8Array>();
  const cr = new CompactRange();
  leaves.forEach((l, i) => {
    nodes.set(nodeKey({ level: 0, index: i }), l);
    cr.append(l, (n) => nodes.set(nodeKey(n), n.hash));
  });
  return nodes;
}

test('hasher vectors (transparency-dev/merkle)', () => {
  for (const c of V.hasher.cases) {
    check(`hasher ${c.desc}`, () => {
      const got =
        c.kind === 'emptyRoot' ? emptyRoot() : c.kind === 'leaf' ? leafHash(hex(c.inputHex)) : nodeHash(hex(c.leftHex), hex(c.rightHex));
      assert.equal(toHex(got), c.want);
    });
  }
});

test('reference tree: roots, node hashes, known-answer proofs (CT / transparency-dev)', () => {
  const rt = V.referenceTree;
  const leaves = (rt.leavesHex as string[]).map((h) => leafHash(hex(h)));
  for (const [size, root] of Object.entries(rt.rootsBySize as Record<string, string>)) {
    check(`root of size ${size}`, () => {
      assert.equal(toHex(rootOfLeaves(leaves.slice(0, Number(size)))), root);
      const cr = new CompactRange();
      for (const l of leaves.slice(0, Number(size))) cr.append(l);
      assert.equal(toHex(cr.root()), root);
    });
  }
  const table = nodeTable(leaves);
  (rt.nodeHashesByLevel as string[][]).forEach((level, L) => {
    level.forEach((h, i) => check(`node ${L}/${i}`, () => assert.equal(toHex(table.get(nodeKey({ level: L, index: i }))!), h)));
  });
  for (const c of rt.inclusionProofs.cases) {
    check(`inclusion ${c.leafIndex}@${c.treeSize}`, () => {
      const proof = assembleProof(inclusionPlan(c.leafIndex, c.treeSize), table);
      assert.deepEqual(proof.map(toHex), c.proof);
      verifyInclusion(c.leafIndex, c.treeSize, leaves[c.leafIndex]!, proof, hex(rt.rootsBySize[String(c.treeSize)]));
    });
  }
  for (const c of rt.consistencyProofs.cases) {
    check(`consistency ${c.size1}->${c.size2}`, () => {
      const proof = assembleProof(consistencyPlan(c.size1, c.size2), table);
      assert.deepEqual(proof.map(toHex), c.proof);
      verifyConsistency(c.size1, c.size2, proof, hex(rt.rootsBySize[String(c.size1)]), hex(rt.rootsBySize[String(c.size2)]));
    });
  }
});

test('reference tree: every inclusion and consistency proof generated for sizes 1..8 verifies', () => {
  const rt = V.referenceTree;
  const leaves = (rt.leavesHex as string[]).map((h) => leafHash(hex(h)));
  const table = nodeTable(leaves);
  for (let n = 1; n <= 8; n++) {
    for (let m = 0; m < n; m++) verifyInclusion(m, n, leaves[m]!, assembleProof(inclusionPlan(m, n), table), hex(rt.rootsBySize[String(n)]));
    for (let m = 1; m <= n; m++) verifyConsistency(m, n, assembleProof(consistencyPlan(m, n), table), hex(rt.rootsBySize[String(m)]), hex(rt.rootsBySize[String(n)]));
  }
});

test('transparency-dev/merkle proof probes (positive and negative)', (t) => {
  let ok = 0;
  for (const c of V.tdMerkleProbes.inclusion) {
    check(`inclusion probe ${c.file}`, () => {
      let err: unknown;
      try {
        verifyInclusion(c.leafIndex, c.treeSize, hex(c.leafHashHex), (c.proof as string[]).map(hex), hex(c.rootHex));
      } catch (e) {
        err = e;
      }
      assert.equal(err !== undefined, c.wantErr, `${c.desc}: ${err ? (err as Error).message : 'no error'}`);
      ok++;
    });
  }
  for (const c of V.tdMerkleProbes.consistency) {
    check(`consistency probe ${c.file}`, () => {
      let err: unknown;
      try {
        verifyConsistency(c.size1, c.size2, (c.proof as string[]).map(hex), hex(c.root1Hex), hex(c.root2Hex));
      } catch (e) {
        err = e;
      }
      assert.equal(err !== undefined, c.wantErr, `${c.desc}: ${err ? (err as Error).message : 'no error'}`);
      ok++;
    });
  }
  assert.equal(ok, V.tdMerkleProbes.inclusion.length + V.tdMerkleProbes.consistency.length);
  t.diagnostic(`probes: ${ok} ran, ${ok} passed`);
});

test('real Argon2020 CT proofs (golang.org/x/mod sumdb/tlog testdata)', () => {
  const r = V.realWorldCT;
  const root = b64(r.sth.rootB64);
  check('argon2020 inclusion', () => {
    verifyInclusion(r.entry.leafIndex, r.sth.treeSize, leafHash(b64(r.entry.leafInputB64)), (r.inclusionProofB64 as string[]).map(b64), root);
    assert.throws(() => verifyInclusion(r.entry.leafIndex + 1, r.sth.treeSize, leafHash(b64(r.entry.leafInputB64)), (r.inclusionProofB64 as string[]).map(b64), root));
  });
  check('argon2020 consistency', () => {
    const c = r.consistency;
    verifyConsistency(c.size1, c.size2, (c.proofB64 as string[]).map(b64), b64(c.root1B64), root);
    assert.throws(() => verifyConsistency(c.size1 + 1, c.size2, (c.proofB64 as string[]).map(b64), b64(c.root1B64), root));
  });
});

test('signed notes (C2SP, golang.org/x/mod, sigsum, sum.golang.org)', () => {
  for (const [i, c] of (V.signedNotes.cases as Array<Record<string, any>>).entries()) {
    check(`signed note #${i} (${String(c.source).slice(0, 40)})`, () => {
      if (c.seedHex) {
        const pub = signerKeyFromSeed('x', hex(c.seedHex)).publicKey;
        const name = `sigsum.org/v1/tree/${toHex(sha256(pub))}`;
        const key = signerKeyFromSeed(name, hex(c.seedHex));
        const opened = openCheckpoint(c.note, [noteVerifier(verifierOf(key))], name);
        assert.equal(opened.size, 10);
        assert.equal(signNote(parseNote(c.note).text, [noteSigner(key)]), c.note, 'Ed25519 is deterministic');
        return;
      }
      const verifier = noteVerifier(parseVerifierKey(c.vkey));
      if (!c.expectVerify) {
        assert.throws(() => openNote(c.note, [verifier]));
        return;
      }
      const opened = openNote(c.note, [verifier]);
      assert.equal(opened.verified.length, 1);
      if (c.skey) {
        const key = parseSignerKey(c.skey);
        assert.equal(formatVerifierKey(verifierOf(key)), c.vkey);
        assert.equal(signNote(opened.text, [noteSigner(key)]), c.note);
      }
      if (c.checkpoint) {
        const cp = openCheckpoint(c.note, [verifier], c.checkpoint.origin);
        assert.equal(cp.size, c.checkpoint.treeSize);
        assert.equal(toBase64(cp.root), c.checkpoint.rootB64);
      }
      // any change to the text must break the signature
      assert.throws(() => openNote(c.note.replace(/^./, 'X'), [verifier]));
    });
  }
  const s = V.signedNotes;
  check('sumdb tree note format', () => {
    const text = formatCheckpoint({ origin: 'go.sum database tree', size: Number(s.sumdbTreeFormat.treeSize), root: leafHash(Buffer.from(s.sumdbTreeFormat.recordText)), extensions: [] });
    assert.equal(text, s.sumdbTreeFormat.body);
  });
  check('tlog-checkpoint example with a witness cosignature', () => {
    const ex = s.checkpointFormatExample;
    const note = parseNote(ex.note);
    const cp = parseCheckpoint(note.text);
    assert.equal(cp.origin, ex.expect.origin);
    assert.equal(cp.size, ex.expect.treeSize);
    assert.equal(note.signatures.length, ex.expect.signatureLines);
    assert.equal(decodeCosignature(note.signatures[1]!).timestamp, ex.expect.witnessTimestamp);
    assert.equal(cosignedMessage(note.text, ex.expect.witnessTimestamp), ex.cosignatureV1SignedMessageExample);
  });
  check('cosignature/v1 timestamp (transparency-dev/formats)', () => {
    const ct = s.cosignatureTimestamp;
    const raw = b64(ct.sigB64);
    assert.equal(decodeCosignature({ name: 'w', keyId: toHex(raw.subarray(0, 4)), signature: raw.subarray(4) }).timestamp, ct.wantTimestamp);
    const bad = b64(ct.notACosig_B64);
    assert.throws(() => decodeCosignature({ name: 'w', keyId: toHex(bad.subarray(0, 4)), signature: bad.subarray(4) }));
  });
});

test('external vector tally', (t) => {
  const expected =
    V.hasher.cases.length +
    Object.keys(V.referenceTree.rootsBySize).length +
    (V.referenceTree.nodeHashesByLevel as string[][]).reduce((a, l) => a + l.length, 0) +
    V.referenceTree.inclusionProofs.cases.length +
    V.referenceTree.consistencyProofs.cases.length +
    V.tdMerkleProbes.inclusion.length +
    V.tdMerkleProbes.consistency.length +
    2 + V.signedNotes.cases.length + 3;
  t.diagnostic(`transparency-log vectors: ${tally.ran} ran, ${tally.passed} passed (expected ${expected})`);
  console.log(`transparency-log vectors: ${tally.ran} ran, ${tally.passed} passed`);
  assert.equal(tally.ran, expected);
  assert.equal(tally.passed, expected);
});
