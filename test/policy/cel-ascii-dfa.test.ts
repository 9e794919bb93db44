import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from '@bufbuild/re2';
import { compileAsciiMatcher } from '../../src/policy/cel/ascii-dfa.ts';
import { requiredLiterals, satisfies, type Requirement } from '../../src/policy/cel/regex-literals.ts';
import { parseRegexSubset } from '../../src/policy/cel/regex-subset.ts';
import { RegexCache } from '../../src/policy/cel/regex.ts';
import { mulberry32 } from '../helpers/random.ts';

/** Differential tests: the ASCII automaton and its literal prefilter against RE2JS itself. */

const ATOMS = [
  'a', 'b', 'A', 'B', 'k', 's', 'K', 'S', '_', '-', ' ', '.', '\\.', '\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '\\n', '\\t', '\\v', '\\f', '\\r',
  '\\-', '\\$', '\\\\', '\\^', '[ab]', '[^ab]', '[a-c]', '[^a-c]', '[A-Z0-9]', '[-a]', '[a-]', '[]a]', '[^]a]', '[\\d_]', '[^\\s]', '[\\W]', '[^\\D]',
  '[Z-a]', '[^\\n]', '[rR]', '[_ -]', '[\\]-]', '^', '$', '/', '=', '@', 'ab', 'xy', 'abc', 'key', 'sek', 'a-b', 'Kas', 'ska', 'pass',
];
const REPEATS = ['?', '*', '+', '{2}', '{0,2}', '{1,}', '{2,3}', '*?', '+?', '??', '{0}', '{3,}'];

function patternGenerator(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const gen = (depth: number): string => {
    let out = '';
    for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) {
      let atom =
        depth > 0 && r() < 0.3 ? `${r() < 0.5 ? '(' : '(?:'}${gen(depth - 1)}${r() < 0.4 ? `|${gen(depth - 1)}` : ''})` : pick(ATOMS);
      if (r() < 0.35) atom += pick(REPEATS);
      out += atom;
    }
    return r() < 0.2 ? `${out}|${gen(depth - 1)}` : out;
  };
  return () => `${r() < 0.3 ? '(?i)' : ''}${gen(2)}`;
}

// ASCII mostly, then the characters where case folding or UTF-16 could go wrong.
const TEXT_CHARS = ['a', 'b', 'A', 'B', 'k', 's', 'K', 'S', 'x', 'y', 'Z', '`', '[', ']', '_', '-', ' ', '.', '0', '5', '9', '\n', '\r', '\t', '\v', '\f', '$', '\\', '/', '=', '@', 'e', 'p', 'y'];
const RARE_CHARS = ['ſ', '\u212A', 'é', 'İ', 'ı', '😀', '\uD800', '\uDC00', '\u0080', '\u00FF', '\u2028'];

function textGenerator(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const words = ['key', 'KEY', 'Kas', 'sek', 'abc', 'ABC', 'pass', 'PaSs', 'a-b', 'ska', 'xy'];
  return () => {
    const long = r() < 0.3;
    const n = long ? 120 + Math.floor(r() * 300) : Math.floor(r() * 9);
    const rare = r() < 0.25;
    let s = '';
    while (s.length < n) {
      if (long && r() < 0.05) s += pick(words);
      else s += rare && r() < 0.1 ? pick(RARE_CHARS) : pick(TEXT_CHARS);
    }
    return s;
  };
}

test('the ASCII automaton agrees with RE2 on generated patterns and texts', () => {
  let patterns = 0;
  let compared = 0;
  let withPrefilter = 0;
  for (const seed of [1, 2, 3]) {
    const r = mulberry32(seed);
    const nextPattern = patternGenerator(r);
    const nextText = textGenerator(r);
    for (let i = 0; i < 1200; i++) {
      const p = nextPattern();
      let re2: RE2JS;
      try {
        re2 = RE2JS.compile(p);
      } catch {
        continue; // invalid in RE2: never reaches the automaton
      }
      const dfa = compileAsciiMatcher(p, { test: (t) => re2.test(t) });
      if (dfa === undefined) continue;
      patterns++;
      const parsed = parseRegexSubset(p)!;
      const literals = requiredLiterals(parsed);
      if (literals) withPrefilter++;
      for (let j = 0; j < 40; j++) {
        const t = nextText();
        const expected = re2.test(t);
        assert.equal(dfa.test(t), expected, `${p} on ${JSON.stringify(t)}`);
        // The prefilter alone: never says "no" where RE2 says "yes" (on ASCII text under (?i)).
        if (literals && expected && (!parsed.foldCase || /^[\x00-\x7f]*$/.test(t))) {
          const ok = satisfies(parsed.foldCase ? t.toLowerCase() : t, literals);
          assert.ok(ok, `prefilter ${show(literals)} rejects ${JSON.stringify(t)}, which ${p} matches`);
        }
        compared++;
      }
    }
  }
  assert.ok(patterns > 2500, `only ${patterns} patterns in the subset`);
  assert.ok(withPrefilter > 300, `only ${withPrefilter} patterns with a prefilter`);
  assert.ok(compared > 100_000);
});

