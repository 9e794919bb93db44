/** The ledger's I/O side: the group-commit appender over a LedgerStore, audit, export, witness, keys. */
export {
  openLedger,
  Ledger,
  verifierFromVkey,
  type OpenLedgerOptions,
  type LedgerOptions,
  type AppendResult,
  type LedgerRecord,
  type InclusionProof,
  type ConsistencyProof,
} from './ledger.ts';
export { auditLedger, type VerifyReport, type Problem, type ProblemKind } from './audit.ts';
export { exportBundle } from './export.ts';
export { witnessCheckpoint, type WitnessResult } from './witness.ts';
export { loadLogKey, loadWitnessKey, LEDGER_KEY_ENV, DEFAULT_KEY_FILE, type LoadedKey } from './keys.ts';
export { rootAt, inclusionProofFromStore, consistencyProofFromStore } from './proofs.ts';
