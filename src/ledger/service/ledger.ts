import { newActionId } from '../action-id.ts';
import { GatehouseError } from '../../errors.ts';
import type { LedgerAppendBatch, LedgerCheckpointRow, LedgerEntryRow, LedgerNodeRow, LedgerStore } from '../../store/ledger-port.ts';
import { SqliteLedgerStore } from '../../store/sqlite/ledger-store.ts';
import { ThreadedLedgerStore } from '../../store/sqlite/threaded-ledger-store.ts';
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from '../checkpoint.ts';
import type { CompactRange } from '../compact-range.ts';
import { decodeLeaf, encodeLeaf, normalizeEntry, type LedgerEntry, type StoredEntry } from '../entry.ts';
import { leafHash, toHex, type Hash } from '../hash.ts';
import { formatVerifierKey, noteSigner, noteVerifier, parseVerifierKey, verifierOf, type SignerKey } from '../keys.ts';
import type { NoteSigner, NoteVerifier } from '../note.ts';
import type { BundleFilter, EvidenceBundle } from '../bundle.ts';
import { auditLedger, type VerifyReport } from './audit.ts';
import { exportBundle } from './export.ts';
import { loadLogKey } from './keys.ts';
import { consistencyProofFromStore, inclusionProofFromStore, loadTree, rootAt } from './proofs.ts';

export interface AppendResult {
  index: number;
  actionId: string;
  leafHash: string;
}

export interface LedgerRecord {
  index: number;
  leafHash: string;
  /** The canonical JSON leaf exactly as hashed. */
  leaf: string;
  entry: StoredEntry;
}

export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: string;
  root: string;
  proof: string[];
  /** The signed checkpoint of treeSize, when one exists. */
  checkpoint?: string;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  root1: string;
  root2: string;
  proof: string[];
}

export interface LedgerOptions {
  /** Checkpoint when this many entries are not yet covered by one (default 1000). */
  checkpointEvery?: number;
  /** ... or when the oldest uncovered entry is this old (default 1000 ms; 0 disables the timer). */
  checkpointIntervalMs?: number;
  /** Most entries per group-commit transaction (default 2048). */
  maxBatch?: number;
  now?: () => Date;
}

export interface OpenLedgerOptions extends LedgerOptions {
  /** SQLite file; ignored when `store` is given. */
  path?: string;
  store?: LedgerStore;
  /** Signer key text (PRIVATE+KEY+...); otherwise GATEHOUSE_LEDGER_KEY, keyPath, or ledger.key next to the db. */
  key?: string;
  keyPath?: string;
  /** Log origin for new ledgers (default: the key name). */
  origin?: string;
  /** Open without a signing key: reads, proofs and verification only. */
  readonly?: boolean;
  /**
   * Group commits on a worker thread so their fsync does not stall this thread (default true for
   * a file; false runs them inline, as a single-threaded tool may prefer).
   */
  writerThread?: boolean;
  /** Generate the key file when it does not exist (default true). */
  createKey?: boolean;
}

