import type { CustomRecognizer, Finding, TextOptions } from './types.ts';
import { base58Check, bech32, ibanMatchOk, luhn, ukNhs, usSsn } from './validators.ts';
import { boost, dedupe, digitsOf, firstMatch, FindingSink, ContextWords, maskValue, eachMatchAtStarts, stickyOf } from './util.ts';
import { textFacts, type TextFacts } from './text-facts.ts';
import { scanIp, scanMac, scanUrl } from './pii-network.ts';
import { scanPhone, type Leniency } from './phone.ts';
import { scanCustom, compileRecognizers, type CompiledRecognizer } from './custom.ts';

export const PII_TYPES = [
  'credit_card',
  'iban',
  'us_ssn',
  'uk_nhs',
  'email',
  'phone',
  'ip_address',
  'mac_address',
  'crypto_wallet',
  'url',
] as const;

export interface PiiOptions extends TextOptions {
  /** Only these types (default: all built-in types plus custom recognizers). */
  types?: readonly string[];
  customRecognizers?: readonly CustomRecognizer[] | readonly CompiledRecognizer[];
  leniency?: Leniency;
}

// CARD, SSN_STRONG and SSN_WEAK are written for speed; the forms they replace, which they match exactly as:
//   CARD        (?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19})(?![\w])
//   SSN_STRONG  (?<![\w-])\d{3}([- .])\d{2}\1\d{4}(?![\w]|[-.]\d)
//   SSN_WEAK    (?<![\w-])(?:\d{5}-\d{4}|\d{3}-\d{6}|\d{9})(?![\w]|-\d)
// CARD and SSN_STRONG take their first digit before the look-behind (which then sees that digit
// too), so the engine can skip ahead to digits; SSN_WEAK shares its first three digits across the
// branches. (The same first-digit form does not speed up NHS, NATIONAL or IPV4: measured.)
const CARD = /\d(?<![\w-]\d)(?:\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{3}([ -])\d{6}\2\d{4,5}|\d{11,18})(?![\w])/g;
const SSN_STRONG = /\d(?<![\w-]\d)\d{2}([- .])\d{2}\1\d{4}(?![\w]|[-.]\d)/g;
const SSN_WEAK = /(?<![\w-])\d{3}(?:\d{2}-\d{4}|-\d{6}|\d{6})(?![\w]|-\d)/g;
const IBAN_RE = /(?<![\w])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,8}(?:[ -]?[A-Z0-9]{1,3})?(?![\w])/g;
const NHS = /(?<![\w-])\d{3}([- ]?)\d{3}\1\d{4}(?![\w]|-\d)/g;
const EMAIL = /(?<![\w.+%-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}(?:[A-Za-z]{2,63}|xn--[a-z0-9-]{1,59})(?![\w-]|\.[A-Za-z0-9])/g;
const BTC = /(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[ac-hj-np-z02-9]{11,71}|BC1[AC-HJ-NP-Z02-9]{11,71})(?![\w])/g;
const ETH = /(?<![\w])0x[0-9a-fA-F]{40}(?![\w])/g;
const EMAIL_AT = stickyOf(EMAIL);
const EMAIL_LOCAL_MAX = 64;

/**
 * Where an email match can start. The local part and the look-behind use the same set of chars, so
 * a match ends its local part at the first '@' after it and starts where the run of those chars
 * before that '@' starts, at most 64 chars back.
 */
function emailStarts(text: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && at - s <= EMAIL_LOCAL_MAX && isLocalChar(text.charCodeAt(s - 1))) s--;
    if (s < at && at - s <= EMAIL_LOCAL_MAX) out.push(s);
  }
  return out;
}

/** [\w.+%-], the chars of an email's local part. */
function isLocalChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 43 || c === 37 || c === 45;
}

const CTX = {
  credit_card: ['credit', 'card', 'visa', 'mastercard', 'amex', 'debit', 'payment', 'cc'],
  us_ssn: ['ssn', 'social security', 'social sec'],
  iban: ['iban', 'bank', 'account', 'transfer'],
  uk_nhs: ['nhs', 'health', 'patient'],
  email: ['email', 'e-mail', 'mail', 'contact'],
  crypto_wallet: ['wallet', 'btc', 'bitcoin', 'crypto', 'eth', 'address'],
};

/** `d`: the digits of a CARD match, so at least 12 of them. */
function cardIssuerOk(d: string): boolean {
  const n = d.length;
  const p2 = (d.charCodeAt(0) - 48) * 10 + (d.charCodeAt(1) - 48);
  const p4 = p2 * 100 + (d.charCodeAt(2) - 48) * 10 + (d.charCodeAt(3) - 48);
  if (d[0] === '4') return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 >= 2200 && p4 <= 2204) return n >= 16;
  if (d[0] === '3' && ((p4 >= 3000 && p4 <= 3059) || p2 === 36 || p2 === 38 || p2 === 39)) return n >= 14;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;
  if (d[0] === '6' || p2 === 50 || (p2 >= 56 && p2 <= 59)) return n >= 12;
  if (d[0] === '1') return n === 15; // UATP
  return false;
}

/** Finds PII in one string. Offsets are UTF-16 indices into `text`. */
export function detectPii(text: string, opts: PiiOptions = {}): Finding[] {
  return piiWithFacts(text, opts, textFacts(text));
}

/**
 * detectPii with the string's facts already computed (detectAll shares them between detectors).
 * Each facts test below is a condition every match of the pattern it guards satisfies.
 */
