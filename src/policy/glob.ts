import { RE2JS } from '@bufbuild/re2';
import { compileAsciiMatcher } from './cel/ascii-dfa.ts';

/**
 * Tool-name globs: `*` (any run of characters), `?` (one character), `[abc]` / `[a-z]` / `[!abc]`
 * (a class), `{a,b}` (alternatives, not nested). Matched in linear time: an ASCII name without a
 * newline by the table-driven automaton CEL's `matches` uses (cel/ascii-dfa.ts), anything else by
 * RE2. A backtracking RegExp took O(n^k) on k stars: `*a*a*a*a*c` against a 256-character name of
 * `a`s (a name the agent chooses) ran 12 s per decision.
 */
export interface Glob {
  readonly pattern: string;
  readonly literal: boolean;
  test(name: string): boolean;
}

export class GlobSyntaxError extends Error {}

const SPECIAL = /[*?[\]{}]/;

export function compileGlob(pattern: string): Glob {
  if (!SPECIAL.test(pattern)) {
    return { pattern, literal: true, test: (name) => name === pattern };
  }
  // `*` (or `**`...) names every tool: no RegExp needed for the most common wildcard.
  if (/^\*+$/.test(pattern)) return { pattern, literal: false, test: () => true };
  const source = globSource(pattern);
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(`^(?s:${source})$`);
  } catch (error) {
    // e.g. a class range out of order, [z-a]
    throw new GlobSyntaxError(`"${pattern}" is not a valid glob: ${(error as Error).message}`);
  }
  const exact = { test: (name: string) => re2.test(name) };
  // Without (?s) the automaton's `.` stops at a newline, so a name with one goes to RE2.
  const dfa = compileAsciiMatcher(`^(?:${source})$`, exact);
  if (dfa === undefined) return { pattern, literal: false, test: exact.test };
  return { pattern, literal: false, test: (name) => (name.includes('\n') ? re2.test(name) : dfa.test(name)) };
}

export function globSource(pattern: string): string {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      while (pattern[i + 1] === '*') i++; // `**` is the same as `*` for flat tool names
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) throw new GlobSyntaxError(`unclosed "[" at position ${i + 1} in "${pattern}"`);
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') throw new GlobSyntaxError(`empty character class in "${pattern}"`);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '{') {
      if (inBraces) throw new GlobSyntaxError(`nested "{" at position ${i + 1} in "${pattern}"`);
      inBraces = true;
      out += '(?:';
    } else if (c === '}') {
      if (!inBraces) throw new GlobSyntaxError(`unmatched "}" at position ${i + 1} in "${pattern}"`);
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) {
      out += '|';
    } else if (c === ']') {
      throw new GlobSyntaxError(`unmatched "]" at position ${i + 1} in "${pattern}"`);
    } else {
      out += c.replace(/[.+^$()|\\/]/g, '\\$&');
    }
  }
  if (inBraces) throw new GlobSyntaxError(`unclosed "{" in "${pattern}"`);
  return out;
}
