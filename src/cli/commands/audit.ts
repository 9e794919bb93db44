import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, GatehouseError, errorMessage } from '../../errors.ts';
import { verifyBundle } from '../../ledger/bundle.ts';
import { fromHex } from '../../ledger/hash.ts';
import { noteVerifier, parseVerifierKey } from '../../ledger/keys.ts';
import type { NoteVerifier } from '../../ledger/note.ts';
import { verifyInclusion } from '../../ledger/proof.ts';
import { checkPinnedCheckpoint, type PinnedCheckpoint } from '../../ledger/service/pinned-checkpoint.ts';
import { openLedger, type Ledger, type LedgerRecord } from '../../ledger/service/ledger.ts';
import type { VerifyReport } from '../../ledger/service/audit.ts';
import { action, createOutput, type Output } from '../output.ts';
import { registerAuditWitness } from './audit-witness.ts';
import { resolveDbPath as resolveConfiguredDbPath } from '../db-path.ts';

/** The database the audit commands read (see src/cli/db-path.ts). */
export function resolveDbPath(opts: { db?: string }): string {
  return resolveConfiguredDbPath(opts.db);
}

interface DbOpts {
  db?: string;
  json?: boolean;
}

function requireDb(opts: DbOpts): string {
  const path = resolveDbPath(opts);
  if (!existsSync(path)) {
    throw new GatehouseError('NOT_FOUND', `no ledger database at ${path}`, { hint: 'pass --db PATH or set GATEHOUSE_DB' });
  }
  return path;
}

/** Opens with the signing key when it is available (so checkpoints can be signed), read-only otherwise. */
export async function openForCli(path: string, wantKey: boolean): Promise<Ledger> {
  if (wantKey) {
    try {
      return await openLedger({ path, createKey: false, checkpointIntervalMs: 0 });
    } catch (error) {
      if (!(error instanceof GatehouseError && error.code === 'NOT_FOUND')) throw error;
    }
  }
  return openLedger({ path, readonly: true });
}

