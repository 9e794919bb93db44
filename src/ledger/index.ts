/** The ledger's pure core: hashing, trees, proofs, signed notes, checkpoints, cosignatures, entries, bundles. */
export { emptyRoot, leafHash, nodeHash, toHex, fromHex, toBase64, fromBase64, equalBytes, type Hash } from './hash.ts';
export { CompactRange, foldRight, type FrontierNode } from './compact-range.ts';
export {
  inclusionPlan,
  consistencyPlan,
  assembleProof,
  rootFromInclusionProof,
  verifyInclusion,
  verifyConsistency,
  rootOfLeaves,
  ProofError,
  type ProofPlan,
  type LeafRange,
} from './proof.ts';
export { decomposeRange, nodeKey, type NodeId } from './tree-math.ts';
export { canonicalJson, type JsonValue } from './canonical-json.ts';
export {
  normalizeEntry,
  encodeLeaf,
  decodeLeaf,
  LeafFormatError,
  MAX_LEAF_BYTES,
  type LedgerEntry,
  type StoredEntry,
  type LedgerDecision,
  type LedgerRule,
} from './entry.ts';
export {
  parseNote,
  formatNote,
  openNote,
  signNote,
  addSignatures,
  computeKeyId,
  NoteError,
  SIG_TYPE_ED25519,
  SIG_TYPE_COSIGNATURE_V1,
  type Note,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './note.ts';
export {
  generateSignerKey,
  signerKeyFromSeed,
  parseSignerKey,
  formatSignerKey,
  parseVerifierKey,
  formatVerifierKey,
  verifierOf,
  noteSigner,
  noteVerifier,
  type SignerKey,
  type VerifierKey,
} from './keys.ts';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, openCheckpoint, readCheckpointNote, type Checkpoint, type SignedCheckpoint } from './checkpoint.ts';
export { cosign, cosignedMessage, decodeCosignature, verifyCosignature, type Cosignature } from './cosignature.ts';
export { checkWitnessUpdate, WitnessRefusal } from './witness.ts';
export { verifyBundle, bundleEntries, BUNDLE_FORMAT, type EvidenceBundle, type BundleEntry, type BundleFilter, type BundleReport } from './bundle.ts';
