/**
 * RE2JS is slow on case-insensitive patterns: `(?i)(password|api[_ -]?key|secret)` over 4.8 KB of
 * text takes ~1 ms, the same pattern without `(?i)` ~7 µs. For ASCII text and a pattern whose
 * meaning cannot depend on letter case beyond the `(?i)` flag, `(?i)P` matches T exactly when P
 * matches T lower-cased. This module decides, conservatively, when that holds.
 *
 * Allowed after a leading `(?i)`: ASCII only; no other flag group `(?`; no uppercase letter
 * (a class or range containing an uppercase letter without its lowercase partner would fold
 * differently); escapes only \d \D \s \S \w \W \b \B and escaped punctuation (no \p, \x, \Q, octal);
 * no POSIX classes; no class range that spans 'A'..'Z'. Anything else keeps the full RE2 path.
 */
const SAFE_ESCAPE = /[dDsSwWbB.\\/\-[\](){}*+?|^$ ]/;

export function caseInsensitiveFastPattern(pattern: string): string | undefined {
  if (!pattern.startsWith('(?i)')) return undefined;
  const rest = pattern.slice(4);
  if (!/^[\x20-\x7e]*$/.test(rest) || rest.includes('(?') || rest.includes('[:')) return undefined;
  let inClass = false;
  let previous = -1; // code of the previous class member, for ranges
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined || !SAFE_ESCAPE.test(next)) return undefined;
      previous = /[dDsSwWbB]/.test(next) ? -1 : next.charCodeAt(0);
      i++;
      continue;
    }
    if (c >= 'A' && c <= 'Z') return undefined; // a literal uppercase letter (escape letters were skipped above)
    if (!inClass) {
      if (c === '[') {
        inClass = true;
        previous = -1;
        if (rest[i + 1] === '^') i++;
        if (rest[i + 1] === ']') {
          previous = 93;
          i++;
        }
      }
      continue;
    }
    if (c === ']') {
      inClass = false;
      continue;
    }
    if (c === '-' && previous >= 0 && rest[i + 1] !== undefined && rest[i + 1] !== ']') {
      let hiChar = rest[i + 1]!;
      if (hiChar === '\\') {
        const escaped = rest[i + 2];
        if (escaped === undefined || !SAFE_ESCAPE.test(escaped) || /[dDsSwWbB]/.test(escaped)) return undefined;
        hiChar = escaped;
        i++;
      }
      const hi = hiChar.charCodeAt(0);
      if (previous <= 90 && hi >= 65) return undefined; // the range spans uppercase letters
      previous = -1;
      i++;
      continue;
    }
    previous = c.charCodeAt(0);
  }
  return inClass ? undefined : rest;
}

/**
 * UTF-8 takes one byte for a code unit below 0x80 and more for any other (a lone surrogate is
 * encoded as U+FFFD, 3 bytes), so the lengths match exactly for ASCII. Node computes the UTF-8
 * length ~3x faster than a RegExp scans the string.
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}