interface Pending {
  entries: LedgerEntry[];
  ids: string[];
  time: string;
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

interface PreparedBatch {
  batch: LedgerAppendBatch;
  /** The tree with the batch's entries added. */
  tree: CompactRange;
  accepted: Array<{ pending: Pending; results: AppendResult[] }>;
}

/** Group commits sent to the store and not yet answered, at most. */
const MAX_IN_FLIGHT = 2;
/**
 * With nothing in flight, a queue of at least this many entries is split in two (see pipeline).
 * Splitting pays only when preparing a half (10–15 µs an entry) takes about as long as the commit
 * it overlaps with (an fsync: 200–350 µs here); smaller queues are committed whole, since a second
 * commit would cost a second fsync. Measured: at 16 this cost 16 closed-loop writers a third of
 * their appends/s; at 32 they are unchanged and 64 writers gain (docs/BENCHMARKS.md).
 */
const SPLIT_MIN_ENTRIES = 32;

/** How many entries to take from `queue` when nothing is in flight. */
function splitLimit(queue: readonly Pending[], maxBatch: number): number {
  let queued = 0;
  for (const p of queue) queued += p.entries.length;
  return queued >= SPLIT_MIN_ENTRIES ? Math.min(maxBatch, Math.ceil(queued / 2)) : maxBatch;
}

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  const path = options.path ?? ':memory:';
  const threaded = !options.readonly && path !== ':memory:' && options.writerThread !== false;
  const store = options.store ?? (threaded ? ThreadedLedgerStore.open(path) : SqliteLedgerStore.open(path, { readonly: options.readonly ?? false }));
  try {
    if (options.readonly) {
      const vkey = await store.getMeta('vkey');
      const origin = await store.getMeta('origin');
      if (!vkey || !origin) throw new GatehouseError('NOT_FOUND', 'the ledger has no verifier key yet (nothing was appended)');
      const verifier = noteVerifier(parseVerifierKey(vkey));
      return await Ledger.create(store, { origin, vkey, verifier }, options);
    }
    const loaded = loadLogKey({ key: options.key, keyPath: options.keyPath, dbPath: path, create: options.createKey ?? true });
    const key: SignerKey = loaded.key;
    const vkey = formatVerifierKey(verifierOf(key));
    const storedVkey = await store.initMeta('vkey', vkey);
    if (storedVkey !== vkey) {
      throw new GatehouseError('CONFIG_INVALID', `this ledger is signed by ${storedVkey.split('+').slice(0, 2).join('+')}, not by the loaded key ${key.name}+${key.keyId}`, {
        hint: loaded.path ? `the key came from ${loaded.path}; point --key/GATEHOUSE_LEDGER_KEY at the ledger's key` : 'use the key this ledger was created with',
      });
    }
    const origin = await store.initMeta('origin', options.origin ?? key.name);
    if (options.origin !== undefined && origin !== options.origin) {
      throw new GatehouseError('CONFIG_INVALID', `ledger origin is ${origin}, not ${options.origin}`);
    }
    return await Ledger.create(store, { origin, vkey, verifier: noteVerifier(verifierOf(key)), signer: noteSigner(key) }, options);
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
}

/**
 * The I/O side of the ledger. Appends are group-committed: everything queued while a
 * transaction runs goes into the next one, and each caller's promise resolves only after
 * the transaction holding its entries has committed (synchronous=FULL: fsynced).
 */
export class Ledger {
  readonly store: LedgerStore;
  readonly origin: string;
  /** The verifier key of the log in signed-note vkey format. */
  readonly vkey: string;
  readonly verifier: NoteVerifier;
  private readonly signer: NoteSigner | undefined;
  private tree: CompactRange;
  private lastCheckpointSize: number;
  private queue: Pending[] = [];
  private checkpointWaiters: Array<{ resolve(cp: SignedCheckpoint): void; reject(e: unknown): void }> = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly now: () => Date;

  private constructor(
    store: LedgerStore,
    keys: { origin: string; vkey: string; verifier: NoteVerifier; signer?: NoteSigner },
    tree: CompactRange,
    lastCheckpointSize: number,
    options: LedgerOptions,
  ) {
    this.store = store;
    this.origin = keys.origin;
    this.vkey = keys.vkey;
    this.verifier = keys.verifier;
    this.signer = keys.signer;
    this.tree = tree;
    this.lastCheckpointSize = lastCheckpointSize;
    this.every = options.checkpointEvery ?? 1000;
    this.intervalMs = options.checkpointIntervalMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 2048;
    this.now = options.now ?? (() => new Date());
  }

  static async create(
    store: LedgerStore,
    keys: { origin: string; vkey: string; verifier: NoteVerifier; signer?: NoteSigner },
    options: LedgerOptions = {},
  ): Promise<Ledger> {
    const size = await store.size();
    const tree = await loadTree(store, size);
    const latest = await store.latestCheckpoint();
    return new Ledger(store, keys, tree, latest?.size ?? -1, options);
  }

  get readonly(): boolean {
    return this.signer === undefined;
  }

  /** Number of durable entries. */
  async size(): Promise<number> {
    return this.tree.size;
  }

  async append(entry: LedgerEntry): Promise<AppendResult> {
    const [result] = await this.appendMany([entry]);
    return result!;
  }

