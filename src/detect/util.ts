import type { Finding } from './types.ts';

/**
 * Collects one detector's findings for one string. A class rather than a closure per call: the
 * findings are built the same way, without allocating (and, under tsx, naming) a function each time.
 */
export class FindingSink {
  readonly out: Finding[] = [];
  readonly detector: string;
  readonly path: string;
  constructor(detector: string, path: string) {
    this.detector = detector;
    this.path = path;
  }

  add(type: string, start: number, end: number, confidence: number, evidence: string): void {
    this.out.push({ detector: this.detector, type, path: this.path, start, end, confidence, evidence });
  }
}

/** Shows a little of a sensitive value so a reader can find it, never enough to use it. */
export function maskValue(value: string, keepStart = 0, keepEnd = 0): string {
  const n = value.length;
  if (n <= keepStart + keepEnd + 3) return `[${n} chars]`;
  return `${value.slice(0, keepStart)}…${value.slice(n - keepEnd)} (${n} chars)`;
}

/** Short excerpt for non-sensitive evidence (injection phrases, commands). */
export function excerpt(text: string, start: number, end: number, max = 80): string {
  const s = text.slice(start, Math.min(end, start + max)).replace(/\s+/g, ' ');
  return end - start > max ? s + '…' : s;
}

const WORD = /[A-Za-z0-9_]/;
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

/** True when one of `words` (lower case) occurs within `window` chars before or after [start, end). */
export function hasContext(text: string, start: number, end: number, words: readonly string[], window = 48): boolean {
  if (words.length === 0) return false;
  const around = (text.slice(Math.max(0, start - window), start) + ' ' + text.slice(end, end + window)).toLowerCase();
  for (const w of words) if (around.includes(w)) return true;
  return false;
}

/**
 * hasContext for many spans of one text. When the text is all ASCII, lower-casing maps each char
 * to one char, so the text is lower-cased once and each side of a span is searched in place
 * instead of building and lower-casing the joined window for every span; same answers.
 */
export class ContextWords {
  private readonly text: string;
  private readonly ascii: boolean;
  private lower: string | undefined;
  constructor(text: string, ascii: boolean) {
    this.text = text;
    this.ascii = ascii;
  }

  has(start: number, end: number, words: readonly string[], window = 48): boolean {
    if (!this.ascii) return hasContext(this.text, start, end, words, window);
    if (words.length === 0) return false;
    const lower = (this.lower ??= this.text.toLowerCase());
    const before = lower.slice(Math.max(0, start - window), start);
    const after = lower.slice(end, end + window);
    for (const w of words) {
      if (before.includes(w) || after.includes(w)) return true;
      // hasContext joins the two sides with a space, which a word with a space can span
      for (let j = w.indexOf(' '); j >= 0; j = w.indexOf(' ', j + 1)) {
        if (before.endsWith(w.slice(0, j)) && after.startsWith(w.slice(j + 1))) return true;
      }
    }
    return false;
  }
}

export const CONTEXT_BOOST = 0.35;
export function boost(confidence: number, on: boolean): number {
  return on ? Math.min(1, Math.round((confidence + CONTEXT_BOOST) * 100) / 100) : confidence;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The digits of `s`, in order: whole runs sliced out rather than appended one by one. */
export function digitsOf(s: string): string {
  let out = '';
  let from = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (from < 0) from = i;
    } else if (from >= 0) {
      out += s.slice(from, i);
      from = -1;
    }
  }
  return from < 0 ? out : from === 0 ? s : out + s.slice(from);
}

/** Up to this many findings, sorting and containment use the allocation-free quadratic loops. */
const SMALL_FINDINGS = 24;

/**
 * Drops findings of the same detector, type and path whose span lies inside another's, and sorts
 * the rest by start (ascending), then end (descending). Sorts and compacts `findings` in place.
 * Short lists (the usual case) use a stable insertion sort and a scan of what is kept: no scratch
 * array and no map. Longer ones use Array#sort (stable, same order) and one pass that remembers,
 * per detector/type/path, the greatest end kept so far: both loops would be quadratic on a large
 * input full of findings (110,000 findings in 4 MB took 29 s).
 */
export function dedupe(findings: Finding[]): Finding[] {
  const n = findings.length;
  if (n > SMALL_FINDINGS) return dedupeSorted(findings.sort(byStartThenLongest));
  for (let i = 1; i < n; i++) {
    const f = findings[i]!;
    let j = i - 1;
    while (j >= 0 && byStartThenLongest(findings[j]!, f) > 0) {
      findings[j + 1] = findings[j]!;
      j--;
    }
    findings[j + 1] = f;
  }
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (!insideAny(findings, kept, f)) findings[kept++] = f;
  }
  // Setting length is a call into the runtime even when it does not change.
  if (kept < n) findings.length = kept;
  return findings;
}

function byStartThenLongest(a: Finding, b: Finding): number {
  return a.start - b.start || b.end - a.end;
}

/**
 * The compaction for findings already in byStartThenLongest order. Every finding before f starts at
 * or before f, so f lies inside one of them with its key exactly when the greatest end among them
 * reaches f's end. (A dropped finding lies inside a kept one, so the greatest end among the kept is
 * the greatest among all before f.)
 */
function dedupeSorted(findings: Finding[]): Finding[] {
  const greatestEnd = new Map<string, number>();
  let kept = 0;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const key = `${f.detector}\u0000${f.type}\u0000${f.path}`;
    const end = greatestEnd.get(key);
    if (end !== undefined && end >= f.end) continue;
    greatestEnd.set(key, f.end);
    findings[kept++] = f;
  }
  findings.length = kept;
  return findings;
}

/** Whether one of the first `count` of `kept` has f's detector, type and path and contains its span. */
function insideAny(kept: readonly Finding[], count: number, f: Finding): boolean {
  for (let i = 0; i < count; i++) {
    const o = kept[i]!;
    if (o.detector === f.detector && o.type === f.type && o.path === f.path && o.start <= f.start && o.end >= f.end) return true;
  }
  return false;
}

/**
 * Visits the matches `text.matchAll(re)` gives for a global `re` that never matches empty, found by
 * trying `sticky` (the same pattern with flag y instead of g) only at the ascending `starts`, without
 * collecting them. Sound only when every position a match can start at is among them; the caller
 * proves that. `visit` must not use `sticky`.
 */
export function eachMatchAtStarts(text: string, sticky: RegExp, starts: readonly number[], visit: (m: RegExpExecArray) => void): void {
  let next = 0;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if (s < next) continue;
    sticky.lastIndex = s;
    const m = sticky.exec(text);
    if (m === null) continue;
    next = s + m[0].length;
    visit(m);
  }
}

export function stickyOf(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace('g', '') + 'y');
}

/**
 * Starts a walk over the matches of a global regex that never matches empty:
 * `for (let m = firstMatch(re, text); m !== null; m = re.exec(text))` visits the matches execAll
 * gives, without collecting them first; so the loop body must not use `re` itself. (A walk that
 * runs to the end leaves lastIndex at 0, as exec does when it finds no more.)
 */
export function firstMatch(re: RegExp, text: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(text);
}

/**
 * All matches of a global regex, as `[...text.matchAll(re)]` gives them, without the regex copy
 * matchAll makes on every call (which dominates on short strings). Collected before the caller's
 * loop runs, so sharing `re` is safe. Resets lastIndex.
 */
export function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}