export function piiWithFacts(text: string, opts: PiiOptions, facts: TextFacts): Finding[] {
  const ctx = opts.context !== false ? new ContextWords(text, facts.ascii) : undefined;
  const want = opts.types ? new Set(opts.types) : undefined;
  const sink = new FindingSink('pii', opts.path ?? '$');
  const digits = facts.digits > 0;

  if (facts.digits >= 12 && wants(want, 'credit_card')) {
    for (let m = firstMatch(CARD, text); m !== null; m = CARD.exec(text)) {
      const d = digitsOf(m[0]);
      if (!cardIssuerOk(d) || !luhn(d)) continue;
      sink.add('credit_card', m.index, m.index + m[0].length, 1, `card ending ${d.slice(-4)}`);
    }
  }
  if (facts.digits >= 9 && wants(want, 'us_ssn')) {
    for (let m = firstMatch(SSN_STRONG, text); m !== null; m = SSN_STRONG.exec(text)) {
      if (!usSsn(m[0])) continue;
      const e = m.index + m[0].length;
      sink.add('us_ssn', m.index, e, boost(0.5, ctx !== undefined && ctx.has(m.index, e, CTX.us_ssn)), `SSN ***-**-${m[0].slice(-4)}`);
    }
    if (facts.digitRun >= 5) {
      for (let m = firstMatch(SSN_WEAK, text); m !== null; m = SSN_WEAK.exec(text)) {
        if (!usSsn(m[0])) continue;
        const e = m.index + m[0].length;
        sink.add('us_ssn', m.index, e, boost(0.05, ctx !== undefined && ctx.has(m.index, e, CTX.us_ssn)), `SSN-like ***${m[0].slice(-4)}`);
      }
    }
  }
  if (facts.digits >= 10 && wants(want, 'uk_nhs')) {
    for (let m = firstMatch(NHS, text); m !== null; m = NHS.exec(text)) {
      if (!ukNhs(m[0])) continue;
      const e = m.index + m[0].length;
      sink.add('uk_nhs', m.index, e, boost(0.5, ctx !== undefined && ctx.has(m.index, e, CTX.uk_nhs)), `NHS ***${m[0].slice(-3)}`);
    }
  }
  if (facts.upperPairThenDigitPair && wants(want, 'iban')) scanIban(text, sink, ctx);
  if (wants(want, 'email') && text.includes('@')) {
    eachMatchAtStarts(text, EMAIL_AT, emailStarts(text), (m) => {
      const at = m[0].indexOf('@');
      sink.add('email', m.index, m.index + m[0].length, 1, `email ${m[0][0]}***${m[0].slice(at)}`);
    });
  }
  if (wants(want, 'crypto_wallet')) {
    if (facts.alnumRun >= 14) {
      for (let m = firstMatch(BTC, text); m !== null; m = BTC.exec(text)) {
        const ok = m[0][0] === 'b' || m[0][0] === 'B' ? bech32(m[0]) : base58Check(m[0]);
        if (ok) sink.add('crypto_wallet', m.index, m.index + m[0].length, 1, `wallet ${maskValue(m[0], 4, 0)}`);
      }
    }
    if (text.includes('0x')) {
      for (let m = firstMatch(ETH, text); m !== null; m = ETH.exec(text)) {
        const e = m.index + m[0].length;
        sink.add('crypto_wallet', m.index, e, boost(0.4, ctx !== undefined && ctx.has(m.index, e, CTX.crypto_wallet)), `wallet ${maskValue(m[0], 6, 0)}`);
      }
    }
  }
  if (digits && wants(want, 'phone')) scanPhone(text, ctx, opts.leniency ?? 1, sink, facts);
  if (wants(want, 'ip_address') && (digits || text.includes(':'))) scanIp(text, ctx, sink, facts);
  if (wants(want, 'mac_address')) scanMac(text, ctx, sink);
  if (wants(want, 'url') && text.includes('.')) scanUrl(text, ctx, sink);
  if (opts.customRecognizers && opts.customRecognizers.length > 0) {
    const compiled = compileRecognizers(opts.customRecognizers);
    scanCustom(text, compiled.filter((r) => wants(want, r.name)), ctx, sink);
  }
  return dedupe(sink.out);
}

function wants(want: Set<string> | undefined, type: string): boolean {
  return want === undefined || want.has(type);
}

/** The greatest i in [15, end) with s[i] ' ' or '-'; -1 when there is none. */
function lastSeparatorBefore(s: string, end: number): number {
  for (let i = end - 1; i >= 15; i--) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 45) return i;
  }
  return -1;
}

function scanIban(text: string, sink: FindingSink, ctx: ContextWords | undefined): void {
  for (let m = firstMatch(IBAN_RE, text); m !== null; m = IBAN_RE.exec(text)) {
    const cand = m[0];
    // The longest prefix ending at a group boundary that validates: "…8901 X" → "…8901".
    // Tried in the order: the whole candidate, then each ' ' or '-' from the last (at 15 or later).
    for (let end = cand.length; end !== -1; end = lastSeparatorBefore(cand, end)) {
      if (!ibanMatchOk(cand, end)) continue;
      const a = m.index;
      sink.add('iban', a, a + end, boost(1, ctx !== undefined && ctx.has(a, a + end, CTX.iban)), `IBAN ${cand.slice(0, 2)}…${cand.slice(end - 4, end)}`);
      break;
    }
  }
}
