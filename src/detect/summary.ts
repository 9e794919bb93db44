import type { Finding } from './types.ts';

/** What a CEL expression wants to test about a list of findings. */
export interface FindingSummary {
  count: number;
  types: string[];
  maxConfidence: number;
  findings: Finding[];
}

export function summarizeFindings(findings: readonly Finding[]): FindingSummary {
  let max = 0;
  const types = new Set<string>();
  for (const f of findings) {
    types.add(f.type);
    if (f.confidence > max) max = f.confidence;
  }
  return { count: findings.length, types: [...types].sort(), maxConfidence: max, findings: [...findings] };
}
