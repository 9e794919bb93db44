import { BEGIN_TEXT, END_TEXT, type ParsedSubset, type RegexNode } from './regex-subset.ts';

/**
 * Literal strings of which every match of a pattern contains at least one: for
 * `(?i)(password|api[_ -]?key|secret)` they are password, apikey, api_key, api key, api-key and
 * secret. If none occurs in a text, the pattern cannot match it. A JavaScript RegExp made of
 * literals alone finds them with a native scan, ~2x faster than RE2JS's own prefilter and ~8x
 * faster than any per-character loop in JavaScript on a long text.
 *
 * Under (?i) the literals are lower case and the RegExp has the i flag; that flag folds ASCII letters
 * exactly as RE2 does only on ASCII text ('ſ' U+017F and 'K' U+212A fold to s and k in RE2, not
 * in a RegExp without the u flag), so the caller must use it on ASCII text only.
 */
export function requiredLiterals(parsed: ParsedSubset): RegExp | undefined {
  const facts = analyse(parsed.root, parsed.foldCase);
  const literals = facts.exact ?? facts.required;
  if (literals === undefined || literals.length === 0) return undefined;
  // Short literals occur in most texts: scanning for them would cost more than it saves.
  if (literals.some((l) => l.length < MIN_LITERAL_LENGTH)) return undefined;
  const source = [...new Set(literals)].map(escapeLiteral).join('|');
  return new RegExp(source, parsed.foldCase ? 'i' : '');
}

const MIN_LITERAL_LENGTH = 3;
/** A larger finite set is not worth enumerating. */
const MAX_EXACT = 16;
/** A class of more characters than this is treated as "any character". */
const MAX_CLASS = 4;

interface Facts {
  /** Every string the node matches (anchors match the empty string), when few. */
  exact: string[] | undefined;
  /** Each string the node matches contains one of these. */
  required: string[] | undefined;
}

const UNKNOWN: Facts = { exact: undefined, required: undefined };

function analyse(node: RegexNode, foldCase: boolean): Facts {
  switch (node.kind) {
    case 'symbols': {
      if (node.members[BEGIN_TEXT] === 1 || node.members[END_TEXT] === 1) return { exact: [''], required: undefined };
      const chars = new Set<string>();
      for (let c = 0; c < 128; c++) {
        if (node.members[c] !== 1) continue;
        const ch = String.fromCharCode(c);
        chars.add(foldCase ? ch.toLowerCase() : ch);
        if (chars.size > MAX_CLASS) return UNKNOWN;
      }
      return { exact: [...chars], required: undefined };
    }
    case 'alternate': {
      const parts = node.items.map((item) => analyse(item, foldCase));
      const exact = parts.every((p) => p.exact !== undefined) ? parts.flatMap((p) => p.exact!) : undefined;
      const required = parts.every((p) => (p.exact ?? p.required) !== undefined) ? parts.flatMap((p) => (p.exact ?? p.required)!) : undefined;
      return { exact: exact !== undefined && exact.length <= MAX_EXACT ? exact : undefined, required };
    }
    case 'repeat': {
      const inner = analyse(node.item, foldCase);
      if (node.min === 0) return node.max === 1 && inner.exact !== undefined ? { exact: [...inner.exact, ''], required: undefined } : UNKNOWN;
      const exact = node.min === 1 && node.max === 1 ? inner.exact : undefined;
      return { exact, required: inner.exact ?? inner.required };
    }
    case 'concat':
      return analyseConcat(node.items.map((item) => analyse(item, foldCase)));
  }
}

/**
 * Runs of parts with exact sets multiply out while they stay small; each run, and each part's
 * required set, is a candidate for the whole concatenation, which keeps the most selective one.
 */
function analyseConcat(parts: Facts[]): Facts {
  const candidates: string[][] = [];
  let run: string[] | undefined = [''];
  let whole = true;
  for (const part of parts) {
    if (part.exact !== undefined && run !== undefined && run.length * part.exact.length <= MAX_EXACT) {
      run = run.flatMap((a) => part.exact!.map((b) => a + b));
      continue;
    }
    whole = false;
    if (run !== undefined) candidates.push(run);
    if (part.required !== undefined) candidates.push(part.required);
    run = part.exact;
  }
  if (run !== undefined) candidates.push(run);
  if (whole) return { exact: run, required: undefined };
  let best: string[] | undefined;
  for (const c of candidates) if (best === undefined || selectivity(c) > selectivity(best)) best = c;
  return { exact: undefined, required: best };
}

/** The shortest literal's length: what a scan for the set can skip on. */
function selectivity(literals: string[]): number {
  return literals.length === 0 ? 0 : Math.min(...literals.map((l) => l.length));
}

/** Letters, digits and underscore as themselves, anything else as \xHH (all ASCII here). */
function escapeLiteral(literal: string): string {
  return literal.replace(/[^0-9A-Za-z_]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
