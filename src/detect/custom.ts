import { RE2JS } from '@bufbuild/re2';
import { GatehouseError } from '../errors.ts';
import type { CustomRecognizer, ValidatorName } from './types.ts';
import { VALIDATORS } from './validators.ts';
import { boost, FindingSink, ContextWords, maskValue } from './util.ts';

/**
 * Custom recognizers come from policy authors, so their patterns are untrusted. A pattern must:
 *  1. parse as RE2 (@bufbuild/re2): no backreferences, no lookaround;
 *  2. be bounded: no `*`, `+` or `{n,}`, no repeated group that itself repeats, a longest match
 *     of at most MAX_MATCH_LENGTH chars and at most MAX_BACKTRACK_PATHS ways to match at one
 *     position (the product of the repeat ranges).
 * Then the work per start position is a constant of the pattern and a scan is linear in the
 * input, even on V8's backtracking engine, which we still use because it reports offsets.
 */
export const MAX_MATCH_LENGTH = 256;
export const MAX_BACKTRACK_PATHS = 10_000;

export interface CompiledRecognizer {
  readonly compiled: true;
  name: string;
  regex: RegExp;
  validate: ((s: string) => boolean) | undefined;
  context: string[];
  confidence: number;
}

interface Shape {
  max: number;
  paths: number;
  repeats: boolean;
}

class PatternShape {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Shape {
    const s = this.alt();
    if (this.i < this.p.length) throw new Error(`unexpected ')' at ${this.i}`);
    return s;
  }

  private alt(): Shape {
    const branches = [this.seq()];
    while (this.p[this.i] === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return {
      max: Math.max(...branches.map((b) => b.max)),
      paths: branches.reduce((a, b) => a + b.paths, 0),
      repeats: branches.some((b) => b.repeats),
    };
  }

  private seq(): Shape {
    const out: Shape = { max: 0, paths: 1, repeats: false };
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const atom = this.quantified(this.atom());
      out.max += atom.max;
      out.paths *= atom.paths;
      out.repeats ||= atom.repeats;
    }
    return out;
  }

  private atom(): Shape {
    const p = this.p;
    const c = p[this.i++];
    if (c === '(') {
      if (p[this.i] === '?') {
        const close = p.indexOf(')', this.i);
        const colon = p.indexOf(':', this.i);
        const named = p.startsWith('?P<', this.i) || p.startsWith('?<', this.i);
        if (named) this.i = p.indexOf('>', this.i) + 1;
        else if (colon >= 0 && colon < close) this.i = colon + 1;
        else throw new Error('inline flag groups are not supported; use the recognizer\'s flags');
      }
      const inner = this.alt();
      if (p[this.i++] !== ')') throw new Error('missing )');
      return inner;
    }
    if (c === '[') {
      if (p[this.i] === '^') this.i++;
      if (p[this.i] === ']') this.i++;
      while (this.i < p.length && p[this.i] !== ']') {
        if (p[this.i] === '\\') this.i++;
        else if (p.startsWith('[:', this.i)) this.i = p.indexOf(':]', this.i) + 1;
        this.i++;
      }
      this.i++;
      return { max: 1, paths: 1, repeats: false };
    }
    if (c === '\\') {
      const e = p[this.i++];
      if ((e === 'p' || e === 'P' || e === 'x') && p[this.i] === '{') this.i = p.indexOf('}', this.i) + 1;
      else if (e === 'p' || e === 'P') this.i++;
      else if (e === 'x') this.i += 2;
      const zeroWidth = e === 'b' || e === 'B' || e === 'A' || e === 'z';
      return { max: zeroWidth ? 0 : 1, paths: 1, repeats: false };
    }
    if (c === '^' || c === '$') return { max: 0, paths: 1, repeats: false };
    return { max: 1, paths: 1, repeats: false };
  }