async function withLedger<T>(path: string, wantKey: boolean, fn: (l: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openForCli(path, wantKey);
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

function summary(r: LedgerRecord): string {
  const e = r.entry;
  const what = [e.kind, e.decision, e.server && e.tool ? `${e.server}/${e.tool}` : e.tool].filter(Boolean).join(' ');
  return `#${r.index} ${e.time} ${e.tenant}/${e.agent}${e.session ? `/${e.session}` : ''} ${what} ${e.actionId}`;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function readPinnedCheckpoint(file: string): PinnedCheckpoint {
  try {
    return { source: file, note: readFileSync(file, 'utf8') };
  } catch {
    throw new GatehouseError('NOT_FOUND', `cannot read checkpoint ${file}`, { hint: 'save one with `gatehouse audit checkpoint --out FILE`' });
  }
}

function trustedVerifier(vkey: string): NoteVerifier {
  try {
    return noteVerifier(parseVerifierKey(vkey.trim()));
  } catch (error) {
    throw new GatehouseError('USAGE', `--key is not a signed-note verifier key: ${errorMessage(error)}`, { hint: 'print the log\'s key with `gatehouse audit key`' });
  }
}

function printReport(out: Output, r: VerifyReport): void {
  if (r.ok) {
    out.line(`ledger intact: ${r.size} entries, ${r.checkpoints} checkpoints (origin ${r.origin})`);
    if (r.pinnedCheckpoints) out.line(`contains all ${r.pinnedCheckpoints} pinned checkpoint(s)`);
    if (r.latestCheckpoint) out.line(`latest checkpoint: size ${r.latestCheckpoint.size}, root ${r.latestCheckpoint.root}`);
    if (r.uncheckpointed > 0) out.line(`${r.uncheckpointed} newest entries are not under a checkpoint yet`);
    return;
  }
  out.line(`ledger TAMPERED${r.firstBadIndex !== undefined ? `: first bad index ${r.firstBadIndex}` : ''}`);
  for (const p of r.problems) out.line(`  [${p.kind}] ${p.message}`);
}

function registerVerify(audit: Command): void {
  audit
    .command('verify')
    .description('Check every entry, tree node, checkpoint signature and checkpoint consistency (exit 1 if tampered)')
    .option('--db <path>', 'ledger database (default .gatehouse/gatehouse.db or GATEHOUSE_DB)')
    .option('--bundle <file>', 'verify an exported evidence bundle instead, offline')
    .option('--key <vkey>', 'trusted verifier key (signed-note vkey); pins the key instead of trusting the stored one')
    .option('--checkpoint <file>', 'a signed checkpoint saved earlier (`audit checkpoint --out`); the log must still contain it (repeatable)', collect, [])
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: DbOpts & { bundle?: string; key?: string; checkpoint: string[] }) => {
        const out = createOutput(Boolean(opts.json));
        if (opts.bundle && opts.db) throw new GatehouseError('USAGE', 'use either --db or --bundle');
        if (opts.bundle && opts.checkpoint.length > 0) throw new GatehouseError('USAGE', '--checkpoint checks a database; a bundle carries its own checkpoint');
        const pinned = opts.checkpoint.map(readPinnedCheckpoint);
        const pinnedKey = opts.key ? trustedVerifier(opts.key) : undefined;
        if (opts.bundle) {
          let text: string;
          try {
            text = readFileSync(opts.bundle, 'utf8');
          } catch {
            throw new GatehouseError('NOT_FOUND', `cannot read bundle ${opts.bundle}`);
          }
          const r = verifyBundle(text, opts.key ? { trustedKeys: [opts.key] } : {});
          if (out.json) out.document(r);
          else if (r.ok) {
            out.line(`bundle verified: ${r.entries} entries included in checkpoint size ${r.treeSize} of ${r.origin}`);
            out.line(`root ${r.root}, signed by ${r.verifierKey}${r.keyPinned ? ' (pinned)' : ' (key taken from the bundle: compare it with the published key)'}`);
          } else {
            out.line('bundle verification FAILED');
            for (const p of r.problems) out.line(`  ${p.index !== undefined ? `entry ${p.index}: ` : ''}${p.message}`);
          }
          return r.ok ? EXIT.OK : EXIT.FINDINGS;
        }
        const path = requireDb(opts);
        return withLedger(path, false, async (ledger) => {
          const report = await ledger.verify({
            onProgress: (done, total) => {
              if (process.stderr.isTTY && total > 100_000) process.stderr.write(`\rverified ${done}/${total}`);
            },
          });
          if (process.stderr.isTTY && report.size > 100_000) process.stderr.write('\n');
          if (opts.key && opts.key.trim() !== ledger.vkey) {
            report.ok = false;
            report.problems.unshift({ kind: 'checkpoint_signature', message: `the ledger's key ${ledger.vkey} is not the trusted key` });
          }
          for (const cp of pinned) {
            const problem = await checkPinnedCheckpoint(ledger, pinnedKey ?? ledger.verifier, cp, report.size);
            if (!problem) continue;
            report.ok = false;
            report.problems.push(problem);
            if (problem.index !== undefined) report.firstBadIndex = Math.min(report.firstBadIndex ?? problem.index, problem.index);
          }
          report.pinnedCheckpoints = pinned.length;
          if (out.json) out.document(report);
          else printReport(out, report);
          return report.ok ? EXIT.OK : EXIT.FINDINGS;
        });
      }),
    );
}

