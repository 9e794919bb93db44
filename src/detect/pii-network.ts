import type { Finding } from './types.ts';
import { boost, firstMatch, FindingSink, ContextWords, maskValue, eachMatchAtStarts, stickyOf } from './util.ts';
import type { TextFacts } from './text-facts.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w])`, 'g');
const IPV4_EXACT = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
// A run of hex digits, colons and dots that contains a colon, starting and ending at a boundary.
const IPV6_CANDIDATE = /(?<![\w:.])(?=[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]{2,45}(?:%[0-9A-Za-z]{1,15})?(?![\w:])/g;
const HEX4 = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 4291 text forms, including '::' compression and an embedded dotted IPv4 tail. */
export function isIpv6(s: string): boolean {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.includes('.')) {
    const lastColon = s.lastIndexOf(':');
    if (lastColon < 0 || !IPV4_EXACT.test(s.slice(lastColon + 1))) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const groups = 8;
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return false;
    const head = s.slice(0, dbl);
    const tail = s.slice(dbl + 2);
    const h = head === '' ? [] : head.split(':');
    const t = tail === '' ? [] : tail.split(':');
    if (![...h, ...t].every((g) => HEX4.test(g))) return false;
    return h.length + t.length <= groups - 1;
  }
  const parts = s.split(':');
  return parts.length === groups && parts.every((g) => HEX4.test(g));
}

const MAC = /(?<![\w:.-])(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.\w)/g;

const MAC_AT = stickyOf(MAC);
const MAC_SEPARATORS = /[:.-]/g;

/**
 * A MAC match starts with two hex digits followed by ':' or '-', or by two more and '.'; each
 * start is kept only when the chars around it could begin a match (addMacStart).
 */
function macStarts(text: string): number[] {
  const out: number[] = [];
  for (let k = text.indexOf(':'); k >= 0; k = text.indexOf(':', k + 1)) addMacStart(text, k - 2, out);
  for (let k = text.indexOf('-'); k >= 0; k = text.indexOf('-', k + 1)) addMacStart(text, k - 2, out);
  for (let k = text.indexOf('.'); k >= 0; k = text.indexOf('.', k + 1)) addMacStart(text, k - 4, out);
  sortNumbers(out);
  return out;
}

/** Ascending, in place, without the scratch array Array#sort allocates (the lists are short). */
function sortNumbers(xs: number[]): void {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
}

function addMacStart(text: string, s: number, out: number[]): void {
  if (s >= 0 && s <= text.length - 14 && isHex(text.charCodeAt(s)) && isHex(text.charCodeAt(s + 1)) && (s === 0 || !isMacBefore(text.charCodeAt(s - 1))) && (colonForm(text, s) || dotForm(text, s))) out.push(s);
}

/** [\w:.-]: the chars MAC's look-behind rejects before a match. */
function isMacBefore(c: number): boolean {
  return isLabelChar(c) || c === 95 || c === 58 || c === 46;
}

/** The first three groups of the first form at s (xx:xx: or xx-xx-), s and s + 1 already hex. */
function colonForm(text: string, s: number): boolean {
  const sep = text.charCodeAt(s + 2);
  return (sep === 58 || sep === 45) && isHex(text.charCodeAt(s + 3)) && isHex(text.charCodeAt(s + 4)) && text.charCodeAt(s + 5) === sep;
}

