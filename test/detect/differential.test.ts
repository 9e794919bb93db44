import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as detect from '../../src/detect/index.ts';
import { NeedleGroups } from '../../src/detect/needles.ts';
import { IBAN_LENGTHS, ibanMatchOk } from '../../src/detect/validators.ts';
import { ContextWords, hasContext } from '../../src/detect/util.ts';
import { COMMAND_WORD, COMMAND_WORDS } from '../../src/detect/destructive.ts';
import { textFacts } from '../../src/detect/text-facts.ts';
import { corpus, FRAGMENTS, randomMixtures, rng } from './differential-corpus.ts';
import { COMMITTED_CORPUS, digest, DIGESTS_FILE, outputs } from './differential-run.ts';

// The full comparison with the old code runs from scripts/detect-differential.ts (about 100,000
// values); this is its committed sample: output digests that the old detectors gave.
test('detector outputs equal those of the code before the speed-ups (committed digests)', () => {
  const fixture = JSON.parse(readFileSync(DIGESTS_FILE, 'utf8')) as { corpus: unknown; count: number; digests: string[] };
  assert.deepEqual(fixture.corpus, COMMITTED_CORPUS, 'corpus settings changed: regenerate with scripts/detect-differential.ts --write-digests');
  const values = corpus(COMMITTED_CORPUS);
  assert.equal(values.length, fixture.count, 'corpus changed: regenerate with scripts/detect-differential.ts --write-digests');
  const wrong: string[] = [];
  values.forEach((v, i) => {
    if (digest(outputs(detect, v)).slice(0, 8) !== fixture.digests[i]) wrong.push(JSON.stringify(v).slice(0, 160));
  });
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${values.length} values give other findings than before`);
});

function strings(n: number, seed: number, alphabet: string): string[] {
  const r = rng(seed);
  const out = randomMixtures(n, seed);
  for (let i = 0; i < n; i++) {
    let s = '';
    const len = Math.floor(r() * 40);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
    out.push(s);
  }
  return out;
}

test('NeedleGroups finds exactly the groups whose needles occur', () => {
  const groups = [['ignore', 'ignor', 'set aside', ' mode '], ['<'], ['user', 'user input'], ['abab', 'bab'], ['a']];
  const ng = new NeedleGroups(groups);
  for (const s of [...strings(3000, 7, 'abgnoreisuet <md'), ...FRAGMENTS.map((f) => f.toLowerCase()), 'ababab', 'xbabx', 'ignorignore']) {
    let expected = 0;
    groups.forEach((g, i) => {
      if (g.some((n) => s.includes(n))) expected |= 1 << i;
    });
    assert.equal(ng.present(s), expected, JSON.stringify(s));
  }
});

test('textFacts steps the needle automaton as present() on the lower-cased text', () => {
  const ng = new NeedleGroups([['ignore', 'set aside'], ['user'], ['k', 'i'], ['<|']]);
  for (const s of [...strings(3000, 9, 'IGNOREignore SETaside<|USERuserİK\u212a'), ...FRAGMENTS, 'İGNORE', 'uSeR', '\u212a']) {
    assert.equal(textFacts(s, ng).needles?.present, ng.present(s.toLowerCase()), JSON.stringify(s));
    assert.equal(textFacts(s).needles, undefined);
  }
});

function longestRun(s: string, re: RegExp): number {
  let best = 0;
  let run = 0;
  for (const ch of s) {
    // for...of walks code points; count code units as the detectors do
    const units = ch.length;
    if (units === 1 && re.test(ch)) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

test('textFacts agrees with direct regex definitions of each fact', () => {
  const inputs = [...strings(3000, 11, '0123456789AZaz_-+/.~=:\'"<>\\ İ\u00e9'), ...FRAGMENTS, '', 'A', 'AB12', 'AB1', 'xAB12', 'A1B2'];
  for (const s of inputs) {
    const f = textFacts(s);
    const label = JSON.stringify(s);
    assert.equal(f.digits, (s.match(/\d/g) ?? []).length, label);
    assert.equal(f.digitRun, longestRun(s, /\d/), label);
    assert.equal(f.alnumRun, longestRun(s, /[A-Za-z0-9]/), label);
    assert.equal(f.tokenRun, longestRun(s, /[A-Za-z0-9_-]/), label);
    assert.equal(f.base64Run, longestRun(s, /[A-Za-z0-9+/]/), label);
    assert.equal(f.bearerRun, longestRun(s, /[A-Za-z0-9._~+/=-]/), label);
    assert.equal(f.upperPairThenDigitPair, /[A-Z]{2}\d{2}/.test(s), label);
    assert.equal(f.quoting, /[\\'"<>]/.test(s), label);
    assert.equal(f.colonOrEquals, /[:=]/.test(s), label);
    assert.equal(f.ascii, /^[\x00-\x7f]*$/.test(s), label);
  }
});

test('rewritten card and SSN patterns match exactly as the forms they replace', () => {
  const pairs: Array<[RegExp, RegExp]> = [
    [
      /(?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19})(?![\w])/g,
      /\d(?<![\w-]\d)(?:\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{3}([ -])\d{6}\2\d{4,5}|\d{11,18})(?![\w])/g,
    ],
    [/(?<![\w-])(?:\d{5}-\d{4}|\d{3}-\d{6}|\d{9})(?![\w]|-\d)/g, /(?<![\w-])\d{3}(?:\d{2}-\d{4}|-\d{6}|\d{6})(?![\w]|-\d)/g],
    [/(?<![\w-])\d{3}([- .])\d{2}\1\d{4}(?![\w]|[-.]\d)/g, /\d(?<![\w-]\d)\d{2}([- .])\d{2}\1\d{4}(?![\w]|[-.]\d)/g],
  ];
  const r = rng(3);
  const inputs: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let s = '';
    const len = Math.floor(r() * 45);
    for (let k = 0; k < len; k++) s += '0123456789 -x_.'[Math.floor(r() * (r() < 0.8 ? 10 : 15))];
    inputs.push(s);
  }
  for (const [before, after] of pairs) {
    for (const s of inputs) {
      const a = [...s.matchAll(before)].map((m) => [m.index, m[0], m[1], m[2]]);
      const b = [...s.matchAll(after)].map((m) => [m.index, m[0], m[1], m[2]]);
      assert.deepEqual(b, a, `${after.source} on ${JSON.stringify(s)}`);
    }
  }
});

test('ibanMatchOk agrees with iban() on every prefix scanIban tries', () => {
  const IBAN_RE = /(?<![\w])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,8}(?:[ -]?[A-Z0-9]{1,3})?(?![\w])/g;
  const r = rng(5);
  const countries = ['GB', 'DE', 'FR', 'NL', 'NO', 'MT', 'RU', 'XX', 'QQ', 'AL', 'IT'];
  const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const texts: string[] = FRAGMENTS.filter((f) => /^[A-Z]{2}\d\d/.test(f));
  for (let i = 0; i < 4000; i++) {
    const cc = countries[Math.floor(r() * countries.length)]!;
    let bban = '';
    const known = IBAN_LENGTHS[cc];
    const len = known !== undefined && r() < 0.7 ? known - 4 : 10 + Math.floor(r() * 24);
    for (let k = 0; k < len; k++) bban += r() < 0.7 ? String(Math.floor(r() * 10)) : ALNUM[Math.floor(r() * ALNUM.length)];
    // valid check digits half the time
    let rem = 0;
    for (const ch of bban + cc + '00') {
      const c = ch.charCodeAt(0);
      const v = c <= 57 ? c - 48 : c - 55;
      rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
    }
    const check = r() < 0.5 ? String(98 - rem).padStart(2, '0') : String(Math.floor(r() * 100)).padStart(2, '0');
    const compact = cc + check + bban;
    const sep = r() < 0.3 ? '' : r() < 0.7 ? ' ' : '-';
    texts.push((compact.match(/.{1,4}/g) ?? []).join(sep) + (r() < 0.2 ? ' X1' : ''));
  }
  let valid = 0;
  for (const t of texts) {
    for (const m of t.matchAll(IBAN_RE)) {
      const cand = m[0];
      const ends = [cand.length];
      for (let i = cand.length - 1; i >= 15; i--) if (cand[i] === ' ' || cand[i] === '-') ends.push(i);
      for (const end of ends) {
        const expected = detect.iban(cand.slice(0, end));
        if (expected) valid++;
        assert.equal(ibanMatchOk(cand, end), expected, `${JSON.stringify(cand)} up to ${end}`);
      }
    }
  }
  assert.ok(valid > 500, `only ${valid} valid IBANs in the sample`);
});

test('ContextWords.has answers as hasContext, spaces in words and edges included', () => {
  const lists = [['ssn', 'social security', 'social sec'], ['call', 'phone'], [' ', 'a b', 'x '], [''], [], ['K', 'i\u0307', 'straße']];
  const texts = [...strings(800, 13, 'ab xsocialSECURITYcl İKß'), ...FRAGMENTS, 'SOCIAL 078-05-1123 SECURITY', 'social 078-05-1123 sec'];
  const r = rng(17);
  for (const text of texts) {
    const words = new ContextWords(text, textFacts(text).ascii);
    for (let k = 0; k < 6; k++) {
      const start = Math.floor(r() * (text.length + 1));
      const end = start + Math.floor(r() * (text.length - start + 1));
      const window = k === 0 ? 3 : 48;
      for (const list of lists) {
        assert.equal(words.has(start, end, list, window), hasContext(text, start, end, list, window), `${JSON.stringify(text)} [${start}, ${end}) ${JSON.stringify(list)}`);
      }
    }
  }
});

test('COMMAND_WORDS in the character pass: no separated command name means COMMAND_WORD cannot match', () => {
  const names = ['rm', 'sh', 'mkfs', 'remove-item', 'get-content', 'clickhouse-client', 'cat', 'dd', 'git', 'python3', 'rd'];
  const r = rng(23);
  const inputs: string[] = [...FRAGMENTS, 'card', 'mkfs.ext4', 'x_rm', 'rm_x', 'remove item', 'REMOVE-ITEM', 'rmdir', '-rm-', 'ls -la /srv/app'];
  for (let i = 0; i < 6000; i++) {
    let s = '';
    const parts = Math.floor(r() * 5);
    for (let p = 0; p < parts; p++) {
      s += r() < 0.5 ? names[Math.floor(r() * names.length)]! : '';
      s += ' -._/x1Z"\n'[Math.floor(r() * 10)]!;
      if (r() < 0.3) s = s.toUpperCase();
    }
    inputs.push(s);
  }
  let skipped = 0;
  for (const s of inputs) {
    const words = textFacts(s, undefined, COMMAND_WORDS).words;
    if (!/^[\x00-\x7f]*$/.test(s)) {
      assert.equal(words, undefined, JSON.stringify(s));
      continue;
    }
    const matches = COMMAND_WORD.test(s.toLowerCase());
    if (matches) assert.notEqual(words!.present, 0, JSON.stringify(s));
    else if (words!.present === 0) skipped++;
  }
  assert.ok(skipped > 1000, `the prefilter skipped only ${skipped} strings`);
});
