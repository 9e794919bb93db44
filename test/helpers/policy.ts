import { readFileSync } from 'node:fs';
import { compilePolicies, compilePoliciesOrThrow, evaluatePolicy, type PolicyBundle, type PolicyRequest } from '../../src/policy/index.ts';
import { repoRoot } from './cli.ts';

export function bundleFrom(...texts: string[]): PolicyBundle {
  return compilePoliciesOrThrow(texts.map((text, i) => ({ path: `policy${i}.yaml`, text })));
}

export function problemsOf(...texts: string[]) {
  return compilePolicies(texts.map((text, i) => ({ path: `policy${i}.yaml`, text }))).problems;
}

export function exampleBundle(...names: string[]): PolicyBundle {
  return compilePoliciesOrThrow(
    names.map((n) => ({ path: `examples/policies/${n}`, text: readFileSync(`${repoRoot}examples/policies/${n}`, 'utf8') })),
  );
}

export function decide(bundle: PolicyBundle, req: Partial<PolicyRequest> & { tool: string }, globalDefault?: 'allow' | 'deny' | 'require_approval') {
  return evaluatePolicy(
    bundle,
    { server: 'builtin', agent: { id: 'agent' }, arguments: {}, ...req },
    globalDefault ? { globalDefault } : {},
  );
}
