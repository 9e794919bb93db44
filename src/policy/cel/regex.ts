import { RE2JS } from '@bufbuild/re2';
import { GatehouseError } from '../../errors.ts';
import { compileAsciiMatcher, type TextMatcher } from './ascii-dfa.ts';
import { caseInsensitiveFastPattern, isAscii } from './case-fold.ts';

/** What @bufbuild/cel's `re2` option expects. */
export type RegexMatcher = TextMatcher;

/**
 * A bounded LRU of compiled RE2JS patterns. @bufbuild/cel recompiles the pattern on every
 * `matches` call unless given an `re2` option; policies use a handful of constant patterns, so
 * memoising them is most of the cost of a `matches` rule.
 */
export class RegexCache {
  private readonly entries = new Map<string, RegexMatcher>();

  constructor(
    private readonly capacity: number,
    private readonly maxPatternLength: number,
  ) {}

  compile(pattern: string): RegexMatcher {
    const hit = this.entries.get(pattern);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used.
      this.entries.delete(pattern);
      this.entries.set(pattern, hit);
      return hit;
    }
    if (pattern.length > this.maxPatternLength) {
      throw new GatehouseError('CEL_LIMIT', `regular expression is ${pattern.length} characters long; the limit is ${this.maxPatternLength}`);
    }
    const compiled = RE2JS.compile(pattern);
    const folded = caseInsensitiveFastPattern(pattern);
    const fast = folded === undefined ? undefined : RE2JS.compile(folded);
    // Three tiers, all exact: the ASCII automaton for patterns in its subset and ASCII text; for
    // (?i) patterns outside it, RE2 on the lower-cased ASCII text; RE2 itself for anything else.
    const re2: RegexMatcher = fast
      ? { test: (text) => (isAscii(text) ? fast.test(text.toLowerCase()) : compiled.test(text)) }
      : { test: (text) => compiled.test(text) };
    const matcher = compileAsciiMatcher(pattern, re2) ?? re2;
    this.entries.set(pattern, matcher);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return matcher;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Translates a glob into an anchored RE2 pattern: `*` any run of characters (including `/`),
 * `?` one character, `[abc]` / `[a-z]` / `[!abc]` a class, `{a,b}` alternatives (not nested).
 * Matching then runs in RE2's linear time, whatever the input and the number of stars.
 */
export function globToRegex(glob: string): string {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) throw new Error(`unclosed "[" at position ${i + 1} in glob "${glob}"`);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else if (c === '{' && !inBraces) {
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) out += '|';
    else out += RE2JS.quote(c);
  }
  if (inBraces) throw new Error(`unclosed "{" in glob "${glob}"`);
  return `^(?s:${out})$`;
}
