import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globSource, GlobSyntaxError } from '../../src/policy/glob.ts';
import { compilePolicies } from '../../src/policy/index.ts';
import { mulberry32 } from '../helpers/random.ts';

/** What compileGlob did before: a backtracking RegExp over the same translation. */
const backtracking = (pattern: string) => new RegExp(`^${globSource(pattern)}$`, 's');

test('globs match exactly as the RegExp translation did, on ASCII, newline and non-ASCII names', () => {
  const rand = mulberry32(11);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const parts = ['a', 'b', '_', '-', '.', '/', '*', '*', '?', '[ab]', '[!a]', '[a-c]', '{a,b_}', '{,x}', 'é'];
  const chars = ['a', 'b', 'c', '_', '-', '.', '/', 'x', '\n', 'é', 'A'];
  let matched = 0;
  for (let i = 0; i < 3000; i++) {
    const pattern = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(parts)).join('');
    const glob = compileGlob(pattern);
    const reference = backtracking(pattern);
    for (let j = 0; j < 20; j++) {
      const name = Array.from({ length: Math.floor(rand() * 10) }, () => pick(chars)).join('');
      const expected = reference.test(name);
      if (expected) matched++;
      assert.equal(glob.test(name), expected, `${JSON.stringify(pattern)} on ${JSON.stringify(name)}`);
    }
  }
  assert.ok(matched > 2000, `${matched} matches`);
});

function cpuMs(fn: () => void, reps: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

test('matching is linear in the name, whatever the number of stars (per-character CPU ratio, 128 vs 32 characters)', () => {
  // `*a*a*a*a*c` on a name of `a`s: a backtracking RegExp is O(n^5); 256 characters took 12 s.
  const glob = compileGlob('*a*a*a*a*c');
  const small = 'a'.repeat(32);
  const large = 'a'.repeat(128);
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= 16; attempt++) {
    let reps = 1;
    while (cpuMs(() => glob.test(small), reps) < 5 && reps < 1 << 20) reps *= 2;
    const perCharSmall = cpuMs(() => glob.test(small), reps) / small.length;
    const perCharLarge = cpuMs(() => glob.test(large), reps) / large.length;
    best = Math.min(best, perCharLarge / Math.max(perCharSmall, 1e-6));
  }
  assert.equal(glob.test(large), false);
  assert.equal(glob.test(`${large}c`), true);
  assert.ok(best < 16, `per-character CPU ratio ${best.toFixed(1)}`);
});

test('a glob that is no valid class (a range out of order) is a policy error at its line, not an internal error', () => {
  assert.throws(() => compileGlob('[z-a]'), GlobSyntaxError);
  const yaml = `kind: ToolPolicy
metadata: { name: p }
spec:
  agent: a
  mcpServer: s
  defaultAction: deny
  rules:
  - { tools: ['[z-a]_tool'], action: allow }
`;
  const compiled = compilePolicies([{ path: 'p.yaml', text: yaml }]);
  assert.equal(compiled.bundle, undefined);
  assert.match(JSON.stringify(compiled.problems), /invalid glob: .*not a valid glob/);
});