  private quantified(atom: Shape): Shape {
    const p = this.p;
    const c = p[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+') throw new Error(`unbounded repeat '${c}': write a bound such as {1,64}`);
    if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
      if (!m) return atom;
      if (m[2] !== undefined && m[3] === '') throw new Error(`unbounded repeat '${m[0]}': give an upper bound`);
      min = Number(m[1]);
      max = m[3] !== undefined ? Number(m[3]) : min;
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (p[this.i] === '?') this.i++;
    if (atom.repeats && max > 1) throw new Error('nested repeat: a repeated group may not contain a repeat');
    return { max: atom.max * max, paths: atom.paths * (max - min + 1), repeats: max > 1 || atom.repeats };
  }
}

const cache = new WeakMap<object, CompiledRecognizer>();

function invalid(r: CustomRecognizer, message: string): GatehouseError {
  return new GatehouseError('POLICY_INVALID', `custom recognizer ${JSON.stringify(r.name)}: ${message}`, {
    details: [{ where: `recognizer ${r.name}`, message }],
    hint: 'see docs/DETECTION.md, "Custom recognizers", for what a pattern may contain',
  });
}

/** Validates and compiles one recognizer; throws GatehouseError('POLICY_INVALID') with the reason. */
export function compileRecognizer(r: CustomRecognizer): CompiledRecognizer {
  const hit = cache.get(r);
  if (hit) return hit;
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(r.name ?? '')) throw invalid(r, 'name must be lower_snake_case, at most 64 chars');
  const flags = r.flags ?? '';
  if (!/^i?$/.test(flags)) throw invalid(r, `flags ${JSON.stringify(flags)} not supported (only "i")`);
  if (typeof r.pattern !== 'string' || r.pattern.length === 0 || r.pattern.length > 1000) throw invalid(r, 'pattern must be 1..1000 chars');
  try {
    new RE2JS(r.pattern, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw invalid(r, `not a valid RE2 pattern: ${(error as Error).message}`);
  }
  let shape: Shape;
  try {
    shape = new PatternShape(r.pattern).parse();
  } catch (error) {
    throw invalid(r, (error as Error).message);
  }
  if (shape.max > MAX_MATCH_LENGTH) throw invalid(r, `can match ${shape.max} chars; the limit is ${MAX_MATCH_LENGTH}`);
  if (shape.paths > MAX_BACKTRACK_PATHS) throw invalid(r, `too many ways to match (${shape.paths}); narrow the repeat ranges`);
  if (shape.max === 0) throw invalid(r, 'pattern matches only the empty string');
  let regex: RegExp;
  try {
    regex = new RegExp(r.pattern, 'g' + flags);
  } catch (error) {
    throw invalid(r, `not accepted by JavaScript: ${(error as Error).message}`);
  }
  let validate: ((s: string) => boolean) | undefined;
  if (r.validator !== undefined) {
    validate = VALIDATORS[r.validator as ValidatorName];
    if (!validate) throw invalid(r, `unknown validator ${JSON.stringify(r.validator)} (known: ${Object.keys(VALIDATORS).join(', ')})`);
  }
  const confidence = r.confidence ?? 0.6;
  if (!(confidence >= 0 && confidence <= 1)) throw invalid(r, 'confidence must be within 0..1');
  const out: CompiledRecognizer = {
    compiled: true,
    name: r.name,
    regex,
    validate,
    context: (r.context ?? []).map((w) => w.toLowerCase()),
    confidence,
  };
  cache.set(r, out);
  return out;
}

export function compileRecognizers(list: readonly (CustomRecognizer | CompiledRecognizer)[]): CompiledRecognizer[] {
  return list.map((r) => ('compiled' in r ? (r as CompiledRecognizer) : compileRecognizer(r as CustomRecognizer)));
}

export function scanCustom(text: string, recognizers: readonly CompiledRecognizer[], ctx: ContextWords | undefined, sink: FindingSink): void {
  for (const r of recognizers) {
    r.regex.lastIndex = 0;
    for (const m of text.matchAll(r.regex)) {
      if (m[0].length === 0) continue;
      if (r.validate && !r.validate(m[0])) continue;
      const end = m.index + m[0].length;
      sink.add(r.name, m.index, end, boost(r.confidence, ctx !== undefined && ctx.has(m.index, end, r.context)), `${r.name} ${maskValue(m[0], 0, 2)}`);
    }
  }
}
