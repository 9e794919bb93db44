import { BEGIN_TEXT, END_TEXT, type ParsedSubset, type RegexNode } from './regex-subset.ts';

/**
 * What every match of a pattern must contain, as a tree of literals: for
 * `(?i)(password|api[_ -]?key|secret)` it is password, or api and key, or secret. If a text does
 * not satisfy it, the pattern cannot match the text. This is RE2JS's own prefilter, derived from our
 * parse so that it also covers (?i) patterns (RE2JS skips case-folded literals): under (?i) the
 * literals are lower case and are looked for in the lower-cased text, which is exact only for ASCII
 * text ('ſ' U+017F and 'K' U+212A fold to s and k in RE2 but are not lower-cased to them), so the
 * caller must use it on ASCII text only.
 *
 * Each literal is found with `indexOf`, which V8 runs as a native scan: on a 4.7 KB text that is
 * cheaper, inside a decision, than one RegExp over all the literals (which predicts its branches
 * well only in a tight loop).
 */
export type Requirement = { kind: 'literal'; text: string } | { kind: 'all' | 'any'; items: Requirement[] };

export function requiredLiterals(parsed: ParsedSubset): Requirement | undefined {
  return asNeed(analyse(parsed.root, parsed.foldCase));
}

export function satisfies(text: string, need: Requirement): boolean {
  switch (need.kind) {
    case 'literal':
      return text.includes(need.text);
    case 'all':
      for (const item of need.items) if (!satisfies(text, item)) return false;
      return true;
    case 'any':
      for (const item of need.items) if (satisfies(text, item)) return true;
      return false;
  }
}

/** Shorter literals occur in most texts: looking for them costs more than it saves. */
const MIN_LITERAL_LENGTH = 3;

interface Facts {
  /** The node matches exactly this string (anchors match the empty one). */
  literal: string | undefined;
  /** What each string the node matches contains; undefined when nothing useful is known. */
  need: Requirement | undefined;
}

const NOTHING: Facts = { literal: undefined, need: undefined };

function analyse(node: RegexNode, foldCase: boolean): Facts {
  switch (node.kind) {
    case 'symbols':
      return { literal: singleCharacter(node.members, foldCase), need: undefined };
    case 'alternate': {
      const items: Requirement[] = [];
      for (const item of node.items) {
        const need = asNeed(analyse(item, foldCase));
        if (need === undefined) return NOTHING; // a branch without a requirement: the alternation has none
        items.push(need);
      }
      return { literal: undefined, need: items.length === 1 ? items[0] : { kind: 'any', items } };
    }
    case 'repeat': {
      if (node.min === 0) return NOTHING;
      const inner = analyse(node.item, foldCase);
      return { literal: node.max === 1 ? inner.literal : undefined, need: asNeed(inner) };
    }
    case 'concat': {
      // Adjacent literal parts join into one literal; every part's requirement holds for the whole.
      const items: Requirement[] = [];
      let run: string | undefined = '';
      let allLiteral = true;
      const flush = () => {
        if (run !== undefined && run.length >= MIN_LITERAL_LENGTH) items.push({ kind: 'literal', text: run });
      };
      for (const item of node.items) {
        const facts = analyse(item, foldCase);
        if (facts.literal !== undefined) {
          run = (run ?? '') + facts.literal;
          continue;
        }
        flush();
        run = undefined;
        allLiteral = false;
        if (facts.need !== undefined) items.push(facts.need);
      }
      if (allLiteral) return { literal: run, need: undefined };
      flush();
      return { literal: undefined, need: items.length === 0 ? undefined : items.length === 1 ? items[0] : { kind: 'all', items } };
    }
  }
}

function asNeed(facts: Facts): Requirement | undefined {
  if (facts.literal !== undefined) return facts.literal.length >= MIN_LITERAL_LENGTH ? { kind: 'literal', text: facts.literal } : undefined;
  return facts.need;
}

/** The one string of a symbol set that reads one character (both cases of a letter under (?i)), or '' for an anchor. */
function singleCharacter(members: Uint8Array, foldCase: boolean): string | undefined {
  if (members[BEGIN_TEXT] === 1 || members[END_TEXT] === 1) return '';
  let found: string | undefined;
  for (let c = 0; c < 128; c++) {
    if (members[c] !== 1) continue;
    const ch = String.fromCharCode(c);
    const key = foldCase ? ch.toLowerCase() : ch;
    if (found !== undefined && found !== key) return undefined;
    found = key;
  }
  return found;
}
