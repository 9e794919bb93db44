import { createHash } from 'node:crypto';
import type { ValidatorName } from './types.ts';
import { digitsOf } from './util.ts';

export function luhn(value: string): boolean {
  const d = digitsOf(value);
  if (d.length < 2) return false;
  let sum = 0;
  for (let i = d.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let n = d.charCodeAt(i) - 48;
    if (dbl) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** ISO 7064 mod 97-10 over letters (A=10..Z=35) and digits, as IBAN and LEI use. */
export function mod97(value: string): boolean {
  const s = value.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]+$/.test(s)) return false;
  let rem = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    const v = code <= 57 ? code - 48 : code - 55;
    rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** IBAN length per country (ISO 13616 registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27,
  MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/**
 * IBAN_LENGTHS indexed by the country code's two letters (A-Z each), 0 where none: read without
 * slicing the code out as a string key.
 */
const IBAN_LENGTH_BY_CODES = (() => {
  const t = new Uint8Array(26 * 26);
  for (const [code, len] of Object.entries(IBAN_LENGTHS)) t[(code.charCodeAt(0) - 65) * 26 + code.charCodeAt(1) - 65] = len;
  return t;
})();

export function iban(value: string): boolean {
  const s = value.replace(/[\s-]/g, '').toUpperCase();
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (len === undefined || s.length !== len || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4));
}

/**
 * iban(m.slice(0, end)) for a match `m` of pii.ts's IBAN_RE, without building strings: such a
 * match is [A-Z]{2}\d{2} followed by [A-Z0-9] and single ' ' or '-' separators, already upper case.
 */
export function ibanMatchOk(m: string, end: number): boolean {
  const len = IBAN_LENGTH_BY_CODES[(m.charCodeAt(0) - 65) * 26 + m.charCodeAt(1) - 65]!;
  if (len === 0) return false;
  // One pass over the chars after the first four (which are never separators): their count, and
  // mod 97 over the compact form with the first four moved to the end.
  let n = 4;
  let rem = 0;
  for (let i = 4; i < end; i++) {
    const c = m.charCodeAt(i);
    if (c !== 32 && c !== 45) {
      n++;
      rem = appendDigits(rem, c);
    }
  }
  if (n !== len) return false;
  for (let i = 0; i < 4; i++) rem = appendDigits(rem, m.charCodeAt(i));
  return rem % 97 === 1;
}

/**
 * The number `rem` followed by the digits of a char (A=10..Z=35), reduced mod 97 only once it
 * passes 10^7: reducing later gives the same remainder (mod 97 commutes with ×10^k + v), a
 * division saved on most chars, and the value stays below 2^31.
 */
function appendDigits(rem: number, code: number): number {
  const v = code <= 57 ? code - 48 : code - 55;
  const next = v > 9 ? rem * 100 + v : rem * 10 + v;
  return next >= 10_000_000 ? next % 97 : next;
}

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000; not a published sample. */
export function usSsn(value: string): boolean {
  // The digits read in place as one number (nine digits stay below 2^30), without collecting them.
  let count = 0;
  let d = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++count > 9) return false;
      d = d * 10 + (c - 48);
    }
  }
  if (count !== 9) return false;
  const area = Math.floor(d / 1_000_000);
  if (area === 0 || area === 666 || area >= 900) return false;
  if (Math.floor(d / 10_000) % 100 === 0 || d % 10_000 === 0) return false;
  // one repeated digit: 111111111 × k
  if (d % 111_111_111 === 0) return false;
  // the published samples 078-05-1120, 219-09-9999, 123-45-6789, 987-65-4320
  return d !== 78_051_120 && d !== 219_099_999 && d !== 123_456_789 && d !== 987_654_320;
}

/** UK NHS number: 10 digits, mod-11 check digit. */
export function ukNhs(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === d.charCodeAt(9) - 48;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Map([...B58].map((c, i) => [c, i]));

export function base58Decode(s: string): Uint8Array | null {
  let n = 0n;
  for (const ch of s) {
    const v = B58_INDEX.get(ch);
    if (v === undefined) return null;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

export function base58Check(s: string): boolean {
  const raw = base58Decode(s);
  if (!raw || raw.length < 5) return false;
  const body = raw.subarray(0, raw.length - 4);
  const sum = createHash('sha256').update(createHash('sha256').update(body).digest()).digest();
  for (let i = 0; i < 4; i++) if (sum[i] !== raw[raw.length - 4 + i]) return false;
  return true;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values: number[]): number {
  const G = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= G[i]!;
  }
  return chk >>> 0;
}

/** BIP-173 Bech32 or BIP-350 Bech32m checksum (mixed case rejected). */
export function bech32(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const lower = s.toLowerCase();
  const pos = lower.lastIndexOf('1');
  if (pos < 1 || pos + 7 > lower.length || lower.length > 90) return false;
  const hrp = lower.slice(0, pos);
  const data: number[] = [];
  for (const ch of lower.slice(pos + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
  const pm = polymod([...expanded, ...data]);
  return pm === 1 || pm === 0x2bc830a3;
}

export const VALIDATORS: Readonly<Record<ValidatorName, (s: string) => boolean>> = {
  luhn,
  iban,
  mod97,
  us_ssn: usSsn,
  uk_nhs: ukNhs,
  base58check: base58Check,
  bech32,
};
