import type { Finding, TextOptions } from './types.ts';
import { dedupe, entropy, execAll, maskValue } from './util.ts';
import { textFacts, type TextFacts } from './text-facts.ts';

export interface SecretsOptions extends TextOptions {
  /** Name of the JSON key holding `text`, if any: a secret-ish name makes a bare value suspect. */
  keyName?: string;
}

interface Rule {
  type: string;
  re: RegExp;
  confidence: number;
  /** Literal (or literal-only pattern) that every match contains: a cheap prefilter. */
  needle?: string | RegExp;
  check?: (m: RegExpExecArray) => boolean;
  /** Capture group holding the secret itself (default whole match). */
  group?: number;
  /** Length of a run of [A-Za-z0-9_-] that every match contains: a cheap prefilter. */
  minRun?: number;
  /** Every match contains ':' or '=': skipped, without a needle search, when the text has neither. */
  colonOrEquals?: boolean;
}

/**
 * Values that look like secrets but are not: documentation examples, placeholders and variable
 * references. AWS's documented example keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)
 * are placeholders: they appear in countless READMEs and never authenticate.
 */
const PLACEHOLDER =
  /^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][A-Za-z0-9_]*\)?|\{\{[^}]*\}\}|<[^>]*>|%[A-Za-z_]+%|\[[^\]]*\]|(?:process\.env|os\.environ|env)[.[].*|.*EXAMPLE.*|.*example.*|(?:x{3,}|X{3,}|\*{3,}|\.{3,}|0{6,}|#{3,}).*|.*(?:your|my)[_-]?(?:api[_-]?)?(?:key|token|secret|password).*|.*(?:placeholder|changeme|change[_-]me|redacted|dummy|sample|fake|test[_-]?key|insert[_-]).*|(?:true|false|null|none|undefined|password|secret|token)$)/i;

export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER.test(value)) return true;
  // a single repeated character or an obvious sequence
  return /^(.)\1+$/.test(value) || /^(?:0123456789|1234567890|abcdef|qwerty)+$/i.test(value);
}

