/**
 * A parser for the part of RE2 syntax that policies use in practice, for the ASCII automaton in
 * ascii-dfa.ts. It accepts a pattern only where the meaning on ASCII text is certain, and returns
 * undefined for anything else (the caller then keeps RE2):
 *
 *   an optional leading `(?i)`; printable ASCII literals; `.`; `[...]` / `[^...]` classes of
 *   literals, ranges and \d \D \s \S \w \W; those six escapes outside classes too; \t \n \r \f \v;
 *   escaped ASCII punctuation; `(...)` and `(?:...)`; `|`; `?` `*` `+` `{n}` `{n,}` `{n,m}` (a
 *   trailing `?`, non-greedy, changes nothing for a yes/no match); `^` and `$` (without the m flag:
 *   start and end of the text).
 *
 * Not accepted: other flags, \b \B \A \z \p \x \Q \C octal, POSIX classes, nested `[`, a literal
 * `{` `}` `]` outside a class, non-ASCII or control characters in the pattern.
 * The pattern has already compiled in RE2, so only valid syntax reaches this parser.
 */

/** Symbols 0..127 are ASCII characters; two more stand for the start and the end of the text. */
export const BEGIN_TEXT = 128;
export const END_TEXT = 129;
export const SYMBOLS = 130;

export type RegexNode =
  | { kind: 'symbols'; members: Uint8Array } // one symbol from a set (members[s] === 1)
  | { kind: 'concat'; items: RegexNode[] }
  | { kind: 'alternate'; items: RegexNode[] }
  | { kind: 'repeat'; item: RegexNode; min: number; max: number }; // max -1: unbounded

/** Bounded repeats are expanded into copies; beyond this many symbol nodes the pattern is left to RE2. */
const MAX_SYMBOL_NODES = 256;

class Unsupported extends Error {}

export interface ParsedSubset {
  root: RegexNode;
  /** The pattern began with (?i): symbol sets already hold both cases of each letter. */
  foldCase: boolean;
}

