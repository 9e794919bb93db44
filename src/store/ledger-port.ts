/**
 * The ledger's storage port. SQLite implements it in-process; a PostgreSQL implementation must
 * give the same guarantees: appendBatch is atomic and durable when it resolves, and it refuses
 * (CONFLICT) a batch whose first index is not the current size, so two writers can never fork
 * the log. Level-0 nodes are the leaf hashes kept with the entries; levels >= 1 are the interior
 * nodes of completed perfect subtrees, which is what lets proofs be served in O(log n) reads.
 */
import type { Hash } from '../ledger/hash.ts';
import type { NodeId } from '../ledger/tree-math.ts';

export interface LedgerEntryRow {
  index: number;
  actionId: string;
  time: string;
  tenant: string;
  agent: string;
  session: string | null;
  kind: string;
  /** Canonical JSON leaf bytes (the Merkle leaf input). */
  leaf: Uint8Array;
  leafHash: Hash;
}

export interface LedgerNodeRow extends NodeId {
  hash: Hash;
}

/**
 * An entry as the audit reads it, in column order: index, action id, time, tenant, agent, session,
 * kind, then the leaf bytes decoded as UTF-8 and the stored leaf hash in lowercase hex. The last two
 * are null unless both are stored as bytes (getEntry gives them as stored). Strings cost far less
 * to read than a Buffer per value.
 */
export type LedgerEntryTextRow = [
  index: number,
  actionId: string,
  time: string,
  tenant: string,
  agent: string,
  session: string | null,
  kind: string,
  leafText: string | null,
  leafHashHex: string | null,
];

/** Stored interior nodes of one level with consecutive indexes from `first`, hashes packed 32 bytes each. */
export interface LedgerNodeRun {
  first: number;
  count: number;
  hashes: Uint8Array;
}

export interface LedgerCheckpointRow {
  size: number;
  root: Hash;
  /** The signed note as published. */
  note: string;
  createdAt: string;
}

export interface LedgerAppendBatch {
  /** Must equal the current size, or the store throws GatehouseError('CONFLICT'). */
  start: number;
  /**
   * When set, the leaf hash the entry at `start - 1` must have, or the store throws
   * GatehouseError('CONFLICT'): a batch built on top of another batch still in flight names that
   * batch's last leaf, so it cannot land on entries that another writer put there instead.
   */
  prevLeafHash?: Uint8Array;
  entries: LedgerEntryRow[];
  nodes: LedgerNodeRow[];
  /** Written in the same transaction when the appender decides a checkpoint is due. */
  checkpoint?: LedgerCheckpointRow;
}

export interface LedgerEntryFilter {
  from?: string;
  to?: string;
  agent?: string;
  session?: string;
  tenant?: string;
  /** Only entries with index > afterIndex (paging). */
  afterIndex?: number;
  limit?: number;
}

export interface WitnessStateRow {
  origin: string;
  size: number;
  root: Hash;
  note: string;
  updatedAt: string;
}

export interface LedgerStore {
  /** The database file, when a second read-only connection may open it (a parallel audit does). */
  readonly filePath?: string;
  getMeta(key: string): Promise<string | undefined>;
  /** Sets the value unless one is already stored; returns the stored value either way. */
  initMeta(key: string, value: string): Promise<string>;
  size(): Promise<number>;
  appendBatch(batch: LedgerAppendBatch): Promise<void>;
  getEntry(index: number): Promise<LedgerEntryRow | undefined>;
  getEntryByActionId(actionId: string): Promise<LedgerEntryRow | undefined>;
  /** Entries with index in [from, from + limit), ascending. */
  scanEntries(from: number, limit: number): Promise<LedgerEntryRow[]>;
  /** The rows scanEntries(from, limit) returns, as the audit reads them (LedgerEntryTextRow). */
  scanEntryTexts(from: number, limit: number): Promise<LedgerEntryTextRow[]>;
  findEntries(filter: LedgerEntryFilter): Promise<LedgerEntryRow[]>;
  /** Hashes of the requested nodes keyed by nodeKey(); absent nodes are left out. */
  getNodes(ids: readonly NodeId[]): Promise<Map<string, Hash>>;
  /** Interior nodes of one level (>= 1) with index >= from, ascending. */
  scanNodes(level: number, from: number, limit: number): Promise<LedgerNodeRow[]>;
  /**
   * The nodes scanNodes(level, from, limit) returns, in one buffer, when they form a run: integer
   * indexes, consecutive, each hash 32 bytes. Undefined when they do not, or when there are none.
   */
  scanNodeRun(level: number, from: number, limit: number): Promise<LedgerNodeRun | undefined>;
  /** Number of stored interior nodes per level. */
  countNodes(): Promise<Map<number, number>>;
  putCheckpoint(row: LedgerCheckpointRow): Promise<void>;
  latestCheckpoint(): Promise<LedgerCheckpointRow | undefined>;
  listCheckpoints(): Promise<LedgerCheckpointRow[]>;
  getWitnessState(origin: string): Promise<WitnessStateRow | undefined>;
  putWitnessState(row: WitnessStateRow): Promise<void>;
  close(): Promise<void>;
}