test('policy-style patterns are in the subset and agree with RE2, Unicode case folding included', () => {
  const patterns = [
    '(?i)(password|api[_ -]?key|secret)',
    '^(main|master|production|release/.+)$',
    '^release/v[0-9]+\\.[0-9]+$',
    '^U[A-Z0-9]{8,10}$',
    '(^|/)\\.(env|ssh|aws)(/|$)',
    '^/workspace/(infra|deploy)/',
    '^(ls|cat|pwd|git (status|log|diff)|npm (test|run lint))( |$)',
    'rm\\s+-[a-zA-Z]*[rR][a-zA-Z]*f|mkfs|dd\\s+if=|chmod\\s+-R\\s+777',
    '^(git push|npm publish|docker push)',
    '/config/.*\\.(ya?ml|json|toml)$',
    '^https?://(localhost|127\\.|10\\.|192\\.168\\.|169\\.254\\.)',
    '^(delete|drop|destroy)_',
    '(?i)sk',
    '(?i)[k-s]',
    '(?i)[^k]',
    '(?i)ask\\W',
    '^$',
    '$',
    '^',
    'a?',
  ];
  const filler = 'deploy invoice flaky retry cache export customer api update config refactor parser ';
  const texts = [
    '', 'PASSWORD', 'my Api-Key is', 'api  key', 'SeCrEt', 'ſecret', 'ſECRET', 'api\u212Aey', 'API_\u212AEY', 'paſſword', 'release/v2.3', 'release/', 'release/x\n', 'main',
    'main\n', 'U9FE7292E6', 'U9FE7292E6A', 'u9fe7292e6', '/workspace/.env', '.ssh/x', 'a/.awsx', '/workspace/infra/x', 'npm run lint', 'npm test',
    'git log --oneline', 'rm -rf /', 'rm -Rvf x', 'dd  if=/dev/zero', 'chmod -R 777 /', 'git push origin', '/etc/config/x.toml', '/config/a.yml\n',
    'http://169.254.169.254/', 'https://localhost:8080', 'delete_file', 'drop_', 'x delete_', 'SK', 's\u212A', '\u017Fk', 'k', '\u212A', 'ask!', 'asK\u212A',
    'é', '😀', '\uD800', `${filler.repeat(40)}`, `${filler.repeat(40)}the Password is`, `${filler.repeat(40)}api key`, `${filler.repeat(40)}ſecret`,
    `${filler.repeat(40)}API\u212AEY`, `ſ${filler.repeat(40)}secret`, `${filler.repeat(40)}é`,
  ];
  const cache = new RegexCache(64, 1000);
  for (const p of patterns) {
    const re2 = RE2JS.compile(p);
    assert.ok(compileAsciiMatcher(p, re2) !== undefined, `${p} should be in the subset`);
    const viaCache = cache.compile(p);
    for (const t of texts) assert.equal(viaCache.test(t), re2.test(t), `${p} on ${JSON.stringify(t.slice(-40))}`);
  }
});

test('patterns outside the subset are left to RE2', () => {
  for (const p of [
    '\\bword\\b', // word boundaries are not modelled
    '(?s).', // flags other than a leading (?i)
    '(?m)^a$',
    'a(?i)b',
    '(?P<name>a)',
    '\\pL',
    '\\x41',
    '\\Qa.b\\E',
    '[[:alpha:]]',
    'é',
    'a{,2}', // a literal in RE2
    'a]',
    '$$', // two end anchors in a row: the framing symbols occur once
    '^^a',
    '$^',
    '(^)+a',
    '\\A',
    '\\z',
  ]) {
    let valid = true;
    try {
      RE2JS.compile(p);
    } catch {
      valid = false;
    }
    if (valid) assert.equal(compileAsciiMatcher(p, { test: () => false }), undefined, p);
  }
});

test('the prefilter requirements come out as derived', () => {
  const need = (p: string) => {
    const r = requiredLiterals(parseRegexSubset(p)!);
    return r === undefined ? undefined : show(r);
  };
  assert.equal(need('(?i)(password|api[_ -]?key|secret)'), 'any(password, all(api, key), secret)');
  assert.equal(need('(?i)PassWord'), 'password');
  assert.equal(need('rm\\s+-[a-zA-Z]*[rR][a-zA-Z]*f|mkfs|dd\\s+if=|chmod\\s+-R\\s+777'), undefined); // "rm" and "dd" are too short
  assert.equal(need('/config/.*\\.(ya?ml|json|toml)$'), '/config/');
  assert.equal(need('^/workspace/(infra|deploy)/'), 'all(/workspace/, any(infra, deploy))');
  assert.equal(need('q[ab]xyz'), 'xyz');
  assert.equal(need('q([ab]xyz)w'), 'xyz'); // a part that is not one literal does not join its neighbours
  assert.equal(need('^U[A-Z0-9]{8,10}$'), undefined);
  assert.equal(need('(secret)?'), undefined); // may match the empty string
  assert.equal(need('(abc)+x'), 'abc');
});

test('an automaton that outgrows its state limit hands every text to RE2, with the same answers', () => {
  // (a|b)*a(a|b){9}: the classic exponential DFA.
  const p = '(a|b)*a(a|b){9}';
  const re2 = RE2JS.compile(p);
  const m = compileAsciiMatcher(p, re2)!;
  const r = mulberry32(7);
  for (let i = 0; i < 400; i++) {
    let t = '';
    for (let j = 0, n = Math.floor(r() * 40); j < n; j++) t += r() < 0.5 ? 'a' : 'b';
    assert.equal(m.test(t), re2.test(t), t);
  }
  assert.equal((m as unknown as { full: boolean }).full, true, 'the state limit was never reached');
});

function show(r: Requirement): string {
  return r.kind === 'literal' ? r.text : `${r.kind}(${r.items.map(show).join(', ')})`;
}
