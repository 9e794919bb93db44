import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATASETS, score, type LoadReport } from './atr-corpus.ts';

// Pinned from `node --import tsx bench/detect-accuracy.ts` (docs/DETECTION.md). Recall may only go
// up and false positives only down; change the pins together with the docs.
const PINNED: Record<string, { minTp: number; maxFp: number }> = {
  injection: { minTp: 273, maxFp: 17 },
  poisoning: { minTp: 41, maxFp: 2 },
  secrets: { minTp: 7, maxFp: 0 },
  destructive: { minTp: 9, maxFp: 1 },
};

test('agent-threat-rules labelled cases: precision and recall do not regress', (t) => {
  const report: LoadReport = { files: 0, unparsable: [] };
  for (const ds of DATASETS) {
    const s = score(ds, report);
    t.diagnostic(`${s.name}: ${s.positives} positive / ${s.negatives} negative cases; TP ${s.tp} FP ${s.fp} FN ${s.fn}; precision ${s.precision}, recall ${s.recall}, FP rate ${s.falsePositiveRate}`);
    const pin = PINNED[ds.detector]!;
    assert.ok(s.positives > 0 && s.negatives > 0, `${ds.name}: no cases loaded`);
    assert.ok(s.tp >= pin.minTp, `${ds.name}: TP ${s.tp} < ${pin.minTp}`);
    assert.ok(s.fp <= pin.maxFp, `${ds.name}: FP ${s.fp} > ${pin.maxFp}`);
  }
  t.diagnostic(`rule files read: ${report.files}`);
});
