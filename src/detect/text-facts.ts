import type { NeedleGroups } from './needles.ts';
import { factAutomaton, WORD_SEPARATOR } from './fact-automaton.ts';

export { WORD_SEPARATOR };

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
  // The needle and words automata, stepped as one (see fact-automaton.ts) on A-Z folded to a-z:
  // the same as needles on text.toLowerCase() when the text is all ASCII; otherwise redone on the
  // lower-cased text below (and words is not reported).
  const auto = needles !== undefined || words !== undefined ? factAutomaton(needles, words) : undefined;
  const classOf = auto?.classOf;
  const table = auto?.table;
  let state = auto !== undefined ? auto.start : 0;
  let present = table !== undefined ? table[state]! : 0;
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
        if (table !== undefined) {
          state = table[state + classOf![c]!]!;
          present |= table[state]!;
        }
      } else ascii = false;
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
  if (auto !== undefined) present |= auto.finalGroups[state / auto.stride]!;
  const wordShift = auto !== undefined ? auto.wordShift : 0;
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
    needles: needles ? { groups: needles, present: ascii ? present & ((1 << wordShift) - 1) : needles.present(text.toLowerCase()) } : undefined,
    words: words && ascii ? { groups: words, present: present >>> wordShift } : undefined,
  };
  return facts;
}