export function parseRegexSubset(pattern: string): ParsedSubset | undefined {
  let source = pattern;
  let foldCase = false;
  if (source.startsWith('(?i)')) {
    foldCase = true;
    source = source.slice(4);
  }
  if (!/^[\x20-\x7e]*$/.test(source)) return undefined;
  try {
    const parser = new SubsetParser(source, foldCase);
    const node = parser.parseAlternation();
    if (parser.pos !== source.length) return undefined;
    return countSymbolNodes(node) <= MAX_SYMBOL_NODES ? { root: node, foldCase } : undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function countSymbolNodes(node: RegexNode): number {
  switch (node.kind) {
    case 'symbols':
      return 1;
    case 'concat':
    case 'alternate':
      return node.items.reduce((n, item) => n + countSymbolNodes(item), 0);
    case 'repeat': {
      const copies = node.max === -1 ? node.min + 1 : node.max;
      return copies * countSymbolNodes(node.item);
    }
  }
}

const isAlnum = (c: string) => /[0-9A-Za-z]/.test(c);
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

class SubsetParser {
  pos = 0;

  constructor(
    private readonly src: string,
    private readonly foldCase: boolean,
  ) {}

  parseAlternation(): RegexNode {
    const items = [this.parseConcat()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      items.push(this.parseConcat());
    }
    return items.length === 1 ? items[0]! : { kind: 'alternate', items };
  }

  private parseConcat(): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      items.push(this.parseRepeat(this.parseAtom()));
    }
    return { kind: 'concat', items };
  }

  private parseRepeat(atom: RegexNode): RegexNode {
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    if (c === '?') [min, max] = [0, 1];
    else if (c === '*') [min, max] = [0, -1];
    else if (c === '+') [min, max] = [1, -1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) throw new Unsupported();
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (max !== -1 && max < min) throw new Unsupported();
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++; // non-greedy
    if ('?*+{'.includes(this.src[this.pos] ?? '|')) throw new Unsupported(); // a repeat of a repeat
    if (atom.kind === 'symbols' && (atom.members[BEGIN_TEXT] === 1 || atom.members[END_TEXT] === 1)) throw new Unsupported();
    return { kind: 'repeat', item: atom, min, max };
  }

  private parseAtom(): RegexNode {
    const c = this.src[this.pos]!;
    this.pos++;
    switch (c) {
      case '(': {
        if (this.src[this.pos] === '?') {
          if (this.src[this.pos + 1] !== ':') throw new Unsupported();
          this.pos += 2;
        }
        const inner = this.parseAlternation();
        if (this.src[this.pos] !== ')') throw new Unsupported();
        this.pos++;
        return inner;
      }
      case '^':
        return single(BEGIN_TEXT);
      case '$':
        return single(END_TEXT);
      case '.': {
        const members = new Uint8Array(SYMBOLS);
        members.fill(1, 0, 128);
        members[10] = 0;
        return { kind: 'symbols', members };
      }
      case '[':
        return this.parseClass();
      case '\\': {
        const members = new Uint8Array(SYMBOLS);
        this.addEscape(members, this.src[this.pos]);
        this.pos++;
        return { kind: 'symbols', members: this.folded(members) };
      }
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case ')':
        throw new Unsupported();
      default:
        return { kind: 'symbols', members: this.folded(singleMembers(c.charCodeAt(0))) };
    }
  }

  private parseClass(): RegexNode {
    const members = new Uint8Array(SYMBOLS);
    let negate = false;
    if (this.src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new Unsupported();
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      if (c === '[') throw new Unsupported(); // POSIX classes and their kin
      if (c === '-' && !first && this.src[this.pos + 1] !== ']') throw new Unsupported();
      first = false;
      if (c === '\\' && /[dDsSwW]/.test(this.src[this.pos + 1] ?? '')) {
        this.addEscape(members, this.src[this.pos + 1]);
        this.pos += 2;
        continue;
      }
      const lo = this.classChar();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        this.pos++;
        const hi = this.classChar();
        if (hi < lo) throw new Unsupported();
        members.fill(1, lo, hi + 1);
      } else members[lo] = 1;
    }
    const folded = this.folded(members);
    if (negate) for (let s = 0; s < 128; s++) folded[s] = folded[s] === 1 ? 0 : 1;
    return { kind: 'symbols', members: folded };
  }

  /** One literal class member (possibly escaped): its code. */
  private classChar(): number {
    const c = this.src[this.pos]!;
    this.pos++;
    if (c !== '\\') return c.charCodeAt(0);
    const next = this.src[this.pos];
    this.pos++;
    if (next === undefined) throw new Unsupported();
    if (next in CONTROL_ESCAPES) return CONTROL_ESCAPES[next]!;
    if (isAlnum(next)) throw new Unsupported();
    return next.charCodeAt(0);
  }

  private addEscape(members: Uint8Array, c: string | undefined): void {
    if (c === undefined) throw new Unsupported();
    const perl = PERL_CLASSES[c.toLowerCase()];
    if (perl !== undefined && /[dDsSwW]/.test(c)) {
      const negated = c !== c.toLowerCase();
      for (let s = 0; s < 128; s++) if (perl(s) !== negated) members[s] = 1;
      return;
    }
    if (c in CONTROL_ESCAPES) {
      members[CONTROL_ESCAPES[c]!] = 1;
      return;
    }
    if (isAlnum(c)) throw new Unsupported();
    members[c.charCodeAt(0)] = 1;
  }

  /** Under (?i), an ASCII letter matches both its cases (non-ASCII folds never meet ASCII text). */
  private folded(members: Uint8Array): Uint8Array {
    if (!this.foldCase) return members;
    for (let s = 65; s <= 90; s++) {
      if (members[s] === 1 || members[s + 32] === 1) members[s] = members[s + 32] = 1;
    }
    return members;
  }
}

/** RE2's Perl classes are ASCII-only: \d [0-9], \s [\t\n\f\r ], \w [0-9A-Za-z_]. */
const PERL_CLASSES: Record<string, (s: number) => boolean> = {
  d: (s) => s >= 48 && s <= 57,
  s: (s) => s === 9 || s === 10 || s === 12 || s === 13 || s === 32,
  w: (s) => (s >= 48 && s <= 57) || (s >= 65 && s <= 90) || (s >= 97 && s <= 122) || s === 95,
};

function singleMembers(symbol: number): Uint8Array {
  const members = new Uint8Array(SYMBOLS);
  members[symbol] = 1;
  return members;
}

function single(symbol: number): RegexNode {
  return { kind: 'symbols', members: singleMembers(symbol) };
}
