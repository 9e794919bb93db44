import { GatehouseError } from '../errors.ts';
import type { DetectAllOptions, Finding } from './types.ts';
import { DETECTOR_NAMES, SURFACE_DETECTORS } from './types.ts';
import { piiWithFacts } from './pii.ts';
import { secretsWithFacts } from './secrets.ts';
import { INJECTION_NEEDLES, injectionFindings } from './injection.ts';
import { textFacts } from './text-facts.ts';
import { COMMAND_WORDS, destructiveWithFacts } from './destructive.ts';
import { scanDefinitionText } from './poisoning.ts';
import { compileRecognizers, type CompiledRecognizer } from './custom.ts';

export const DEFAULT_LIMITS = { maxChars: 4 * 1024 * 1024, maxDepth: 64, maxNodes: 100_000 } as const;
const NO_RECOGNIZERS: CompiledRecognizer[] = [];
const KEY_SCAN_MIN = 6;
const KEY_PROSE_MIN = 24;

interface Ctx {
  // Which detectors run (looked up once per call, not per string).
  pii: boolean;
  secrets: boolean;
  injection: boolean;
  destructive: boolean;
  poisoning: boolean;
  custom: CompiledRecognizer[];
  out: Finding[];
  chars: number;
  nodes: number;
  maxChars: number;
  maxDepth: number;
  maxNodes: number;
}

/**
 * Runs the detectors that apply to `surface` over every string (and object key) in a JSON value.
 * Input beyond the limits throws GatehouseError('INPUT_TOO_LARGE') rather than being partly
 * scanned: the caller fails closed (a deny with that reason) instead of allowing unscanned data.
 */
export function detectAll(value: unknown, options: DetectAllOptions): Finding[] {
  const names = options.detectors ?? SURFACE_DETECTORS[options.surface];
  if (!names) throw new GatehouseError('INPUT_INVALID', `unknown surface ${JSON.stringify(options.surface)}`);
  for (const n of names) {
    if (!(DETECTOR_NAMES as readonly string[]).includes(n)) {
      throw new GatehouseError('INPUT_INVALID', `unknown detector ${JSON.stringify(n)}`, { hint: `known: ${DETECTOR_NAMES.join(', ')}` });
    }
  }
  const limits = options.limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...options.limits };
  const run = new Set(names);
  const ctx: Ctx = {
    pii: run.has('pii'),
    secrets: run.has('secrets'),
    injection: run.has('injection'),
    destructive: run.has('destructive'),
    poisoning: run.has('poisoning'),
    custom: options.customRecognizers === undefined ? NO_RECOGNIZERS : compileRecognizers(options.customRecognizers),
    out: [],
    chars: 0,
    nodes: 0,
    maxChars: limits.maxChars,
    maxDepth: limits.maxDepth,
    maxNodes: limits.maxNodes,
  };
  walk(value, '$', undefined, 0, ctx);
  const min = options.minConfidence ?? 0;
  return min > 0 ? ctx.out.filter((f) => f.confidence >= min) : ctx.out;
}

function tooLarge(what: string, limit: number): GatehouseError {
  return new GatehouseError('INPUT_TOO_LARGE', `input exceeds the detector limit: ${what} (limit ${limit})`, {
    // gatehouse.yaml has no such setting: only library callers choose limits (detectAll's `limits`)
    hint: 'send a smaller value, or scan it in parts (library callers may pass detectAll({ limits }))',
  });
}

function count(ctx: Ctx, s: string): void {
  ctx.chars += s.length;
  if (++ctx.nodes > ctx.maxNodes) throw tooLarge('too many strings', ctx.maxNodes);
  if (ctx.chars > ctx.maxChars) throw tooLarge('too many characters', ctx.maxChars);
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return isIdentifier(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** /^[A-Za-z_$][\w$]*$/.test(key), read char by char (a regex call costs more on short keys). */
function isIdentifier(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

function walk(v: unknown, path: string, keyName: string | undefined, depth: number, ctx: Ctx): void {
  if (depth > ctx.maxDepth) throw tooLarge('nesting too deep', ctx.maxDepth);
  if (typeof v === 'string') {
    count(ctx, v);
    scanString(v, path, keyName, ctx, false);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, keyName, depth + 1, ctx);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = childPath(path, k);
      count(ctx, k);
      if (k.length >= KEY_SCAN_MIN) scanString(k, p, undefined, ctx, true);
      walk(x, p, k, depth + 1, ctx);
    }
  }
}

function scanString(s: string, path: string, keyName: string | undefined, ctx: Ctx, isKey: boolean): void {
  if (s.length === 0) return;
  const prose = !isKey || s.length >= KEY_PROSE_MIN;
  // One pass over the characters, shared by the detectors that use it to skip patterns.
  // (Destructive uses them when they are there, but is not worth a pass of its own.)
  const injection = prose && ctx.injection;
  const destructive = !isKey && ctx.destructive;
  const facts =
    ctx.pii || ctx.secrets || injection
      ? textFacts(s, injection ? INJECTION_NEEDLES : undefined, destructive ? COMMAND_WORDS : undefined)
      : undefined;
  const start = ctx.out.length;
  // One options object for all the detectors: each reads only its own fields (path for all,
  // customRecognizers for pii, keyName for secrets).
  const opts = { path, keyName, customRecognizers: ctx.custom };
  if (ctx.pii) append(ctx.out, piiWithFacts(s, opts, facts!));
  if (ctx.secrets) append(ctx.out, secretsWithFacts(s, opts, facts!));
  if (prose) {
    if (injection) append(ctx.out, injectionFindings(s, opts, facts!));
    if (ctx.poisoning) append(ctx.out, scanDefinitionText(s, path));
  }
  if (destructive) append(ctx.out, destructiveWithFacts(s, opts, facts));
  if (isKey) for (let i = start; i < ctx.out.length; i++) ctx.out[i]!.key = true;
}

function append(out: Finding[], found: readonly Finding[]): void {
  for (let i = 0; i < found.length; i++) out.push(found[i]!);
}
