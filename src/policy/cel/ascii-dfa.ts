import { isAscii } from './case-fold.ts';
import { requiredLiterals, satisfies, type Requirement } from './regex-literals.ts';
import { glushkov, type Automaton } from './glushkov.ts';
import { BEGIN_TEXT, END_TEXT, SYMBOLS, parseRegexSubset } from './regex-subset.ts';

/**
 * An exact `matches` for ASCII text, for patterns in the subset regex-subset.ts accepts. RE2JS's
 * lazy DFA spends 1-12 µs per call on a short text once a pattern has `^` or `$` (it resolves the
 * anchors again at every character, allocating sets); this automaton reads one table entry per
 * character.
 *
 * The pattern's Glushkov automaton (glushkov.ts) reads the text framed by two extra symbols:
 * begin-text before the first character, end-text after the last, for `^` and `$`. An unanchored
 * search may start a match at every symbol. The automaton is determinised lazily, one state and
 * one symbol at a time, a state being interned by its set of positions. Linear in the text, like
 * RE2. A text with a code unit above 0x7f is handed to RE2 unchanged, and so is every text once
 * the automaton would grow past MAX_STATES.
 */
const MAX_STATES = 128;
/** Below this length the automaton alone is cheaper than a literal scan first. */
const PREFILTER_MIN_LENGTH = 128;

export interface TextMatcher {
  test(text: string): boolean;
}

export function compileAsciiMatcher(pattern: string, fallback: TextMatcher): TextMatcher | undefined {
  const parsed = parseRegexSubset(pattern);
  if (parsed === undefined) return undefined;
  const automaton = glushkov(parsed.root);
  if (automaton === undefined) return undefined;
  if (automaton.nullable) return { test: () => true };
  const need = requiredLiterals(parsed);
  return new AsciiDfa(automaton, fallback, need === undefined ? undefined : { need, foldCase: parsed.foldCase });
}

class AsciiDfa implements TextMatcher {
  /** Row `state * SYMBOLS`: the next state for each symbol, -1 until computed. Grows by doubling. */
  private table = new Int32Array(4 * SYMBOLS).fill(-1);
  private accepting = new Uint8Array(4);
  private readonly members: number[][] = [];
  private readonly ids = new Map<string, number>();
  /** The state no match can come from any more: the empty set when every match starts at the beginning of the text. */
  private readonly dead: number;
  private full = false;

  constructor(
    private readonly automaton: Automaton,
    private readonly fallback: TextMatcher,
    /** What every match contains (regex-literals.ts); under (?i), lower case, for ASCII text only. */
    private readonly prefilter: { need: Requirement; foldCase: boolean } | undefined,
  ) {
    const anchoredAtStart = automaton.first.every((p) => automaton.reads[p]!.indexOf(1) === BEGIN_TEXT);
    this.dead = anchoredAtStart ? 0 : -2;
    this.intern([]);
  }

  test(text: string): boolean {
    if (this.full) return this.fallback.test(text);
    const prefilter = this.prefilter;
    if (prefilter !== undefined && text.length >= PREFILTER_MIN_LENGTH) {
      if (!prefilter.foldCase) {
        if (!satisfies(text, prefilter.need)) return false;
      } else {
        if (!isAscii(text)) return this.fallback.test(text);
        if (!satisfies(text.toLowerCase(), prefilter.need)) return false;
      }
    }
    let state = this.step(0, BEGIN_TEXT);
    if (state < 0) return this.fallback.test(text);
    if (this.accepting[state] === 1) return true;
    let table = this.table;
    const accepting = this.accepting;
    const dead = this.dead;
    for (let i = 0; i < text.length; i++) {
      if (state === dead) return false;
      const c = text.charCodeAt(i);
      if (c > 0x7f) return this.fallback.test(text);
      let next = table[state * SYMBOLS + c]!;
      if (next < 0) {
        next = this.computeStep(state, c);
        if (next < 0) return this.fallback.test(text);
        table = this.table;
        if (this.accepting !== accepting) return this.continueFrom(next, text, i + 1);
      }
      state = next;
      if (accepting[state] === 1) return true;
    }
    state = this.step(state, END_TEXT);
    if (state < 0) return this.fallback.test(text);
    return this.accepting[state] === 1;
  }

  /** After the tables grew mid-text: restart the loop with fresh locals (rare; only while warming up). */
  private continueFrom(state: number, text: string, from: number): boolean {
    for (let i = from; i < text.length; i++) {
      if (this.accepting[state] === 1) return true;
      if (state === this.dead) return false;
      const c = text.charCodeAt(i);
      if (c > 0x7f) return this.fallback.test(text);
      state = this.step(state, c);
      if (state < 0) return this.fallback.test(text);
    }
    if (this.accepting[state] === 1) return true;
    state = this.step(state, END_TEXT);
    if (state < 0) return this.fallback.test(text);
    return this.accepting[state] === 1;
  }

  private step(state: number, symbol: number): number {
    const known = this.table[state * SYMBOLS + symbol]!;
    return known >= 0 ? known : this.computeStep(state, symbol);
  }

  private computeStep(state: number, symbol: number): number {
    const { reads, first, follow } = this.automaton;
    const target = new Set<number>();
    for (const p of first) if (reads[p]![symbol] === 1) target.add(p);
    for (const from of this.members[state]!) for (const p of follow[from]!) if (reads[p]![symbol] === 1) target.add(p);
    const id = this.intern([...target].sort((a, b) => a - b));
    if (id < 0) {
      this.full = true;
      return -1;
    }
    this.table[state * SYMBOLS + symbol] = id;
    return id;
  }

  private intern(positions: number[]): number {
    const key = positions.join(',');
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.members.length;
    if (id >= MAX_STATES) return -1;
    if (id === this.accepting.length) {
      const table = new Int32Array(this.table.length * 2).fill(-1);
      table.set(this.table);
      this.table = table;
      const accepting = new Uint8Array(this.accepting.length * 2);
      accepting.set(this.accepting);
      this.accepting = accepting;
    }
    this.ids.set(key, id);
    this.members.push(positions);
    this.accepting[id] = positions.some((p) => this.automaton.last[p]) ? 1 : 0;
    return id;
  }
}
