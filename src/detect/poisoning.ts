import type { Finding } from './types.ts';
import { detectInjection } from './injection.ts';
import { excerpt, execAll } from './util.ts';

export interface ToolDefinition {
  name?: string;
  description?: string;
  inputSchema?: unknown;
  /** Other tools' names the agent can see: a description that mentions them is suspect. */
  [key: string]: unknown;
}

export interface PoisoningOptions {
  otherToolNames?: readonly string[];
  /** Path prefix for findings (default '$'). */
  path?: string;
}

const SENSITIVE =
  /~\/\.ssh\b|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|(?:^|[\s'"`/])\.env\b|\bmcp\.json\b|\.cursor\/|\bprivate[ _]keys?\b|\bssh keys?\b|\bseed phrase\b|\bconversation history\b|\bsystem prompt\b|\/etc\/(?:passwd|shadow)\b|\bcredentials? files?\b/gi;
const INSTRUCTS =
  /\b(?:you (?:must|should|need to|have to|are required to)|always|never|before (?:using|calling|running|answering)|after (?:using|calling|running)|make sure (?:to|you)|it is (?:critical|important|mandatory) (?:that|to)|(?:first|also) (?:read|call|send|include|pass|fetch))\b/gi;
const OTHER_TOOL =
  /\b(?:instead of|rather than|do not use|don't use|never use)\s+(?:using\s+|calling\s+)?(?:the\s+|any\s+)?[`'"]?[A-Za-z][\w.-]{0,60}[`'"]?\s+(?:tool|function)\b|\b(?:call|use|invoke|run)\s+(?:the\s+)?[`'"]?[A-Za-z][\w.-]{1,60}[`'"]?\s+(?:tool|function)\s+(?:first|before|instead)\b/gi;
// Lower-case literals every match of the pattern above contains (a cheap prefilter on the
// lower-cased text; none of these patterns has the u flag, so only ASCII matches ASCII letters).
const SENSITIVE_NEEDLES = /\.ssh|id_|\.aws\/credentials|\.env|mcp\.json|\.cursor\/|private|ssh key|seed phrase|conversation history|system prompt|\/etc\/|credential/;
const INSTRUCTS_NEEDLES = /you |always|never|before |after |make sure |it is |first |also /;
const OTHER_TOOL_NEEDLES = /tool|function/;
const READ_THEN_SEND_NEEDLES = /~\/|\/etc\/|\.ssh|\.env|credentials|config/;
const HIDDEN_SPACE = /(?<![ \t])[ \t]{40,}(?=\S)|(?<!\n)\n{8,}(?=\S)/g;
const READ_THEN_SEND = /\b(?:read|cat|open|load|access)\b[^\n]{0,80}?(?:~\/|\/etc\/|\.ssh|\.env|credentials|config)[^\n]{0,120}?\b(?:pass|send|include|put|add|append)\b[^\n]{0,60}?\b(?:parameter|param|argument|field|sidenote|notes?|context)\b/gi;

/**
 * Looks for a tool definition that tries to steer the model: instructions, hidden text, mentions of
 * secrets or of other tools. Scans name, description and every string (and key) of inputSchema.
 */
export function detectPoisonedDefinition(def: ToolDefinition, opts: PoisoningOptions = {}): Finding[] {
  const root = opts.path ?? '$';
  const out: Finding[] = [];
  const texts: Array<[string, string]> = [];
  if (typeof def.name === 'string') texts.push([`${root}.name`, def.name]);
  if (typeof def.description === 'string') texts.push([`${root}.description`, def.description]);
  collect(def.inputSchema, `${root}.inputSchema`, texts, 0);
  const others = (opts.otherToolNames ?? []).filter((n) => n.length >= 3 && n !== def.name);
  for (const [path, text] of texts) scanText(text, path, others, out);
  return out;
}

/** Scans one description-like string (used by detectAll on the definition surface). */
export function scanDefinitionText(text: string, path: string, otherToolNames: readonly string[] = []): Finding[] {
  const out: Finding[] = [];
  scanText(text, path, otherToolNames, out);
  return out;
}

function scanText(text: string, path: string, others: readonly string[], out: Finding[]): void {
  const add = (type: string, start: number, end: number, confidence: number, evidence?: string) =>
    out.push({ detector: 'poisoning', type, path, start, end, confidence, evidence: evidence ?? excerpt(text, start, end) });
  for (const f of detectInjection(text, { path }).findings) add(f.type, f.start, f.end, f.confidence, f.evidence);
  const lower = text.toLowerCase();
  const instructs = INSTRUCTS_NEEDLES.test(lower) ? execAll(INSTRUCTS, text) : [];
  const sensitive = SENSITIVE_NEEDLES.test(lower) ? execAll(SENSITIVE, text) : [];
  if (READ_THEN_SEND_NEEDLES.test(lower)) {
    for (const m of execAll(READ_THEN_SEND, text)) add('exfiltration', m.index, m.index + m[0].length, 0.85);
  }
  // An imperative alone is ordinary documentation ("always returns JSON"); with a secret nearby it is not.
  for (const s of sensitive) {
    const near = instructs.find((m) => Math.abs(m.index - s.index) < 200);
    if (near) {
      const a = Math.min(near.index, s.index);
      const b = Math.max(near.index + near[0].length, s.index + s[0].length);
      add('mentions_secrets', a, b, 0.7);
      break;
    }
  }
  if (instructs.length >= 3) {
    const first = instructs[0]!;
    add('instructs_model', first.index, first.index + first[0].length, 0.4, `${instructs.length} imperative phrases addressed to the model`);
  }
  if (OTHER_TOOL_NEEDLES.test(lower)) {
    for (const m of execAll(OTHER_TOOL, text)) add('mentions_other_tools', m.index, m.index + m[0].length, 0.4);
  }
  if (others.length > 0) {
    for (const name of others) {
      const at = lower.indexOf(name.toLowerCase());
      if (at >= 0 && !/[\w]/.test(lower[at + name.length] ?? ' ') && !/[\w]/.test(lower[at - 1] ?? ' ')) {
        add('mentions_other_tools', at, at + name.length, 0.6, `mentions tool ${name}`);
      }
    }
  }
  for (const m of execAll(HIDDEN_SPACE, text)) add('hidden_text', m.index, m.index + m[0].length, 0.6, `${m[0].length} chars of padding before more text`);
}

function collect(v: unknown, path: string, out: Array<[string, string]>, depth: number): void {
  if (depth > 32 || out.length > 10_000) return;
  if (typeof v === 'string') out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => collect(x, `${path}[${i}]`, out, depth + 1));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      if (k.length > 24) out.push([p, k]);
      collect(x, p, out, depth + 1);
    }
  }
}
