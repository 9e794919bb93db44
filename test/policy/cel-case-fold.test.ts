import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from '@bufbuild/re2';
import { caseInsensitiveFastPattern, isAscii } from '../../src/policy/cel/case-fold.ts';
import { RegexCache } from '../../src/policy/cel/regex.ts';

test('the case-insensitive fast path is taken only for patterns where it is exact', () => {
  assert.equal(caseInsensitiveFastPattern('(?i)(password|api[_ -]?key|secret)'), '(password|api[_ -]?key|secret)');
  assert.equal(caseInsensitiveFastPattern('(?i)^rm\\s+-rf\\b'), '^rm\\s+-rf\\b');
  assert.equal(caseInsensitiveFastPattern('(?i)[a-z0-9_]+@[a-z.]+'), '[a-z0-9_]+@[a-z.]+');
  for (const unsafe of [
    'password', // no (?i): nothing to speed up
    '(?i)Password', // literal uppercase
    '(?i)\\\\D', // an escaped backslash, then a literal uppercase D
    '(?i)[!-^]', // a range spanning A-Z without a-z
    '(?i)[0-Z]',
    '(?i)\\p{Lu}', // Unicode classes fold differently
    '(?i)\\x41',
    '(?i)\\Qab\\E',
    '(?i)[[:upper:]]',
    '(?i)a(?-i:b)',
    '(?i)é',
  ]) {
    assert.equal(caseInsensitiveFastPattern(unsafe), undefined, unsafe);
  }
});

test('fast and full RE2 paths agree on every pattern and text tried', () => {
  const patterns = [
    '(?i)(password|api[_ -]?key|secret)',
    '(?i)^rm\\s+-rf\\b',
    '(?i)[a-z0-9_]+@[a-z.]+\\.(com|org)',
    '(?i)[^a-z]',
    '(?i)[_-z]+',
    '(?i)\\bdrop\\s+table\\b',
    '(?i)x{2,3}y?',
    '(?i)[\\]a]+',
    '(?i)a.c',
    '(?i)\\W\\w',
    '(?i)[-a]b',
    '(?i)^$',
  ];
  const texts = ['', 'PASSWORD', 'my Api-Key is', 'SeCrEt', 'rm -rf /', 'RM  -RF x', 'Bob@Example.COM', 'ABC', 'abc', 'A', '[', '`', '_Z', 'DROP   TABLE users', 'XXy', 'xX', ']A]', 'AbC', 'a\nc', '!Z', '-B', 'ſecret', 'KEY', 'straße', 'Ä'];
  const cache = new RegexCache(64, 1000);
  let compared = 0;
  for (const p of patterns) {
    assert.ok(caseInsensitiveFastPattern(p) !== undefined, `fast path expected for ${p}`);
    const full = RE2JS.compile(p);
    const fast = cache.compile(p);
    for (const t of texts) {
      assert.equal(fast.test(t), full.test(t), `${p} on ${JSON.stringify(t)}`);
      compared++;
    }
  }
  assert.equal(compared, patterns.length * texts.length);
});

test('isAscii (UTF-8 length) agrees with a scan for code units above 0x7f', () => {
  const samples = ['', 'a', 'plain ascii ~\x7f\x00', 'é', 'aé', '\x80', '\u212A', '😀', 'x😀', '\uD800', 'a\uDC00b', '\uFFFF', 'ſ', 'A'.repeat(5000), `${'a'.repeat(4999)}é`];
  for (let i = 0; i < 2000; i++) {
    const len = i % 12;
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode([0x20, 0x41, 0x7f, 0x80, 0xff, 0x100, 0xd800, 0xdc00, 0xfffd][(i * 7 + j * 13) % 9]! + (j % 3));
    samples.push(s);
  }
  for (const s of samples) assert.equal(isAscii(s), /^[\x00-\x7f]*$/.test(s), JSON.stringify(s));
});
