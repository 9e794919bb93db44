import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCalls } from '../../bench/policy-calls.ts';
import { checkEquivalence, createEngines, loadGatehouseBundle, type Engine } from '../../bench/policy-engines.ts';
import { CEDAR_RULES } from '../../bench/policy-cedar.ts';
import { AGT_DOCS } from '../../bench/policy-agt.ts';

// The benchmark compares engines only if they decide alike: the same 50 rules, translated to Cedar
// and to the Agent Governance Toolkit, must give Gatehouse's answer on every call.
const calls = generateCalls(200);

test('the benchmark policy has 50 rules, and each translation has the same 50 rule names', () => {
  const bundle = loadGatehouseBundle();
  const names = bundle.toolPolicies.flatMap((p) => p.rules.map((r) => r.ref.rule)).sort();
  assert.equal(names.length, 50);
  assert.deepEqual(Object.keys(CEDAR_RULES).sort(), names);
  assert.deepEqual(AGT_DOCS.flatMap((d) => Object.keys(d.rules)).sort(), names);
});

test('Cedar and the Agent Governance Toolkit agree with Gatehouse on 200 seeded calls', (t) => {
  const engines = createEngines();
  const result = checkEquivalence(calls, engines.gatehouse, [engines.cedar, engines.agt]);
  t.diagnostic(`outcomes: ${JSON.stringify(result.outcomes)}`);
  for (const [name, p] of Object.entries(result.peers)) t.diagnostic(`${name}: ${p.agree}/${result.calls} agree`);
  // A mix that exercises every outcome, without fail-closed errors on either side.
  assert.ok(result.outcomes.allow > 20 && result.outcomes.deny > 20 && result.outcomes.require_approval > 10, JSON.stringify(result.outcomes));
  assert.equal(engines.gatehouse.errors, 0);
  assert.equal(engines.cedar.errors, 0);
  for (const [name, p] of Object.entries(result.peers)) {
    const first = p.mismatches.slice(0, 3).map((m) => `#${m.index} ${m.call.server}/${m.call.tool}: gatehouse=${m.gatehouse} ${name}=${m.peer}`);
    assert.equal(p.mismatches.length, 0, `${name} disagrees on ${p.mismatches.length} calls: ${first.join('; ')}`);
    assert.equal(p.agree, calls.length);
  }
});

test('the check reports a peer that decides differently', () => {
  const engines = createEngines();
  // A peer that ignores every forbid: it must be caught on the calls Gatehouse denies.
  const lenient: Engine = { name: 'lenient', decide: (c) => (engines.cedar.decide(c) === 'deny' ? 'allow' : engines.cedar.decide(c)) };
  const result = checkEquivalence(calls, engines.gatehouse, [lenient]);
  assert.equal(result.peers.lenient!.mismatches.length, result.outcomes.deny);
  assert.ok(result.peers.lenient!.mismatches.every((m) => m.gatehouse === 'deny' && m.peer === 'allow'));
});

test('the call mix is deterministic for a seed and differs across seeds', () => {
  assert.deepEqual(generateCalls(50, 7), generateCalls(50, 7));
  assert.notDeepEqual(generateCalls(50, 7), generateCalls(50, 8));
});
