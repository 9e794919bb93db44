import type { NeedleGroups } from '../../../src/detect/needles.ts';

/**
 * Facts about one string's characters, computed in a single pass and shared by the detectors so
 * each can skip patterns that cannot match (a pattern needing nine digits on a string with two).
 * Every fact counts ASCII classes exactly as the detectors' regexes see them: no `u` flag, so
 * `\d` is [0-9] and `\w` is [A-Za-z0-9_], and no non-ASCII character is in any class.
 */
export interface TextFacts {
  /** Number of [0-9]. */
  digits: number;
  /** Longest run of [0-9]. */
  digitRun: number;
  /** Longest run of [A-Za-z0-9]. */
  alnumRun: number;
  /** Longest run of [A-Za-z0-9_-]. */
  tokenRun: number;
  /** Longest run of [A-Za-z0-9+/] (the base64 alphabet). */
  base64Run: number;
  /** Longest run of [A-Za-z0-9._~+/=-] (a bearer token's alphabet). */
  bearerRun: number;
  /** Some [A-Z][A-Z][0-9][0-9] occurs (an IBAN's country and check digits). */
  upperPairThenDigitPair: boolean;
  /** Some char of [\\'"<>] occurs (shell quoting or a redirect). */
  quoting: boolean;
  /** Some ':' or '=' occurs. */
  colonOrEquals: boolean;
  /** Every char is ASCII (below U+0080). */
  ascii: boolean;
  /** When asked for: `needles.present(text.toLowerCase())`, found in the same pass. */
  needles?: { groups: NeedleGroups; present: number };
  /**
   * When asked for and the text is all ASCII: the groups of `words` (an automaton whose fold maps
   * every char but [A-Za-z0-9_] to one separator) found in the text with a separator before and
   * after it (see destructive.ts).
   */
  words?: { groups: NeedleGroups; present: number };
}

/** The char that a `words` automaton reads for every char outside [A-Za-z0-9_], and at both ends. */
export const WORD_SEPARATOR = 1;

const DIGIT = 1;
const ALNUM = 2;
const TOKEN = 4;
const BASE64 = 8;
const BEARER = 16;
const QUOTING = 32;
const ASSIGN = 64;

const CLASSES = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = DIGIT | ALNUM | TOKEN | BASE64 | BEARER;
  for (let c = 65; c <= 90; c++) t[c] = ALNUM | TOKEN | BASE64 | BEARER;
  for (let c = 97; c <= 122; c++) t[c] = ALNUM | TOKEN | BASE64 | BEARER;
  t[95] = TOKEN | BEARER; // _
  t[45] = TOKEN | BEARER; // -
  t[43] = BASE64 | BEARER; // +
  t[47] = BASE64 | BEARER; // /
  t[46] = BEARER; // .
  t[126] = BEARER; // ~
  t[61] = BEARER | ASSIGN; // =
  t[58] = ASSIGN; // :
  for (const c of '\\\'"<>') t[c.charCodeAt(0)] = QUOTING;
  return t;
})();

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * Runs are measured (and chars noted as seen) where the class changes, not at every character:
 * most characters continue the runs of the one before, and then the loop only counts digits.
 */
export function textFacts(text: string, needles?: NeedleGroups, words?: NeedleGroups): TextFacts {
  const n = text.length;
  // The needle automaton, stepped on A-Z folded to a-z: the same as on text.toLowerCase() when
  // the text is all ASCII; otherwise redone on the lower-cased text below.
  // (States are row offsets in NeedleGroups.rows.)
  const fold = needles?.foldedAscii;
  const rows = needles?.rows;
  const ends = needles?.outByRow;
  let state = 0;
  let present = 0;
  const wFold = words?.foldedAscii;
  const wRows = words?.rows;
  const wEnds = words?.outByRow;
  let wState = words ? words.rows[words.classOf[WORD_SEPARATOR]!]! : 0;
  let wPresent = words ? words.outByRow[wState]! : 0;
  let digits = 0;
  let prev = 0;
  let digitStart = 0;
  let alnumStart = 0;
  let tokenStart = 0;
  let base64Start = 0;
  let bearerStart = 0;
  let digitRun = 0;
  let alnumRun = 0;
  let tokenRun = 0;
  let base64Run = 0;
  let bearerRun = 0;
  let ibanHead = false;
  let seen = 0;
  let ascii = true;
  for (let i = 0; i <= n; i++) {
    let k = 0;
    if (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        k = CLASSES[c]!;
        if (fold !== undefined) {
          state = rows![state + fold[c]!]!;
          present |= ends![state]!;
        }
        if (wFold !== undefined) {
          wState = wRows![wState + wFold[c]!]!;
          wPresent |= wEnds![wState]!;
        }
      } else {
        ascii = false;
        state = 0;
      }
      digits += k & DIGIT;
    }
    if (k === prev) continue;
    const off = prev & ~k;
    const on = k & ~prev;
    prev = k;
    seen |= k;
    if (off !== 0) {
      if (off & DIGIT && i - digitStart > digitRun) digitRun = i - digitStart;
      if (off & ALNUM && i - alnumStart > alnumRun) alnumRun = i - alnumStart;
      if (off & TOKEN && i - tokenStart > tokenRun) tokenRun = i - tokenStart;
      if (off & BASE64 && i - base64Start > base64Run) base64Run = i - base64Start;
      if (off & BEARER && i - bearerStart > bearerRun) bearerRun = i - bearerStart;
    }
    if (on !== 0) {
      if (on & DIGIT) {
        digitStart = i;
        // [A-Z][A-Z][0-9][0-9]: its first digit starts a run of digits.
        if (!ibanHead && i >= 2 && i + 1 < n && isUpper(text.charCodeAt(i - 1)) && isUpper(text.charCodeAt(i - 2))) {
          const d = text.charCodeAt(i + 1);
          ibanHead = d >= 48 && d <= 57;
        }
      }
      if (on & ALNUM) alnumStart = i;
      if (on & TOKEN) tokenStart = i;
      if (on & BASE64) base64Start = i;
      if (on & BEARER) bearerStart = i;
    }
  }
  const facts: TextFacts = {
    digits,
    digitRun,
    alnumRun,
    tokenRun,
    base64Run,
    bearerRun,
    upperPairThenDigitPair: ibanHead,
    quoting: (seen & QUOTING) !== 0,
    colonOrEquals: (seen & ASSIGN) !== 0,
    ascii,
    // Set in the literal (undefined when not asked for) rather than added after: adding them
    // later allocates a property store on every call.
    needles: needles ? { groups: needles, present: ascii ? present : needles.present(text.toLowerCase()) } : undefined,
    words: words && ascii ? { groups: words, present: wPresent | words.outByRow[words.rows[wState + words.classOf[WORD_SEPARATOR]!]!]! } : undefined,
  };
  return facts;
}
