// Precision and recall of the detectors on the labelled cases of the agent-threat-rules package.
// Run: node --import tsx bench/detect-accuracy.ts [--fp]   (--fp lists false positives)
import { DATASETS, FLAG_AT, score, type LoadReport } from '../test/detect/atr-corpus.ts';

const report: LoadReport = { files: 0, unparsable: [] };
console.log(`agent-threat-rules labelled cases, flagged at confidence >= ${FLAG_AT}`);
console.log('dataset'.padEnd(66) + 'pos  neg   TP   FP   FN  precision recall  FP-rate');
for (const ds of DATASETS) {
  const s = score(ds, report);
  console.log(
    `${s.name.padEnd(66)}${String(s.positives).padStart(4)} ${String(s.negatives).padStart(4)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${s.precision.toFixed(3).padStart(8)} ${s.recall.toFixed(3).padStart(6)} ${s.falsePositiveRate.toFixed(3).padStart(8)}`,
  );
  if (process.argv.includes('--fp')) for (const e of s.fpExamples) console.log(`    FP ${e.replace(/\s+/g, ' ')}`);
}
console.log(`rule files read: ${report.files}; unparsable YAML skipped: ${report.unparsable.join(', ') || 'none'}`);
