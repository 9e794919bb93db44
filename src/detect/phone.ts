import { boost, digitsOf, firstMatch, FindingSink, ContextWords, maskValue } from './util.ts';
import type { TextFacts } from './text-facts.ts';

/**
 * Leniency follows libphonenumber's levels, approximately (no per-country metadata here):
 * 0 possible (may touch letters), 1 valid (default), 2 strict grouping (a country code must be
 * written with + or 00), 3 exact grouping (the national number is unbroken or grouped as the
 * country writes it, for the few countries we know).
 */
export type Leniency = 0 | 1 | 2 | 3;

// ITU-T E.164 country calling codes, as [code, min, max] national significant number lengths.
const CC: ReadonlyMap<string, [number, number]> = (() => {
  const m = new Map<string, [number, number]>();
  const set = (codes: string, min: number, max: number) => {
    for (const c of codes.split(' ')) m.set(c, [min, max]);
  };
  set('1', 10, 10);
  set('7 20 27 30 31 32 34 36 40 41 43 45 46 47 48 51 52 53 54 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 92 93 94 95 98', 7, 12);
  set('33', 9, 9);
  set('39', 6, 11);
  set('44', 9, 10);
  set('49', 5, 13);
  set('55', 10, 11);
  set('91', 10, 10);
  set('972', 8, 9);
  set(
    '211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 ' +
      '244 245 246 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 ' +
      '299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 ' +
      '420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 ' +
      '676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 886 960 961 962 963 964 ' +
      '965 966 967 968 970 971 973 974 975 976 977 992 993 994 995 996 998',
    6,
    12,
  );
  return m;
})();

// How a country groups its national number, for leniency 3.
const EXACT_GROUPS: ReadonlyMap<string, number[][]> = new Map([
  ['1', [[3, 3, 4]]],
  ['91', [[5, 5], [2, 4, 4], [3, 3, 4], [4, 3, 3]]],
]);

function countryOf(digits: string): [string, [number, number]] | undefined {
  for (let n = 1; n <= 3; n++) {
    const r = CC.get(digits.slice(0, n));
    if (r) return [digits.slice(0, n), r];
  }
  return undefined;
}

const INTL = /(?<![\w+])(?:\+|00)\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,6}){1,7}(?![\w])/g;
const INTL_LOOSE = /(?:\+|(?<!\d)00)\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,6}){1,7}(?!\d)/g;
const NATIONAL =
  /(?<![\w+.-])(?:\(\d{3}\) ?\d{3}[-. ]\d{4}|\d{3}([-. ])\d{3}\1\d{4}|0\d{1,4}-\d{3,4}-\d{4}|0\d-\d{7}|0\d{2,4} \d{3,4} \d{4}|0\d{2,4}[ /]\d{5,8}|1[3-9]\d{9}|\d{2,3}-\d{3}-\d{3}-\d{4})(?![\w]|[-.]\d)/g;
const NATIONAL_LOOSE =
  /(?<![\d+.-])(?:\(\d{3}\) ?\d{3}[-. ]\d{4}|\d{3}([-. ])\d{3}\1\d{4}|0\d{1,4}-\d{3,4}-\d{4}|0\d-\d{7}|0\d{2,4} \d{3,4} \d{4}|0\d{2,4}[ /]\d{5,8}|1[3-9]\d{9}|\d{2,3}-\d{3}-\d{3}-\d{4})(?![\d]|[-.]\d)/g;

const TRAILING_SEPARATORS = /[ .-]+$/;
const CONTEXT = ['phone', 'tel', 'mobile', 'cell', 'call', 'fax', 'whatsapp', 'number', 'contact'];

/** Lengths of the runs of digits in `s`. */
function groupsOf(s: string): number[] {
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) run++;
    else if (run > 0) {
      out.push(run);
      run = 0;
    }
  }
  if (run > 0) out.push(run);
  return out;
}

/** How many runs of digits `s` has, and the length of the first (0 when none). */
function groupCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && (i === 0 || !isDigit(s.charCodeAt(i - 1)))) n++;
  }
  return n;
}

function firstGroupLength(s: string): number {
  let i = 0;
  while (i < s.length && !isDigit(s.charCodeAt(i))) i++;
  let n = 0;
  while (i + n < s.length && isDigit(s.charCodeAt(i + n))) n++;
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function nanpOk(d: string): boolean {
  return d.length === 10 && d[0]! >= '2' && d[3]! >= '2';
}

function validIntl(raw: string, leniency: Leniency): boolean {
  const d = digitsOf(raw.startsWith('00') ? raw.slice(2) : raw);
  const cc = countryOf(d);
  if (!cc) return false;
  const nsn = d.slice(cc[0].length);
  const [min, max] = cc[1];
  if (nsn.length < min || nsn.length > max || d.length > 15) return false;
  if (cc[0] === '1' && !nanpOk(nsn)) return false;
  if (leniency >= 3) {
    const afterCc = raw.slice(raw.indexOf(cc[0]) + cc[0].length);
    const groups = groupsOf(afterCc);
    const allowed = EXACT_GROUPS.get(cc[0]);
    if (groups.length > 1 && allowed && !allowed.some((a) => a.join() === groups.join())) return false;
  }
  return true;
}

function validNational(raw: string, leniency: Leniency): boolean {
  const d = digitsOf(raw);
  const groups = groupCount(raw);
  const first = groups === 4 ? firstGroupLength(raw) : 0;
  // "91-415-555-0132": a country code written without '+'. Valid, but not a strict grouping.
  if (groups === 4 && (first === 2 || first === 3)) {
    if (leniency >= 2) return false;
    const cc = countryOf(d);
    if (!cc || cc[0].length !== first) return false;
    const nsn = d.slice(cc[0].length);
    return nsn.length >= cc[1][0] && nsn.length <= cc[1][1];
  }
  if (d[0] === '0') return d.length >= 9 && d.length <= 11;
  if (d.length === 11 && d[0] === '1' && groups === 1) return true; // CN mobile
  return nanpOk(d);
}

/** Whether [start, end) overlaps some [spans[i], spans[i + 1]) (pairs of a flat list). */
function overlaps(spans: readonly number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (start < spans[i + 1]! && end > spans[i]!) return true;
  return false;
}

export function scanPhone(text: string, ctx: ContextWords | undefined, leniency: Leniency, sink: FindingSink, facts: TextFacts): void {
  const taken: number[] = []; // [start, end) pairs, flat
  const intl = leniency === 0 ? INTL_LOOSE : INTL;
  // Every international match starts with '+' or '00'; every national one has at least 8 digits.
  const hasIntl = text.includes('+') || text.includes('00');
  for (let m = hasIntl ? firstMatch(intl, text) : null; m !== null; m = intl.exec(text)) {
    const raw = m[0].replace(TRAILING_SEPARATORS, '');
    if (!validIntl(raw, leniency)) continue;
    taken.push(m.index, m.index + raw.length);
    sink.add('phone', m.index, m.index + raw.length, boost(0.4, ctx !== undefined && ctx.has(m.index, m.index + raw.length, CONTEXT)), `phone ${maskValue(raw, 3, 2)}`);
  }
  if (facts.digits < 8) return;
  const national = leniency === 0 ? NATIONAL_LOOSE : NATIONAL;
  for (let m = firstMatch(national, text); m !== null; m = national.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(taken, start, end)) continue;
    if (!validNational(m[0], leniency)) continue;
    sink.add('phone', start, end, boost(0.4, ctx !== undefined && ctx.has(start, end, CONTEXT)), `phone ${maskValue(m[0], 3, 2)}`);
  }
}