function jwtHeaderOk(m: RegExpExecArray): boolean {
  try {
    const head = JSON.parse(atob(m[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    return typeof head === 'object' && head !== null && 'alg' in head;
  } catch {
    return false;
  }
}

const RULES: Rule[] = [
  { type: 'aws_access_key', minRun: 20, re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g, confidence: 0.95, needle: /AKIA|ASIA|ABIA|ACCA/ },
  {
    type: 'aws_secret_key',
    re: /aws.{0,20}?(?:secret|private).{0,20}?["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    confidence: 0.9,
    group: 1,
    needle: /aws/i,
    colonOrEquals: true,
  },
  { type: 'github_token', minRun: 40, re: /(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})(?![\w])/g, confidence: 0.95, needle: /gh[pousr]_|github_pat_/ },
  { type: 'gitlab_token', minRun: 26, re: /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}(?![\w-])/g, confidence: 0.95, needle: 'glpat-' },
  { type: 'slack_token', minRun: 15, re: /(?<![\w-])xox[baprse]-[A-Za-z0-9-]{10,250}(?![\w-])/g, confidence: 0.9, needle: 'xox' },
  { type: 'slack_webhook', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g, confidence: 0.9, needle: 'hooks.slack.com', colonOrEquals: true },
  { type: 'stripe_key', minRun: 28, re: /(?<![\w])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247}(?![\w])/g, confidence: 0.9, needle: 'k_' },
  { type: 'google_api_key', minRun: 39, re: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, confidence: 0.9, needle: 'AIza' },
  { type: 'openai_api_key', minRun: 51, re: /(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}(?![\w-])|(?<![\w-])sk-[A-Za-z0-9]{48}(?![\w-])/g, confidence: 0.9, needle: 'sk-' },
  { type: 'anthropic_api_key', minRun: 90, re: /(?<![\w-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}(?![\w-])/g, confidence: 0.95, needle: 'sk-ant-' },
  { type: 'npm_token', minRun: 40, re: /(?<![\w])npm_[A-Za-z0-9]{36}(?![\w])/g, confidence: 0.9, needle: 'npm_' },
  { type: 'sendgrid_key', minRun: 43, re: /(?<![\w])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![\w-])/g, confidence: 0.9, needle: 'SG.' },
  { type: 'twilio_key', minRun: 34, re: /(?<![\w])SK[0-9a-f]{32}(?![\w])/g, confidence: 0.6, needle: 'SK' },
  { type: 'huggingface_token', minRun: 37, re: /(?<![\w])hf_[A-Za-z0-9]{34,40}(?![\w])/g, confidence: 0.9, needle: 'hf_' },
  {
    type: 'private_key',
    re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g,
    confidence: 1,
    needle: '-----BEGIN',
  },
  {
    type: 'jwt', minRun: 16,
    re: /(?<![\w-])(eyJ[A-Za-z0-9_-]{8,1000})\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{16,1000}(?![\w-])/g,
    confidence: 0.85,
    needle: 'eyJ',
    check: jwtHeaderOk,
  },
  {
    type: 'connection_string',
    re: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|jdbc:[a-z]+|ftp|sftp|smtp|https?):\/\/[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{1,256})@[^\s"'<>]{1,256}/gi,
    confidence: 0.9,
    needle: '://',
    group: 1,
    colonOrEquals: true,
  },
];

/**
 * RULES with every field present, in one order: the loop over them then reads objects of one
 * shape (the literals above have five), so its property reads stay monomorphic.
 */
const UNIFORM_RULES: Required<Rule>[] = RULES.map((r) => ({
  type: r.type,
  re: r.re,
  confidence: r.confidence,
  needle: r.needle ?? '',
  check: r.check ?? acceptAll,
  group: r.group ?? 0,
  minRun: r.minRun ?? 0,
  colonOrEquals: r.colonOrEquals ?? false,
}));

function acceptAll(): boolean {
  return true;
}

/** `api_key = "…"`, `"password": "…"`, `TOKEN=…`: a secret-ish name bound to a literal value. */
const ASSIGNMENT =
  /\b([A-Za-z0-9_.-]{0,40}?(?:api[_-]?key|apikey|secret|token|passwd|password|pwd|auth|credential|private[_-]?key|access[_-]?key|client[_-]?secret|bearer)[A-Za-z0-9_.-]{0,20})["']?\s{0,3}(?:[:=]|:=|=>)\s{0,3}(?:["']([^"'\s]{6,256})["']|([^\s"',;)}\]]{8,256}))/gi;
const BEARER = /\b(?:Bearer|Basic|token)\s+([A-Za-z0-9._~+/=-]{20,512})/g;
const SECRETISH_KEY = /(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|credential|private[_-]?key|access[_-]?key|auth)/i;

function highEntropy(value: string): boolean {
  if (value.length < 16) return false;
  const classes = +/[a-z]/.test(value) + +/[A-Z]/.test(value) + +/\d/.test(value) + +/[^A-Za-z0-9]/.test(value);
  return classes >= 2 && entropy(value) >= 3.5;
}

export function detectSecrets(text: string, opts: SecretsOptions = {}): Finding[] {
  return secretsWithFacts(text, opts, textFacts(text));
}

function pushSecret(out: Finding[], path: string, type: string, start: number, end: number, confidence: number, value: string): void {
  out.push({ detector: 'secrets', type, path, start, end, confidence, evidence: `${type} ${maskValue(value, 4, 0)}` });
}

/** detectSecrets with the string's facts already computed (detectAll shares them between detectors). */
export function secretsWithFacts(text: string, opts: SecretsOptions, facts: TextFacts): Finding[] {
  const path = opts.path ?? '$';
  const out: Finding[] = [];
  for (let r = 0; r < UNIFORM_RULES.length; r++) {
    const rule = UNIFORM_RULES[r]!;
    if (facts.tokenRun < rule.minRun || (rule.colonOrEquals && !facts.colonOrEquals)) continue;
    if (!(typeof rule.needle === 'string' ? text.includes(rule.needle) : rule.needle.test(text))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (!rule.check(m)) continue;
      const value = rule.group ? m[rule.group]! : m[0];
      if (isPlaceholder(value)) continue;
      const start = rule.group ? m.index + m[0].lastIndexOf(value) : m.index;
      pushSecret(out, path, rule.type, start, start + value.length, rule.confidence, value);
    }
  }
  if (text.length >= 8 && facts.colonOrEquals) {
    for (const m of execAll(ASSIGNMENT, text)) {
      const value = m[2] ?? m[3]!;
      if (isPlaceholder(value) || /^[a-z_]+\(|^\w+\.\w+\(/.test(value)) continue;
      const start = m.index + m[0].length - value.length - (m[2] !== undefined ? 1 : 0);
      const name = m[1]!.toLowerCase();
      const isPassword = /passw|pwd/.test(name);
      if (highEntropy(value)) pushSecret(out, path, 'generic_high_entropy', start, start + value.length, 0.7, value);
      else if (isPassword && value.length >= 6) pushSecret(out, path, 'password', start, start + value.length, 0.6, value);
    }
  }
  // A bearer match holds a run of at least 20 chars of its alphabet.
  if (facts.bearerRun >= 20 && /Bearer|Basic|token/.test(text)) {
    for (const m of execAll(BEARER, text)) {
      const value = m[1]!;
      if (isPlaceholder(value) || !highEntropy(value)) continue;
      const start = m.index + m[0].length - value.length;
      pushSecret(out, path, 'bearer_token', start, start + value.length, 0.75, value);
    }
  }
  if (opts.keyName && text.length <= 600 && SECRETISH_KEY.test(opts.keyName)) {
    const v = text.trim();
    if (/^\S{8,512}$/.test(v) && !isPlaceholder(v) && (highEntropy(v) || /passw|pwd/i.test(opts.keyName))) {
      const start = text.indexOf(v);
      pushSecret(out, path, highEntropy(v) ? 'generic_high_entropy' : 'password', start, start + v.length, highEntropy(v) ? 0.7 : 0.6, v);
    }
  }
  return out.length === 0 ? out : dropOverlapsWithSpecific(dedupe(out));
}

/** A specific match (aws_access_key) wins over a generic one covering the same value. */
const GENERIC = new Set(['generic_high_entropy', 'password', 'bearer_token']);

/** `findings` in dedupe's order (by start). Long lists take the sweep: `some` per finding is quadratic. */
export function dropOverlapsWithSpecific(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const generic = GENERIC;
  if (findings.length > 24) return dropOverlapsSweep(findings);
  return findings.filter(
    (f) => !generic.has(f.type) || !findings.some((o) => !generic.has(o.type) && o.start < f.end && o.end > f.start),
  );
}

/**
 * The same filter in O(n log n): the specific findings in start order with the greatest end among
 * each prefix. A generic finding overlaps a specific one exactly when, among the specific findings
 * that start before it ends, the greatest end is past its start.
 */
function dropOverlapsSweep(findings: Finding[]): Finding[] {
  const starts: number[] = [];
  const greatestEnd: number[] = [];
  for (const o of findings) {
    if (GENERIC.has(o.type)) continue;
    starts.push(o.start);
    greatestEnd.push(Math.max(o.end, greatestEnd.length > 0 ? greatestEnd[greatestEnd.length - 1]! : -1));
  }
  if (starts.length === 0) return findings;
  return findings.filter((f) => {
    if (!GENERIC.has(f.type)) return true;
    const before = countBelow(starts, f.end);
    return before === 0 || greatestEnd[before - 1]! <= f.start;
  });
}

/** How many of the ascending `values` are below `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
