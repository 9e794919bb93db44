import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { GatehouseError, errorMessage } from '../../errors.ts';
import { fromHex } from '../../ledger/hash.ts';
import { noteVerifier, parseVerifierKey } from '../../ledger/keys.ts';
import { loadWitnessKey } from '../../ledger/service/keys.ts';
import { openLedger } from '../../ledger/service/ledger.ts';
import { consistencyProofFromStore } from '../../ledger/service/proofs.ts';
import { witnessCheckpoint } from '../../ledger/service/witness.ts';
import { SqliteLedgerStore } from '../../store/sqlite/ledger-store.ts';
import { action, createOutput } from '../output.ts';

interface WitnessOpts {
  db?: string;
  key?: string;
  logDb?: string;
  logKey?: string;
  checkpoint?: string;
  proof?: string;
  out?: string;
  json?: boolean;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new GatehouseError('NOT_FOUND', `cannot read ${what} ${path}: ${errorMessage(error)}`);
  }
}

function logVerifier(text: string) {
  const vkey = existsSync(text) ? readText(text, 'log key').trim() : text.trim();
  try {
    return noteVerifier(parseVerifierKey(vkey));
  } catch (error) {
    throw new GatehouseError('USAGE', `--log-key is not a verifier key: ${errorMessage(error)}`);
  }
}

/**
 * `audit witness`: this Gatehouse cosigns another Gatehouse log's checkpoint (tlog-cosignature/v1)
 * after checking it is consistent with the last one it cosigned for that origin. Two input modes:
 *   --log-db PATH                       read the latest checkpoint and the proof from the log's database
 *   --checkpoint FILE [--proof FILE]    a checkpoint note plus the JSON printed by
 *                                       `gatehouse audit prove --consistency FROM --to SIZE --json`
 * The witness keeps its state in its own database (--db) and its key in --key (witness.key next to it).
 */
export function registerAuditWitness(audit: Command, resolveDbPath: (opts: { db?: string }) => string): void {
  audit
    .command('witness')
    .description("Cosign another Gatehouse log's checkpoint after checking consistency; refuses forks and rollbacks")
    .requiredOption('--log-key <vkey|file>', "the witnessed log's verifier key (pinned)")
    .option('--log-db <path>', "the witnessed log's database (read-only)")
    .option('--checkpoint <file>', 'a signed checkpoint note of the witnessed log')
    .option('--proof <file>', 'consistency proof JSON from the last cosigned size to the checkpoint size')
    .option('--db <path>', "this witness's database (keeps the last cosigned checkpoint per origin)")
    .option('--key <path>', 'witness key file (type 0x04; created with mode 0600 when absent)')
    .option('--out <file>', 'write the cosigned checkpoint here')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: WitnessOpts) => {
        const out = createOutput(Boolean(opts.json));
        if (Boolean(opts.logDb) === Boolean(opts.checkpoint)) throw new GatehouseError('USAGE', 'give exactly one of --log-db or --checkpoint');
        const verifier = logVerifier(opts.logKey!);
        const dbPath = resolveDbPath(opts);
        const witnessKey = loadWitnessKey(opts.key ?? join(dirname(dbPath), 'witness.key')).key;
        const state = SqliteLedgerStore.open(dbPath);
        const log = opts.logDb ? await openLedger({ path: opts.logDb, readonly: true }) : undefined;
        try {
          let checkpoint: string;
          if (log) {
            const latest = await log.store.latestCheckpoint();
            if (!latest) throw new GatehouseError('NOT_FOUND', `the log at ${opts.logDb} has no checkpoint yet`);
            checkpoint = latest.note;
          } else checkpoint = readText(opts.checkpoint!, 'checkpoint');
          const result = await witnessCheckpoint({
            state,
            witnessKey,
            logVerifier: verifier,
            checkpoint,
            getProof: async (from, to) => {
              if (log) return consistencyProofFromStore(log.store, from, to);
              if (!opts.proof) throw new GatehouseError('USAGE', `a consistency proof from ${from} to ${to} is needed (--proof FILE)`);
              const p = JSON.parse(readText(opts.proof, 'proof')) as { from?: number; to?: number; proof?: string[] };
              if (p.from !== from || p.to !== to || !Array.isArray(p.proof)) {
                throw new GatehouseError('USAGE', `--proof must prove ${from} -> ${to} (got ${p.from} -> ${p.to})`);
              }
              return p.proof.map((h) => fromHex(String(h)));
            },
          });
          if (opts.out) writeFileSync(opts.out, result.cosignedCheckpoint);
          if (out.json) out.document({ ok: true, ...result });
          else {
            out.line(`cosigned ${result.origin} at size ${result.size}${result.previousSize !== undefined ? ` (consistent with ${result.previousSize})` : ' (first checkpoint seen for this origin)'}`);
            out.line(result.cosignedCheckpoint.trimEnd());
            out.line(`witness key: ${result.witnessKey}`);
          }
        } finally {
          await log?.close();
          await state.close();
        }
      }),
    );
}
