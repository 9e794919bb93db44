/**
 * Evidence bundles: entries, the signed checkpoint they are proven against, one inclusion proof
 * per entry and the log's verifier key. verifyBundle needs nothing else: no server, no database.
 */
import { openCheckpoint } from './checkpoint.ts';
import { decodeLeaf, type StoredEntry } from './entry.ts';
import { fromHex, leafHash, toHex } from './hash.ts';
import { noteVerifier, parseVerifierKey } from './keys.ts';
import { verifyInclusion } from './proof.ts';

export const BUNDLE_FORMAT = 'gatehouse-ledger-bundle/v1';

export interface BundleFilter {
  from?: string;
  to?: string;
  agent?: string;
  session?: string;
  tenant?: string;
}

export interface BundleEntry {
  index: number;
  /** The canonical JSON leaf, exactly as hashed (UTF-8). */
  leaf: string;
  /** Inclusion proof against the bundle checkpoint, hex, deepest sibling first. */
  proof: string[];
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  origin: string;
  /** Verifier key of the log (signed-note vkey). Pin it with verifyBundle({ trustedKeys }). */
  verifierKey: string;
  /** Signed checkpoint (tlog-checkpoint note), possibly with witness cosignatures. */
  checkpoint: string;
  filter: BundleFilter;
  createdAt: string;
  entries: BundleEntry[];
}

export interface BundleReport {
  ok: boolean;
  origin?: string;
  verifierKey?: string;
  /** True when the verifier key was among the trusted keys supplied by the caller. */
  keyPinned: boolean;
  treeSize?: number;
  root?: string;
  entries: number;
  problems: Array<{ index?: number; message: string }>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function verifyBundle(input: string | unknown, options: { trustedKeys?: string[] } = {}): BundleReport {
  const report: BundleReport = { ok: false, keyPinned: false, entries: 0, problems: [] };
  const fail = (message: string, index?: number): BundleReport => {
    report.problems.push(index === undefined ? { message } : { index, message });
    return report;
  };
  let bundle: unknown = input;
  if (typeof input === 'string') {
    try {
      bundle = JSON.parse(input);
    } catch {
      return fail('bundle is not valid JSON');
    }
  }
  if (!isObject(bundle) || bundle.format !== BUNDLE_FORMAT) return fail(`not a ${BUNDLE_FORMAT} document`);
  const b = bundle as unknown as EvidenceBundle;
  if (typeof b.verifierKey !== 'string' || typeof b.checkpoint !== 'string' || typeof b.origin !== 'string' || !Array.isArray(b.entries)) {
    return fail('bundle lacks verifierKey, checkpoint, origin or entries');
  }
  report.origin = b.origin;
  report.verifierKey = b.verifierKey;
  if (options.trustedKeys && options.trustedKeys.length > 0) {
    if (!options.trustedKeys.map((k) => k.trim()).includes(b.verifierKey.trim())) return fail('the bundle is signed by a key that is not trusted');
    report.keyPinned = true;
  }
  let cp;
  try {
    cp = openCheckpoint(b.checkpoint, [noteVerifier(parseVerifierKey(b.verifierKey))], b.origin);
  } catch (error) {
    return fail(`checkpoint: ${(error as Error).message}`);
  }
  report.treeSize = cp.size;
  report.root = toHex(cp.root);
  const seen = new Set<number>();
  for (const e of b.entries) {
    if (!isObject(e) || typeof e.leaf !== 'string' || !Number.isSafeInteger(e.index) || !Array.isArray(e.proof)) {
      fail('malformed bundle entry');
      continue;
    }
    if (seen.has(e.index)) fail(`entry ${e.index} appears twice`, e.index);
    seen.add(e.index);
    try {
      const leaf = Buffer.from(e.leaf, 'utf8');
      decodeLeaf(leaf, e.index);
      verifyInclusion(e.index, cp.size, leafHash(leaf), e.proof.map((h) => fromHex(String(h))), cp.root);
      report.entries++;
    } catch (error) {
      fail(`entry ${e.index}: ${(error as Error).message}`, e.index);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** The entries of a bundle, parsed (after verifyBundle said ok). */
export function bundleEntries(bundle: EvidenceBundle): StoredEntry[] {
  return bundle.entries.map((e) => decodeLeaf(Buffer.from(e.leaf, 'utf8'), e.index));
}
