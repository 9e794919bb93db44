/**
 * The three engines behind one `decide(call)` shape, and the equivalence check the benchmark and
 * test/bench/policy-equivalence.test.ts run before any timing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilePoliciesOrThrow, evaluatePolicy, type PolicyBundle } from '../src/policy/index.ts';
import type { BenchCall } from './policy-calls.ts';
import { createAgtEngine } from './policy-agt.ts';
import { createCedarEngine } from './policy-cedar.ts';

export type Decision = 'allow' | 'deny' | 'require_approval';

export interface Engine {
  name: string;
  decide(call: BenchCall): Decision;
}

export const POLICY_PATH = fileURLToPath(new URL('./fixtures/policy-50-rules.yaml', import.meta.url));

export function loadGatehouseBundle(): PolicyBundle {
  return compilePoliciesOrThrow([{ path: 'bench/fixtures/policy-50-rules.yaml', text: readFileSync(POLICY_PATH, 'utf8') }]);
}

export function createGatehouseEngine(bundle = loadGatehouseBundle()): Engine & { errors: number } {
  const engine = {
    name: 'gatehouse',
    errors: 0,
    decide(call: BenchCall): Decision {
      const d = evaluatePolicy(
        bundle,
        { tool: call.tool, server: call.server, arguments: call.args, agent: { id: call.agent }, session: call.session, tenant: call.tenant },
        { globalDefault: 'deny' },
      );
      if (d.error) engine.errors++;
      return d.action;
    },
  };
  return engine;
}

export function createEngines(): { gatehouse: Engine & { errors: number }; cedar: Engine & { errors: number }; agt: Engine } {
  const cedar = createCedarEngine();
  const agt = createAgtEngine();
  return {
    gatehouse: createGatehouseEngine(),
    cedar: { name: 'cedar-wasm', decide: (c) => cedar.decide(c), get errors() { return cedar.errors; } },
    agt: { name: 'agent-governance-sdk', decide: (c) => agt.decide(c) },
  };
}

export interface Mismatch {
  index: number;
  call: BenchCall;
  gatehouse: Decision;
  peer: Decision;
}

export interface Equivalence {
  calls: number;
  /** Gatehouse's own outcome mix. */
  outcomes: Record<Decision, number>;
  /** Per peer: agreements and the calls where the peer decided differently from Gatehouse. */
  peers: Record<string, { agree: number; mismatches: Mismatch[] }>;
}

export function checkEquivalence(calls: readonly BenchCall[], gatehouse: Engine, peers: readonly Engine[]): Equivalence {
  const outcomes: Record<Decision, number> = { allow: 0, deny: 0, require_approval: 0 };
  const result: Equivalence = { calls: calls.length, outcomes, peers: {} };
  for (const p of peers) result.peers[p.name] = { agree: 0, mismatches: [] };
  calls.forEach((call, index) => {
    const expected = gatehouse.decide(call);
    outcomes[expected]++;
    for (const p of peers) {
      const got = p.decide(call);
      const slot = result.peers[p.name]!;
      if (got === expected) slot.agree++;
      else slot.mismatches.push({ index, call, gatehouse: expected, peer: got });
    }
  });
  return result;
}