/** The first two groups of the dotted form at s (xxxx.xxxx.), s and s + 1 already hex. */
function dotForm(text: string, s: number): boolean {
  if (text.charCodeAt(s + 4) !== 46 || text.charCodeAt(s + 9) !== 46) return false;
  for (let i = 2; i <= 8; i++) if (i !== 4 && !isHex(text.charCodeAt(s + i))) return false;
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

const URL_SCHEME = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;
const DOMAIN = /(?<![\w.@/:-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}([A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])(?:\/[^\s<>"'`]*)?/g;
const DOMAIN_AT = stickyOf(DOMAIN);

/**
 * A domain match's first label is a whole run of [A-Za-z0-9-] (the look-behind excludes those
 * chars before it) followed by '.', so it starts where the run before some '.' starts.
 */
function domainStarts(text: string): number[] {
  const out: number[] = [];
  for (let d = text.indexOf('.'); d >= 0; d = text.indexOf('.', d + 1)) {
    // The match's first '.' is this one (a label cannot stop short of it), and a label or the
    // TLD follows it: so a '.' not followed by a letter or digit (the end of a sentence) starts none.
    if (!isAlnum(text.charCodeAt(d + 1))) continue;
    let r = d;
    while (r > 0 && isLabelChar(text.charCodeAt(r - 1))) r--;
    // DOMAIN's look-behind also rejects '_', '.', '@', '/' and ':' before the match.
    if (r < d && (r === 0 || !isDomainBefore(text.charCodeAt(r - 1)))) out.push(r);
  }
  return out;
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function isDomainBefore(c: number): boolean {
  return c === 95 || c === 46 || c === 64 || c === 47 || c === 58;
}

function isLabelChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
}

const TRAILING = /[.,;:!?)\]}'"]+$/;
const URL_HOST = /^[a-z]+:\/\/(?:[^@/?#]*@)?\[?([^/?#:\]]+)/i;
const ENDS_IN_TLD = /\.[A-Za-z]{2,63}$/;
const WWW = /^www\./i;
// Generic TLDs common enough to recognise without a scheme; any two-letter ccTLD is accepted too.
const GTLDS = new Set(
  ('com org net edu gov mil int info biz name pro aero coop museum mobi jobs travel tel asia cat xxx io ai app dev site ' +
    'online tech store shop xyz cloud blog news page website space live life world today email top club link click ' +
    'agency digital network systems solutions services company design media studio group global city academy ' +
    'church health bank insurance finance money law legal work works team host wiki zone one pub social tv me')
    .split(' '),
);
// ccTLDs that are far more often file extensions in agent traffic (setup.py, README.md, run.sh).
const FILE_LIKE = new Set(['py', 'md', 'sh', 'rs', 'pl', 'so', 'ts', 'js', 'go', 'rb', 'cc', 'ps', 'mk', 'am', 'in', 'ml', 'cs', 'ai']);

const IP_CONTEXT = ['ip', 'address', 'server', 'host', 'connect'];
const MAC_CONTEXT = ['mac', 'hardware', 'ethernet', 'physical'];
const URL_CONTEXT = ['url', 'link', 'website', 'site', 'visit'];

/** Whether some [spans[i], spans[i + 1]] (pairs of a flat list) contains [start, end]. */
function within(spans: readonly number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (spans[i]! <= start && spans[i + 1]! >= end) return true;
  return false;
}

/** Whether some [spans[i], spans[i + 1]) (pairs of a flat list) holds `at`. */
function holds(spans: readonly number[], at: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (spans[i]! <= at && at < spans[i + 1]!) return true;
  return false;
}

export function scanIp(text: string, ctx: ContextWords | undefined, sink: FindingSink, facts: TextFacts): void {
  const v6: number[] = [];
  if (text.includes(':')) {
    for (let m = firstMatch(IPV6_CANDIDATE, text); m !== null; m = IPV6_CANDIDATE.exec(text)) {
      let s = m[0];
      while (s.endsWith('.')) s = s.slice(0, -1);
      if (!isIpv6(s)) continue;
      const start = m.index;
      const end = start + s.length;
      v6.push(start, end);
      const unspecified = s === '::';
      sink.add('ip_address', start, end, boost(unspecified ? 0.1 : 0.6, ctx !== undefined && ctx.has(start, end, IP_CONTEXT)), `IPv6 ${maskValue(s, 4, 0)}`);
    }
  }
  // An IPv4 address has at least four digits.
  if (facts.digits >= 4 && text.includes('.')) {
    for (let m = firstMatch(IPV4, text); m !== null; m = IPV4.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (within(v6, start, end)) continue;
      sink.add('ip_address', start, end, boost(0.6, ctx !== undefined && ctx.has(start, end, IP_CONTEXT)), `IPv4 ${maskValue(m[0], 3, 0)}`);
    }
  }
}

export function scanMac(text: string, ctx: ContextWords | undefined, sink: FindingSink): void {
  eachMatchAtStarts(text, MAC_AT, macStarts(text), (m) => {
    const hex = m[0].replace(MAC_SEPARATORS, '').toLowerCase();
    if (hex === 'ffffffffffff' || hex === '000000000000') return;
    const start = m.index;
    const end = start + m[0].length;
    sink.add('mac_address', start, end, boost(0.6, ctx !== undefined && ctx.has(start, end, MAC_CONTEXT)), `MAC ${maskValue(m[0], 2, 0)}`);
  });
}

export function scanUrl(text: string, ctx: ContextWords | undefined, sink: FindingSink): void {
  const taken: number[] = [];
  if (text.includes('://')) {
    for (let m = firstMatch(URL_SCHEME, text); m !== null; m = URL_SCHEME.exec(text)) {
      const s = m[0].replace(TRAILING, '');
      const host = URL_HOST.exec(s)?.[1] ?? '';
      if (!ENDS_IN_TLD.test(host) && !IPV4_EXACT.test(host)) continue;
      taken.push(m.index, m.index + s.length);
      sink.add('url', m.index, m.index + s.length, boost(0.6, ctx !== undefined && ctx.has(m.index, m.index + s.length, URL_CONTEXT)), `URL ${maskValue(s, 12, 0)}`);
    }
  }
  eachMatchAtStarts(text, DOMAIN_AT, domainStarts(text), (m) => {
    const start = m.index;
    if (holds(taken, start)) return;
    const tld = m[1]!.toLowerCase();
    const www = WWW.test(m[0]);
    const ok = GTLDS.has(tld) || (tld.length === 2 && (www || m[0].includes('/') || !FILE_LIKE.has(tld)));
    if (!ok) return;
    const s = m[0].replace(TRAILING, '');
    sink.add('url', start, start + s.length, boost(0.5, ctx !== undefined && ctx.has(start, start + s.length, URL_CONTEXT)), `domain ${maskValue(s, 8, 0)}`);
  });
}

export type { Finding };
