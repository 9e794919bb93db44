/**
 * Tool-name globs: `*` (any run of characters), `?` (one character), `[abc]` / `[a-z]` / `[!abc]`
 * (a class), `{a,b}` (alternatives, not nested). Compiled to an anchored RegExp whose only
 * repetition is `.*`-style, so matching a short tool name cannot blow up.
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
  const regex = new RegExp(`^${translate(pattern)}$`, 's');
  return { pattern, literal: false, test: (name) => regex.test(name) };
}

function translate(pattern: string): string {
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