  /** Appends entries contiguously, in order, in one transaction. */
  appendMany(entries: LedgerEntry[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new GatehouseError('LEDGER_IO', 'the ledger is closed'));
    if (!this.signer) return Promise.reject(new GatehouseError('FORBIDDEN', 'the ledger was opened read-only'));
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, ids: entries.map((e) => e.actionId ?? newActionId()), time: this.now().toISOString(), resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((done) => setImmediate(() => void this.drain().catch((error) => this.refuseQueued(error)).finally(done))).then(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 || this.checkpointWaiters.length > 0) this.kick();
    });
  }

  /** Answers every queued caller and checkpoint waiter with `error`: what drain cannot get to is refused, never left waiting. */
  private refuseQueued(error: unknown): void {
    for (const p of this.queue.splice(0)) p.reject(error);
    for (const w of this.checkpointWaiters.splice(0)) w.reject(error);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length > 0) {
        const failed = await this.pipeline();
        if (failed.length > 0) {
          await this.recover(failed);
          continue;
        }
      }
      if (this.checkpointWaiters.length > 0) {
        await this.answerCheckpointWaiters();
        continue;
      }
      if (this.queue.length === 0) return;
    }
  }

  /**
   * A batch failed, so the batches sent behind it were refused too (each names the size and the
   * last leaf it was built on) or, if the failure came after its commit, landed. Resume from what
   * is stored and commit the callers of the failed batches one batch at a time, where conflicts are
   * retried and a bad entry is isolated to its own caller.
   */
  private async recover(failed: Pending[][]): Promise<void> {
    try {
      await this.reloadState();
    } catch (error) {
      for (const batch of failed) for (const p of batch) p.reject(error);
      return;
    }
    for (const batch of failed) {
      try {
        await this.commit(batch);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }

  /** The tree and the latest checkpoint's size as stored (after a failure, or another process's appends). */
  private async reloadState(): Promise<void> {
    this.tree = await loadTree(this.store, await this.store.size());
    this.lastCheckpointSize = (await this.store.latestCheckpoint())?.size ?? -1;
  }

  private async answerCheckpointWaiters(): Promise<void> {
    const waiters = this.checkpointWaiters.splice(0);
    try {
      const cp = await this.writeCheckpoint();
      for (const w of waiters) w.resolve(cp);
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  }

  /**
   * Group commits with up to two in flight: the next batch is prepared (normalised, hashed, added
   * to the tree) on this thread while the writer commits the one before, so the two threads work
   * side by side. When the queue is long and nothing is in flight, only half of it is taken, so the
   * other half has a commit to overlap with. A batch's callers are answered only when it has
   * landed. Once a checkpoint is asked for, only the callers queued by then are still sent, so the
   * checkpoint does not wait for the load to stop. Returns the callers of the batches that failed
   * (none when all landed).
   */
  private async pipeline(): Promise<Pending[][]> {
    const inflight: Array<{ callers: Pending[]; landed: Promise<boolean> }> = [];
    const failed: Pending[][] = [];
    let tree = this.tree;
    let checkpointed = this.lastCheckpointSize;
    let lastLeaf: Hash | undefined;
    /** Callers still to send before the checkpoint waiters are answered (unbounded until one asks). */
    let budget = Infinity;
    while (failed.length === 0) {
      if (budget === Infinity && this.checkpointWaiters.length > 0) budget = this.queue.length;
      if (this.queue.length > 0 && budget > 0 && inflight.length < MAX_IN_FLIGHT) {
        const batch = this.takeBatch(inflight.length === 0 ? splitLimit(this.queue, this.maxBatch) : this.maxBatch, budget);
        budget -= batch.length;
        const prepared = this.prepare(batch, tree, checkpointed);
        if (!prepared) continue;
        // Built on a batch that has not landed yet: the store checks that it did.
        if (inflight.length > 0 && lastLeaf) prepared.batch.prevLeafHash = lastLeaf;
        tree = prepared.tree;
        lastLeaf = prepared.batch.entries[prepared.batch.entries.length - 1]!.leafHash;
        if (prepared.batch.checkpoint) checkpointed = prepared.batch.checkpoint.size;
        const landed = this.send(prepared.batch).then(
          () => {
            this.land(prepared);
            return true;
          },
          () => false,
        );
        inflight.push({ callers: prepared.accepted.map((a) => a.pending), landed });
      } else if (inflight.length > 0) {
        const oldest = inflight.shift()!;
        if (!(await oldest.landed)) failed.push(oldest.callers);
      } else break;
    }
    for (const rest of inflight) if (!(await rest.landed)) failed.push(rest.callers);
    return failed;
  }

  /** store.appendBatch, with a synchronous throw turned into a rejection like any other failure. */
  private send(batch: LedgerAppendBatch): Promise<void> {
    try {
      return this.store.appendBatch(batch);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Callers from the queue's head: up to `limit` entries (at least one caller), at most `callers` callers. */
  private takeBatch(limit: number, callers = Infinity): Pending[] {
    const batch: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0 && batch.length < callers && (count === 0 || count + this.queue[0]!.entries.length <= limit)) {
      const p = this.queue.shift()!;
      batch.push(p);
      count += p.entries.length;
    }
    return batch;
  }

  /**
   * Numbers, normalises and hashes a batch's entries on top of `base` (not changed). A caller whose
   * entries cannot be normalised is rejected here and left out. Undefined when no caller is left.
   */
  private prepare(batch: Pending[], base: CompactRange, checkpointed: number): PreparedBatch | undefined {
    const tree = base.clone();
    const rows: LedgerEntryRow[] = [];
    const nodes: LedgerNodeRow[] = [];
    const accepted: PreparedBatch['accepted'] = [];
    for (const pending of batch) {
      let prepared: Array<{ row: LedgerEntryRow; result: AppendResult }>;
      try {
        prepared = pending.entries.map((input, i) => {
          const index = tree.size + i;
          const stored = normalizeEntry(input, index, { actionId: pending.ids[i]!, time: pending.time });
          const leaf = encodeLeaf(stored);
          const hash = leafHash(leaf);
          const row: LedgerEntryRow = {
            index, actionId: stored.actionId, time: stored.time, tenant: stored.tenant, agent: stored.agent,
            session: stored.session ?? null, kind: stored.kind, leaf, leafHash: hash,
          };
          return { row, result: { index, actionId: stored.actionId, leafHash: toHex(hash) } };
        });
      } catch (error) {
        pending.reject(error);
        continue;
      }
      for (const p of prepared) {
        tree.append(p.row.leafHash, (n) => nodes.push(n));
        rows.push(p.row);
      }
      accepted.push({ pending, results: prepared.map((p) => p.result) });
    }
    if (rows.length === 0) return undefined;
    const b: LedgerAppendBatch = { start: base.size, entries: rows, nodes };
    if (tree.size - Math.max(checkpointed, 0) >= this.every) b.checkpoint = this.checkpointRow(tree);
    return { batch: b, tree, accepted };
  }

  /** A prepared batch is durable: it becomes the ledger's state and its callers get their indexes. */
  private land(prepared: PreparedBatch): void {
    // Landings come in the order the batches were sent; the guards keep a store that answered out
    // of order from moving the state back.
    if (prepared.tree.size > this.tree.size) this.tree = prepared.tree;
    const cp = prepared.batch.checkpoint;
    if (cp && cp.size > this.lastCheckpointSize) this.lastCheckpointSize = cp.size;
    for (const a of prepared.accepted) a.pending.resolve(a.results);
    this.armTimer();
  }

  /** One batch on its own: conflicts with another process are retried, a bad entry is isolated. */
  private async commit(batch: Pending[], attempt = 0, isolated = false): Promise<void> {
    const prepared = this.prepare(batch, this.tree, this.lastCheckpointSize);
    if (!prepared) return;
    try {
      await this.store.appendBatch(prepared.batch);
    } catch (error) {
      const accepted = prepared.accepted;
      if (error instanceof GatehouseError && error.code === 'CONFLICT' && attempt < 3) {
        // another process appended: resume from what is stored and re-number this batch
        await this.reloadState();
        return this.commit(accepted.map((a) => a.pending), attempt + 1, isolated);
      }
      if (!isolated && accepted.length > 1) {
        // one caller's bad entry (say, a re-used action id) must not fail the others grouped with
        // it: commit each caller's entries on its own, so only the offending one is refused
        for (const a of accepted) await this.commit([a.pending], 0, true);
        return;
      }
      for (const a of accepted) a.pending.reject(error);
      return;
    }
    this.land(prepared);
  }

  private armTimer(): void {
    if (this.timer || this.intervalMs <= 0 || this.closed || this.tree.size === this.lastCheckpointSize) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.checkpoint().catch(() => undefined);
    }, this.intervalMs);
    this.timer.unref();
  }

  private checkpointRow(tree: CompactRange): LedgerCheckpointRow {
    const cp = signCheckpoint({ origin: this.origin, size: tree.size, root: tree.root(), extensions: [] }, this.signer!);
    return { size: cp.size, root: cp.root, note: cp.note, createdAt: this.now().toISOString() };
  }

  private async writeCheckpoint(): Promise<SignedCheckpoint> {
    if (this.tree.size === this.lastCheckpointSize) {
      const latest = await this.store.latestCheckpoint();
      if (latest && latest.size === this.tree.size) return openCheckpoint(latest.note, [this.verifier], this.origin);
    }
    const row = this.checkpointRow(this.tree);
    await this.store.putCheckpoint(row);
    this.lastCheckpointSize = row.size;
    return openCheckpoint(row.note, [this.verifier], this.origin);
  }

  /** Signs (or returns the existing) checkpoint of the current size, after queued appends. */
  checkpoint(): Promise<SignedCheckpoint> {
    if (!this.signer) return Promise.reject(new GatehouseError('FORBIDDEN', 'the ledger was opened read-only'));
    if (this.closed && !this.flushing) return Promise.reject(new GatehouseError('LEDGER_IO', 'the ledger is closed'));
    return new Promise((resolve, reject) => {
      this.checkpointWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const row = await this.store.latestCheckpoint();
    return row && openCheckpoint(row.note, [this.verifier], this.origin);
  }

  private toRecord(row: LedgerEntryRow | undefined, check?: { actionId?: string; index?: number }): LedgerRecord | undefined {
    if (!row) return undefined;
    const entry = decodeLeaf(row.leaf, row.index);
    if (check?.actionId !== undefined && entry.actionId !== check.actionId) {
      throw new GatehouseError('LEDGER_TAMPERED', `index ${row.index}: stored action id column does not match its leaf`);
    }
    return { index: row.index, leafHash: toHex(leafHash(row.leaf)), leaf: Buffer.from(row.leaf).toString('utf8'), entry };
  }

  async get(index: number): Promise<LedgerRecord | undefined> {
    return this.toRecord(await this.store.getEntry(index));
  }

  async getByActionId(actionId: string): Promise<LedgerRecord | undefined> {
    const id = actionId.toLowerCase();
    return this.toRecord(await this.store.getEntryByActionId(id), { actionId: id });
  }

  /** Entries [from, from + limit) in index order. */
  async range(from: number, limit: number): Promise<LedgerRecord[]> {
    return (await this.store.scanEntries(from, limit)).map((r) => this.toRecord(r)!);
  }

  /**
   * Inclusion proof of an entry (by action id or index). Without treeSize it is made against the
   * latest checkpoint, signing a new one first if the entry is not covered yet (read-only: error).
   */
  async proveInclusion(which: string | number, treeSize?: number): Promise<InclusionProof> {
    const row = typeof which === 'number' ? await this.store.getEntry(which) : await this.store.getEntryByActionId(which.toLowerCase());
    if (!row) throw new GatehouseError('NOT_FOUND', `no ledger entry ${JSON.stringify(which)}`);
    let size = treeSize;
    let note: string | undefined;
    if (size === undefined) {
      let cp = await this.latestCheckpoint();
      if (!cp || cp.size <= row.index) {
        if (!this.signer) throw new GatehouseError('NOT_FOUND', `entry ${row.index} is not covered by a checkpoint yet`);
        cp = await this.checkpoint();
      }
      size = cp.size;
      note = cp.note;
    }
    if (size <= row.index || size > this.tree.size) throw new GatehouseError('INPUT_INVALID', `tree size ${size} does not contain index ${row.index}`);
    const proof = await inclusionProofFromStore(this.store, row.index, size);
    return { index: row.index, treeSize: size, leafHash: toHex(leafHash(row.leaf)), root: toHex(await rootAt(this.store, size)), proof: proof.map(toHex), ...(note ? { checkpoint: note } : {}) };
  }

  async proveConsistency(from: number, to: number): Promise<ConsistencyProof> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to || to > this.tree.size) throw new GatehouseError('INPUT_INVALID', `no consistency proof from ${from} to ${to} (size ${this.tree.size})`);
    const proof = await consistencyProofFromStore(this.store, from, to);
    return { from, to, root1: toHex(await rootAt(this.store, from)), root2: toHex(await rootAt(this.store, to)), proof: proof.map(toHex) };
  }

  /** Full audit of the stored log (see auditLedger). */
  verify(options: { onProgress?: (done: number, total: number) => void } = {}): Promise<VerifyReport> {
    return auditLedger(this.store, { origin: this.origin, vkey: this.vkey, verifier: this.verifier, ...options });
  }

  /** A self-contained evidence bundle (see verifyBundle) for the entries matching the filter. */
  exportBundle(filter: BundleFilter = {}): Promise<EvidenceBundle> {
    return exportBundle(this, filter);
  }

  /** Waits for queued appends, writes a final checkpoint if entries are uncovered, closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.flushing) await this.flushing;
    try {
      if (this.signer && this.tree.size > 0 && this.tree.size !== this.lastCheckpointSize) await this.writeCheckpoint();
    } finally {
      // a final checkpoint that cannot be written (say, the writer thread is gone) is reported, and the store still closed
      await this.store.close();
    }
  }
}

/** Verifier for a vkey text (signed-note format). */
export function verifierFromVkey(vkey: string): NoteVerifier {
  return noteVerifier(parseVerifierKey(vkey));
}
