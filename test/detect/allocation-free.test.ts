// The allocation-free rewrites of small helpers, each against the form it replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/detect/types.ts';
import { dedupe, digitsOf, eachMatchAtStarts, execAll, firstMatch, stickyOf } from '../../src/detect/util.ts';
import { usSsn } from '../../src/detect/validators.ts';
import { rng } from './differential-corpus.ts';

function dedupeBefore(findings: Finding[]): Finding[] {
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of findings) {
    if (!out.some((o) => o.detector === f.detector && o.type === f.type && o.path === f.path && o.start <= f.start && o.end >= f.end)) out.push(f);
  }
  return out;
}

test('dedupe (in-place insertion sort) keeps the same findings in the same order as with Array#sort', () => {
  const r = rng(41);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  for (let n = 0; n < 3000; n++) {
    const list: Finding[] = [];
    const count = Math.floor(r() * 14);
    for (let i = 0; i < count; i++) {
      const start = Math.floor(r() * 12);
      // ids tell apart findings that compare equal, so a change of order among them shows
      list.push({ detector: pick(['pii', 'secrets']), type: pick(['a', 'b']), path: pick(['$', '$.x']), start, end: start + 1 + Math.floor(r() * 6), confidence: 1, evidence: String(i) });
    }
    assert.deepEqual(dedupe(list.map((f) => ({ ...f }))), dedupeBefore(list.map((f) => ({ ...f }))), JSON.stringify(list));
  }
});

function usSsnBefore(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  if (/^(\d)\1{8}$/.test(d)) return false;
  return !['078051120', '219099999', '123456789', '987654320'].includes(d);
}

test('usSsn reads the digits in place as the slicing form did', () => {
  const r = rng(43);
  const special = ['000', '666', '900', '999', '123', '078', '219', '987', '111', '555'];
  const inputs = ['078-05-1120', '219-09-9999', '123-45-6789', '987-65-4320', '111-11-1111', '12-345-6789', '1234567890', '12345678', ''];
  for (let i = 0; i < 20000; i++) {
    const digit = () => String(Math.floor(r() * 10));
    const area = r() < 0.5 ? special[Math.floor(r() * special.length)]! : digit() + digit() + digit();
    const group = r() < 0.2 ? '00' : digit() + digit();
    const serial = r() < 0.2 ? '0000' : digit() + digit() + digit() + digit();
    const sep = r() < 0.5 ? '-' : r() < 0.5 ? ' ' : '';
    inputs.push(area + sep + group + sep + serial);
  }
  for (let d = 0; d <= 9; d++) inputs.push(String(d).repeat(9));
  for (const s of inputs) assert.equal(usSsn(s), usSsnBefore(s), s);
});

test('walking firstMatch/exec visits the matches execAll collects; eachMatchAtStarts those of a sticky walk over the starts', () => {
  const r = rng(47);
  const re = /\d{2,4}(?:-\d{2})?/g;
  const sticky = stickyOf(re);
  for (let n = 0; n < 2000; n++) {
    let s = '';
    const len = Math.floor(r() * 40);
    for (let k = 0; k < len; k++) s += '0123456789-- a'[Math.floor(r() * 14)];
    const walked: Array<[number, string]> = [];
    for (let m = firstMatch(re, s); m !== null; m = re.exec(s)) walked.push([m.index, m[0]]);
    assert.deepEqual(walked, execAll(re, s).map((m) => [m.index, m[0]]), s);
    assert.equal(re.lastIndex, 0);

    const starts: number[] = [];
    for (let i = 0; i < s.length; i++) if (r() < 0.4) starts.push(i);
    const stepped: Array<[number, string]> = [];
    for (let i = 0, next = 0; i < starts.length; i++) {
      if (starts[i]! < next) continue;
      sticky.lastIndex = starts[i]!;
      const m = sticky.exec(s);
      if (m === null) continue;
      next = m.index + m[0].length;
      stepped.push([m.index, m[0]]);
    }
    const visited: Array<[number, string]> = [];
    eachMatchAtStarts(s, sticky, starts, (m) => visited.push([m.index, m[0]]));
    assert.deepEqual(visited, stepped, s);
  }
});

test('childPath names a key as the identifier regex did', async () => {
  const { childPath } = await import('../../src/detect/detect-all.ts');
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
  const r = rng(53);
  const keys = ['', 'a', '_', '$', '1', 'a1', '1a', 'a-b', 'a b', 'é', 'aé', 'A$_9', 'x\n', 'api_key'];
  for (let i = 0; i < 5000; i++) {
    let k = '';
    const len = Math.floor(r() * 5);
    for (let j = 0; j < len; j++) k += 'aZ_$09-. é\u0130/@`[{'[Math.floor(r() * 19)];
    keys.push(k);
  }
  for (const k of keys) {
    const expected = IDENTIFIER.test(k) ? `$.${k}` : `$[${JSON.stringify(k)}]`;
    assert.equal(childPath('$', k), expected, JSON.stringify(k));
  }
});