function registerProveShow(audit: Command): void {
  audit
    .command('prove')
    .description('Inclusion proof of one entry against the latest signed checkpoint (or, with --consistency, a consistency proof)')
    .argument('[actionId]', 'action id (or #INDEX)')
    .option('--db <path>', 'ledger database')
    .option('--consistency <from>', 'prove the tree of this size is a prefix of the tree of --to size')
    .option('--to <size>', 'with --consistency: the larger size (default: latest checkpoint)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (id: string | undefined, opts: DbOpts & { consistency?: string; to?: string }) => {
        const out = createOutput(Boolean(opts.json));
        if ((id === undefined) === (opts.consistency === undefined)) throw new GatehouseError('USAGE', 'give an ACTION_ID or --consistency FROM');
        return withLedger(requireDb(opts), true, async (ledger) => {
          if (opts.consistency !== undefined) {
            const to = opts.to !== undefined ? treeSize(opts.to, '--to') : (await ledger.checkpoint()).size;
            const p = await ledger.proveConsistency(treeSize(opts.consistency, '--consistency'), to);
            if (out.json) out.document(p);
            else {
              out.line(`tree ${p.from} (root ${p.root1}) is a prefix of tree ${p.to} (root ${p.root2})`);
              for (const h of p.proof) out.line(`  ${h}`);
            }
            return;
          }
          const which = /^#\d+$/.test(id!) ? Number(id!.slice(1)) : id!;
          const p = await ledger.proveInclusion(which);
          // check before handing it out: a proof the CLI prints must verify
          verifyInclusion(p.index, p.treeSize, fromHex(p.leafHash), p.proof.map(fromHex), fromHex(p.root));
          const record = (await ledger.get(p.index))!;
          const doc = { actionId: record.entry.actionId, ...p, verifierKey: ledger.vkey, leaf: record.leaf };
          if (out.json) out.document(doc);
          else {
            out.line(`entry #${p.index} (${record.entry.actionId}) is included in checkpoint size ${p.treeSize}`);
            out.line(`leaf hash ${p.leafHash}`);
            out.line(`root      ${p.root}`);
            out.line('proof (deepest first):');
            for (const h of p.proof) out.line(`  ${h}`);
            if (p.checkpoint) out.line('\n' + p.checkpoint.trimEnd());
            out.line(`\nverifier key: ${ledger.vkey}`);
          }
        });
      }),
    );

  audit
    .command('show')
    .description('Show one ledger entry')
    .argument('<actionId>', 'action id (or #INDEX)')
    .option('--db <path>', 'ledger database')
    .option('--json', 'print one JSON document')
    .action(
      action(async (id: string, opts: DbOpts) => {
        const out = createOutput(Boolean(opts.json));
        return withLedger(requireDb(opts), false, async (ledger) => {
          const r = /^#\d+$/.test(id) ? await ledger.get(Number(id.slice(1))) : await ledger.getByActionId(id);
          if (!r) throw new GatehouseError('NOT_FOUND', `no ledger entry ${id}`);
          const cp = await ledger.latestCheckpoint();
          const covered = cp !== undefined && cp.size > r.index;
          if (out.json) out.document({ index: r.index, leafHash: r.leafHash, checkpointed: covered, entry: r.entry });
          else {
            out.line(summary(r));
            out.line(JSON.stringify(r.entry, null, 2));
            out.line(`leaf hash ${r.leafHash}; ${covered ? `covered by checkpoint size ${cp!.size}` : 'not yet under a checkpoint'}`);
          }
        });
      }),
    );
}

