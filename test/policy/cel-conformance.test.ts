// The official CEL conformance suite, run through Gatehouse's own engine. Every failure must be
// listed in src/policy/cel/known-gaps.json (and docs/cel-known-gaps.md) and every listed gap
// must still fail, so the list stays true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runConformance, SECTIONS } from './cel-conformance-harness.ts';
import gaps from '../../src/policy/cel/known-gaps.json' with { type: 'json' };

test('CEL conformance: pass/total per section; failures are exactly the known gaps', (t) => {
  const results = runConformance();
  const known = gaps as Record<string, string>;
  let pass = 0;
  let total = 0;
  for (const section of SECTIONS) {
    const rows = results.filter((r) => r.section === section);
    const p = rows.filter((r) => r.status === 'pass').length;
    const skipped = rows.filter((r) => r.status === 'skip').length;
    pass += p;
    total += rows.length - skipped;
    t.diagnostic(`${section}: ${p}/${rows.length - skipped}${skipped ? ` (${skipped} skipped)` : ''}`);
  }
  t.diagnostic(`total: ${pass}/${total} conformance cases passed`);
  assert.ok(total > 1300, `expected the full sections, ran ${total}`);
  const unexpected = results.filter((r) => r.status === 'fail' && !(r.id in known)).map((r) => `${r.id}: ${r.reason}`);
  assert.deepEqual(unexpected, [], 'failing cases not listed in known-gaps.json');
  const nowPassing = Object.keys(known).filter((id) => results.find((r) => r.id === id)?.status !== 'fail');
  assert.deepEqual(nowPassing, [], 'known gaps that no longer fail (or no longer exist): remove them');
  const doc = readFileSync(new URL('../../docs/cel-known-gaps.md', import.meta.url), 'utf8');
  const undocumented = Object.keys(known).filter((id) => !doc.includes(id));
  assert.deepEqual(undocumented, [], 'known gaps missing from docs/cel-known-gaps.md');
});
