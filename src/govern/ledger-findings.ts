import type { Finding } from '../detect/index.ts';
import type { JsonValue } from '../ledger/entry.ts';
import { cutText } from '../cut-text.ts';

/** Most findings a ledger entry lists one by one; the rest are counted by detector and type. */
export const LEDGER_FINDINGS_MAX = 200;
/** Longest JSON path a recorded finding keeps (an object key can be as long as a value). */
const PATH_MAX = 512;

export interface RecordedFindings {
  findings: Array<{ [key: string]: JsonValue }>;
  /** Present when findings were left out: how many, and how many of each `detector/type`. */
  omitted?: { count: number; byType: { [type: string]: number } };
}

/**
 * The findings as a ledger entry stores them. A large argument full of PII can hold thousands of
 * findings; listed in full they would push the entry past the ledger's size limit, and a decision
 * that cannot be recorded is refused. So the first LEDGER_FINDINGS_MAX (in detector order) are
 * listed and the rest counted.
 */
export function recordFindings(all: readonly Finding[]): RecordedFindings {
  const findings = all.slice(0, LEDGER_FINDINGS_MAX).map(findingRecord);
  if (all.length <= LEDGER_FINDINGS_MAX) return { findings };
  const byType: { [type: string]: number } = {};
  for (let i = LEDGER_FINDINGS_MAX; i < all.length; i++) {
    const key = `${all[i]!.detector}/${all[i]!.type}`;
    byType[key] = (byType[key] ?? 0) + 1;
  }
  return { findings, omitted: { count: all.length - LEDGER_FINDINGS_MAX, byType } };
}

function findingRecord(f: Finding): { [key: string]: JsonValue } {
  return { detector: f.detector, type: f.type, path: cutText(f.path, PATH_MAX), start: f.start, end: f.end, confidence: f.confidence };
}
