import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/ledger/canonical-json.ts';
import { decodeLeaf, encodeLeaf, normalizeEntry } from '../../src/ledger/entry.ts';
import { GatehouseError } from '../../src/errors.ts';
import { formatSignerKey, formatVerifierKey, generateSignerKey, noteSigner, noteVerifier, parseSignerKey, parseVerifierKey, verifierOf } from '../../src/ledger/keys.ts';
import { openCheckpoint, signCheckpoint } from '../../src/ledger/checkpoint.ts';
import { cosign, verifyCosignature } from '../../src/ledger/cosignature.ts';
import { addSignatures, openNote } from '../../src/ledger/note.ts';
import { leafHash } from '../../src/ledger/hash.ts';
import { sampleEntry } from './helpers.ts';

const ID = '2b0a8a43-8f7c-4a55-9a53-1b2f7c0f9d11';
const TIME = '2025-01-02T03:04:05.678Z';

test('canonical JSON sorts keys by code unit, drops undefined, has no whitespace', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: undefined, 'é': 2, B: 3 } }), '{"a":[true,null,"x"],"b":1,"c":{"B":3,"z":1.5,"é":2}}');
  assert.equal(canonicalJson({ n: 1e21, m: -0, s: 'a\u2028"' }), '{"m":0,"n":1e+21,"s":"a\u2028\\""}');
  assert.equal(canonicalJson({ b: { '10': 1, '9': 2, a: [{ '2': 0, '1': 0 }] } }), '{"b":{"10":1,"9":2,"a":[{"1":0,"2":0}]}}', 'integer-like keys sort as strings too');
  assert.throws(() => canonicalJson({ x: Number.NaN }));
  assert.throws(() => canonicalJson({ x: [undefined] }));
  assert.throws(() => canonicalJson({ x: new Date() }));
});

test('entries are validated and encoded with index, action id and time in the leaf', () => {
  const e = normalizeEntry(sampleEntry(1), 7, { actionId: ID, time: TIME });
  const leaf = encodeLeaf(e);
  const text = Buffer.from(leaf).toString('utf8');
  assert.ok(text.startsWith('{"actionId":"2b0a8a43'));
  assert.match(text, /"index":7,/);
  assert.deepEqual(decodeLeaf(leaf, 7), JSON.parse(text));
  assert.throws(() => decodeLeaf(leaf, 8), /index 7 but is stored at index 8/);
  const spaced = Buffer.from(JSON.stringify(JSON.parse(text), null, 1));
  assert.throws(() => decodeLeaf(spaced, 7), /canonical/);
  assert.equal(normalizeEntry({ ...sampleEntry(1), actionId: ID.toUpperCase() }, 0, { actionId: ID, time: TIME }).actionId, ID);
});

test('invalid entries are INPUT_INVALID with the field named; huge ones INPUT_TOO_LARGE', () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ agent: '' }, /agent/],
    [{ decision: 'maybe' }, /decision/],
    [{ argumentsDigest: 'xyz' }, /argumentsDigest/],
    [{ time: 'yesterday' }, /time/],
    [{ actionId: 'not-a-uuid' }, /actionId/],
    [{ rule: { line: 0 } }, /rule.line/],
    [{ surprise: 1 }, /surprise/],
    [{ data: { x: Number.POSITIVE_INFINITY } }, /finite/],
  ];
  for (const [over, re] of bad) {
    assert.throws(() => encodeLeaf(normalizeEntry({ ...sampleEntry(0), ...over } as never, 0, { actionId: ID, time: TIME })), (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_INVALID' && re.test(e.message));
  }
  assert.throws(() => encodeLeaf(normalizeEntry(sampleEntry(0, { data: { blob: 'x'.repeat(300_000) } }), 0, { actionId: ID, time: TIME })), (e: unknown) => e instanceof GatehouseError && e.code === 'INPUT_TOO_LARGE');
});

test('signer and verifier keys round-trip through their text forms', () => {
  const key = generateSignerKey('example.org/log');
  const again = parseSignerKey(formatSignerKey(key));
  assert.equal(again.keyId, key.keyId);
  const vkey = formatVerifierKey(verifierOf(key));
  assert.equal(parseVerifierKey(vkey).keyId, key.keyId);
  assert.throws(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')), /key ID/);
  assert.throws(() => generateSignerKey('has space'));
});

test('checkpoints: signed, verified, origin pinned, any edit rejected, unknown signers ignored', () => {
  const key = generateSignerKey('example.org/log');
  const other = generateSignerKey('example.org/other');
  const cp = signCheckpoint({ origin: 'example.org/log', size: 5, root: leafHash(Buffer.from('r')), extensions: [] }, noteSigner(key));
  const v = noteVerifier(verifierOf(key));
  assert.equal(openCheckpoint(cp.note, [v], 'example.org/log').size, 5);
  assert.throws(() => openCheckpoint(cp.note, [v], 'example.org/else'), /origin/);
  assert.throws(() => openCheckpoint(cp.note.replace('\n5\n', '\n6\n'), [v]), /invalid signature/);
  assert.throws(() => openCheckpoint(cp.note, [noteVerifier(verifierOf(other))]), /no signature from a known key/);
  const both = addSignatures(cp.note, [noteSigner(other).sign(cp.note.slice(0, cp.note.indexOf('\n\n') + 1))]);
  assert.equal(openNote(both, [v]).verified.length, 1);
});

test('cosignatures verify with the witness key and bind the timestamp and the checkpoint', () => {
  const log = generateSignerKey('example.org/log');
  const witness = generateSignerKey('example.org/witness', 0x04);
  const cp = signCheckpoint({ origin: 'example.org/log', size: 9, root: leafHash(Buffer.from('r')), extensions: [] }, noteSigner(log));
  const text = cp.note.slice(0, cp.note.indexOf('\n\n') + 1);
  const cosigned = addSignatures(cp.note, [cosign(text, witness, 1_700_000_000)]);
  assert.equal(verifyCosignature(cosigned, verifierOf(witness)), 1_700_000_000);
  assert.equal(openNote(cosigned, [noteVerifier(verifierOf(log))]).verified.length, 1);
  assert.throws(() => verifyCosignature(cosigned.replace('\n9\n', '\n8\n'), verifierOf(witness)), /invalid cosignature/);
  assert.throws(() => cosign(text, log, 1), /type 0x04/);
});
