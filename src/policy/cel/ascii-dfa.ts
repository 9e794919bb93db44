import { isAscii } from './case-fold.ts';
import { requiredLiterals } from './regex-literals.ts';
import { BEGIN_TEXT, END_TEXT, SYMBOLS, parseRegexSubset, type RegexNode } from './regex-subset.ts';

/**
 * An exact `matches` for ASCII text, for patterns in the subset regex-subset.ts accepts. RE2JS's
 * lazy DFA spends 1-12 µs per call on a short text once a pattern has `^` or `$` (it resolves the
 * anchors again at every character, allocating sets); this automaton reads one table entry per
 * character.
 *
 * Construction: a Glushkov automaton (one state per symbol node of the pattern), with `^` and `$`
 * read as two extra symbols the text is framed by: begin-text before the first character and
 * end-text after the last. An unanchored search may start a match at every symbol. The automaton
 * is determinised lazily, one state and one symbol at a time, and a state set is interned by its
 * member positions. Linear in the text, like RE2.
 *
 * The framing is exact as long as no `^` can be directly followed by another `^`, and no `$` by
 * any anchor (zero-width anchors may repeat; framing symbols occur once): such patterns are
 * refused. A text with a code unit above 0x7f is handed to RE2 unchanged, and so is every text
 * once the automaton would grow past MAX_STATES.
 */
const MAX_STATES = 128;
/** Below this length the automaton alone is cheaper than a literal scan first. */
const PREFILTER_MIN_LENGTH = 128;

interface Automaton {
  /** For each position: the symbols it reads. */
  reads: Uint8Array[];
  /** Positions a match may start with. */
  first: number[];
  /** For each position: the positions that may follow it. */
  follow: number[][];
  /** For each position: whether a match may end with it. */
  last: boolean[];
  /** The empty string matches: every text does. */
  nullable: boolean;
}

export interface TextMatcher {
  test(text: string): boolean;
}

export function compileAsciiMatcher(pattern: string, fallback: TextMatcher): TextMatcher | undefined {
  const parsed = parseRegexSubset(pattern);
  if (parsed === undefined) return undefined;
  const automaton = glushkov(parsed.root);
  if (automaton === undefined) return undefined;
  if (automaton.nullable) return { test: () => true };
  const prefilter = requiredLiterals(parsed);
  return new AsciiDfa(automaton, fallback, prefilter === undefined ? undefined : { literals: prefilter, asciiOnly: parsed.foldCase });
}

function glushkov(root: RegexNode): Automaton | undefined {
  const reads: Uint8Array[] = [];
  const follow: Set<number>[] = [];
  const link = (from: readonly number[], to: readonly number[]) => {
    for (const p of from) for (const q of to) follow[p]!.add(q);
  };
  interface Part {
    nullable: boolean;
    first: number[];
    last: number[];
  }
  const walk = (node: RegexNode): Part => {
    switch (node.kind) {
      case 'symbols': {
        const p = reads.length;
        reads.push(node.members);
        follow.push(new Set());
        return { nullable: false, first: [p], last: [p] };
      }
      case 'concat':
        return concat(node.items.map(walk));
      case 'alternate': {
        const parts = node.items.map(walk);
        return { nullable: parts.some((x) => x.nullable), first: parts.flatMap((x) => x.first), last: parts.flatMap((x) => x.last) };
      }
      case 'repeat': {
        // X{n,m} = X^n (X(X(...)?)?)?, X{n,} = X^n X*: each copy gets its own positions.
        const parts: Part[] = [];
        for (let i = 0; i < node.min; i++) parts.push(walk(node.item));
        if (node.max === -1) {
          const loop = walk(node.item);
          link(loop.last, loop.first);
          parts.push({ nullable: true, first: loop.first, last: loop.last });
        } else {
          const optional: Part[] = [];
          for (let i = node.min; i < node.max; i++) optional.push(walk(node.item));
          let tail: Part | undefined;
          for (let i = optional.length - 1; i >= 0; i--) {
            const copy = optional[i]!;
            tail = tail === undefined ? { ...copy, nullable: true } : { ...concat([copy, tail]), nullable: true };
          }
          if (tail) parts.push(tail);
        }
        return concat(parts);
      }
    }
  };
  const concat = (parts: Part[]): Part => {
    let nullable = true;
    const first: number[] = [];
    let last: number[] = [];
    for (const part of parts) {
      link(last, part.first);
      if (nullable) first.push(...part.first);
      last = part.nullable ? [...last, ...part.last] : [...part.last];
      nullable &&= part.nullable;
    }
    return { nullable, first, last };
  };
  const whole = walk(root);
  const isBegin = (p: number) => reads[p]![BEGIN_TEXT] === 1;
  const isEnd = (p: number) => reads[p]![END_TEXT] === 1;
  for (let p = 0; p < reads.length; p++) {
    for (const q of follow[p]!) {
      if ((isBegin(p) && isBegin(q)) || (isEnd(p) && (isBegin(q) || isEnd(q)))) return undefined;
    }
  }
  const lastSet = new Set(whole.last);
  return {
    reads,
    first: [...new Set(whole.first)],
    follow: follow.map((s) => [...s]),
    last: reads.map((_, p) => lastSet.has(p)),
    nullable: whole.nullable,
  };
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
    /** Literals one of which every match contains (regex-literals.ts); valid on any text unless asciiOnly. */
    private readonly prefilter: { literals: RegExp; asciiOnly: boolean } | undefined,
  ) {
    const anchoredAtStart = automaton.first.every((p) => automaton.reads[p]!.indexOf(1) === BEGIN_TEXT);
    this.dead = anchoredAtStart ? 0 : -2;
    this.intern([]);
  }

  test(text: string): boolean {
    if (this.full) return this.fallback.test(text);
    const prefilter = this.prefilter;
    if (prefilter !== undefined && text.length >= PREFILTER_MIN_LENGTH) {
      if (prefilter.asciiOnly && !isAscii(text)) return this.fallback.test(text);
      if (!prefilter.literals.test(text)) return false;
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
