// The finding compaction before the sorted pass for long lists (frozen for the differential test in
// dedupe.test.ts): an insertion sort and a containment scan of what is kept, quadratic in the
// number of findings; and secrets' overlap filter with `some` per finding.
import type { Finding } from '../../../src/detect/types.ts';

export function dedupe(findings: Finding[]): Finding[] {
  const n = findings.length;
  for (let i = 1; i < n; i++) {
    const f = findings[i]!;
    let j = i - 1;
    while (j >= 0 && (findings[j]!.start - f.start || f.end - findings[j]!.end) > 0) {
      findings[j + 1] = findings[j]!;
      j--;
    }
    findings[j + 1] = f;
  }
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (!insideAny(findings, kept, f)) findings[kept++] = f;
  }
  if (kept < n) findings.length = kept;
  return findings;
}

function insideAny(kept: readonly Finding[], count: number, f: Finding): boolean {
  for (let i = 0; i < count; i++) {
    const o = kept[i]!;
    if (o.detector === f.detector && o.type === f.type && o.path === f.path && o.start <= f.start && o.end >= f.end) return true;
  }
  return false;
}

const GENERIC = new Set(['generic_high_entropy', 'password', 'bearer_token']);
export function dropOverlapsWithSpecific(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  return findings.filter(
    (f) => !GENERIC.has(f.type) || !findings.some((o) => !GENERIC.has(o.type) && o.start < f.end && o.end > f.start),
  );
}