function registerTailExportKey(audit: Command): void {
  audit
    .command('tail')
    .description('Print the newest entries; --follow keeps printing new ones')
    .option('--db <path>', 'ledger database')
    .option('-n, --lines <n>', 'how many entries', '10')
    .option('-f, --follow', 'keep watching for new entries (JSON: one entry per line)')
    .option('--json', 'print JSON (an array; one object per line with --follow)')
    .action(
      action(async (opts: DbOpts & { lines: string; follow?: boolean }) => {
        const out = createOutput(Boolean(opts.json));
        const n = Number(opts.lines);
        if (!Number.isSafeInteger(n) || n < 0) throw new GatehouseError('USAGE', '-n must be a non-negative integer');
        const ledger = await openForCli(requireDb(opts), false);
        try {
          let next = Math.max(0, (await ledger.store.size()) - n);
          const print = (rows: LedgerRecord[], lines: boolean) => {
            if (out.json && !lines) out.document(rows.map((r) => ({ index: r.index, leafHash: r.leafHash, entry: r.entry })));
            else for (const r of rows) process.stdout.write((out.json ? JSON.stringify({ index: r.index, leafHash: r.leafHash, entry: r.entry }) : summary(r)) + '\n');
          };
          const first = await ledger.range(next, n);
          next += first.length;
          print(first, Boolean(opts.follow));
          if (!opts.follow) return;
          await new Promise<void>((stop) => {
            process.once('SIGINT', () => stop());
            process.once('SIGTERM', () => stop());
            const poll = async () => {
              const rows = await ledger.range(next, 1000);
              next += rows.length;
              print(rows, true);
              setTimeout(() => void poll(), rows.length === 1000 ? 0 : 500);
            };
            void poll();
          });
        } finally {
          await ledger.close();
        }
      }),
    );

  audit
    .command('export')
    .description('Write a self-contained evidence bundle (entries, checkpoint, proofs, verifier key)')
    .requiredOption('--out <file>', 'bundle file to write')
    .option('--db <path>', 'ledger database')
    .option('--from <time>', 'entries at or after this ISO time')
    .option('--to <time>', 'entries at or before this ISO time')
    .option('--agent <id>', 'only this agent')
    .option('--session <id>', 'only this session')
    .option('--tenant <id>', 'only this tenant')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: DbOpts & { out: string; from?: string; to?: string; agent?: string; session?: string; tenant?: string }) => {
        const out = createOutput(Boolean(opts.json));
        for (const t of [opts.from, opts.to]) {
          if (t !== undefined && Number.isNaN(Date.parse(t))) throw new GatehouseError('USAGE', `not an ISO time: ${t}`);
        }
        return withLedger(requireDb(opts), true, async (ledger) => {
          const filter = Object.fromEntries(
            Object.entries({ from: opts.from, to: opts.to, agent: opts.agent, session: opts.session, tenant: opts.tenant }).filter(([, v]) => v !== undefined),
          );
          const bundle = await ledger.exportBundle(filter);
          writeFileSync(opts.out, JSON.stringify(bundle, null, 2) + '\n');
          const doc = { ok: true, out: opts.out, entries: bundle.entries.length, checkpoint: bundle.checkpoint, verifierKey: bundle.verifierKey };
          if (out.json) out.document(doc);
          else out.line(`wrote ${bundle.entries.length} entries with proofs to ${opts.out}; check with: gatehouse audit verify --bundle ${opts.out}`);
        });
      }),
    );

  audit
    .command('key')
    .description('Print the ledger verifier key (signed-note vkey); creates the key on first run')
    .option('--db <path>', 'ledger database')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: DbOpts) => {
        const out = createOutput(Boolean(opts.json));
        const ledger = await openLedger({ path: resolveDbPath(opts), checkpointIntervalMs: 0 });
        try {
          const [name, keyId] = ledger.vkey.split('+');
          if (out.json) out.document({ verifierKey: ledger.vkey, name, keyId, origin: ledger.origin });
          else out.line(ledger.vkey);
        } finally {
          await ledger.close();
        }
      }),
    );
}

function registerCheckpoint(audit: Command): void {
  audit
    .command('checkpoint')
    .description('Print (or save) the latest signed checkpoint; keep copies outside the database and check them with `audit verify --checkpoint`')
    .option('--db <path>', 'ledger database')
    .option('--out <file>', 'write the signed checkpoint note to this file')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: DbOpts & { out?: string }) => {
        const out = createOutput(Boolean(opts.json));
        return withLedger(requireDb(opts), true, async (ledger) => {
          const cp = ledger.readonly ? await ledger.latestCheckpoint() : await ledger.checkpoint();
          if (!cp) throw new GatehouseError('NOT_FOUND', 'the ledger has no signed checkpoint yet', { hint: 'run this where the signing key is, so one can be signed' });
          if (opts.out) writeFileSync(opts.out, cp.note);
          const doc = { size: cp.size, root: Buffer.from(cp.root).toString('hex'), note: cp.note, verifierKey: ledger.vkey, ...(opts.out ? { out: opts.out } : {}) };
          if (out.json) out.document(doc);
          else if (opts.out) out.line(`wrote the checkpoint at size ${cp.size} to ${opts.out}; check the log against it later with: gatehouse audit verify --checkpoint ${opts.out}`);
          else out.line(cp.note.trimEnd());
        });
      }),
    );
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident decision ledger: verify, prove, export, witness');
  registerVerify(audit);
  registerProveShow(audit);
  registerTailExportKey(audit);
  registerCheckpoint(audit);
  registerAuditWitness(audit, resolveDbPath);
}

/** A tree size from the command line: `abc` or `1e3` is a usage error, not "no proof from 1 to NaN". */
function treeSize(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new GatehouseError('USAGE', `${flag} must be a tree size (a whole number), not ${JSON.stringify(value.slice(0, 40))}`);
  }
  return n;
}
