import type { Finding, TextOptions } from './types.ts';
import { excerpt, execAll } from './util.ts';
import { NeedleGroups } from './needles.ts';
import { textFacts, type TextFacts } from './text-facts.ts';

export interface InjectionResult {
  findings: Finding[];
  /** 0..1: 1 − Π(1 − c) over the strongest finding of each type. */
  score: number;
  /** One line per type that contributed to the score. */
  evidence: string[];
}

interface Signal {
  type: string;
  re: RegExp;
  confidence: number;
  /**
   * Lower-case literals of which every match contains at least one (checked on the lower-cased
   * text, a cheap prefilter: without one the pattern cannot match and is not run). Keep in step
   * with `re`. Sound because these patterns have no `u` flag, so no non-ASCII character matches
   * an ASCII letter even under `i`.
   */
  needles: readonly string[];
}

const OVERRIDE_NOUN =
  '(?:instructions?|prompts?|rules|guidelines|directives?|constraints|programming|guardrails?|restrictions|limitations|policies|commands?|orders|training|messages?|safety filters?|filters)';
const PRIOR =
  '(?:your|my|the|all|any|previous|prior|above|earlier|preceding|original|initial|existing|system|safety|these|those|of|developer|following|below|and|or|other|ethical|security)';

const SIGNALS: Signal[] = [
  {
    type: 'instruction_override',
    re: new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|discard|abandon|neglect|set aside)\\s+(?:${PRIOR}\\s+){1,4}${OVERRIDE_NOUN}\\b` +
        `|\\b(?:ignore|disregard|forget)\\s+(?:everything|all(?: of)? that|what you were told)\\s*(?:before|above|earlier|previously|so far)?` +
        `|\\bignore\\s+(?:the\\s+)?(?:rest of (?:this|the) (?:data|text|document|page|input)|(?:instructions\\s+)?below)\\b` +
        `|\\b(?:new|updated|real|actual|revised) (?:system )?instructions?\\s*(?:[:\\-]|follow|are\\b)` +
        `|\\bfrom now on,? (?:you (?:will|must|are|shall|should)|ignore|respond|act|answer)` +
        `|\\byour (?:new|real|true) (?:role|task|purpose|goal|objective|instructions?) (?:is|are)\\b`,
      'gi',
    ),
    confidence: 0.9,
    needles: ['ignore', 'disregard', 'forget', 'override', 'bypass', 'discard', 'abandon', 'neglect', 'set aside', 'instruction', 'from now on', 'your new', 'your real', 'your true'],
  },
  {
    type: 'jailbreak',
    re: new RegExp(
      [
        String.raw`\b(?:you are now|act as|pretend (?:to be|you are|you have)|roleplay as|behave as)\b[^.\n]{0,60}?\b(?:unrestricted|unfiltered|uncensored|jailbroken|without (?:any )?(?:restrictions|limits|filters|rules|guidelines)|no (?:restrictions|limits|filters|rules|guidelines|safety)|DAN|evil|developer mode)\b`,
        String.raw`\bdo anything now\b`,
        String.raw`\b(?:developer|god|jailbreak|dan) mode (?:enabled|activated|on)\b`,
        String.raw`\b(?:respond|answer|reply)\b[^.\n]{0,30}?\bwithout (?:any )?(?:restrictions|filters|limitations|guidelines|safety)\b`,
        String.raw`\bnot bound by (?:any |all )?(?:rules|restrictions|limitations|guidelines|policies|censorship)\b`,
        String.raw`\bno (?:moral|ethical) (?:boundaries|guidelines|restrictions|limits|constraints)\b`,
        String.raw`\b(?:ignores?|ignoring) all (?:ethical |moral |safety )?(?:guidelines|limitations|restrictions|rules)\b`,
        String.raw`\bnever refuses? (?:any )?(?:request|question|prompt)s?\b`,
        String.raw`\b(?:unrestricted|uncensored|unfiltered|jailbroken) (?:ai|chatbot|assistant|mode|model|bot|outputs?|version)\b`,
        String.raw`\b(?:bypass|disable|turn off|deactivate) (?:the |all |your |any )?(?:safety|content|validation|security|moderation) (?:filters?|guard(?:rail)?s?|checks?|restrictions|protocols?)\b`,
      ].join('|'),
      'gi',
    ),
    confidence: 0.75,
    needles: ['you are now', 'act as', 'pretend', 'roleplay as', 'behave as', 'do anything now', ' mode ', 'without', 'not bound by', 'no moral', 'no ethical', 'ignor', 'never refuse', 'unrestricted', 'uncensored', 'unfiltered', 'jailbroken', 'bypass', 'disable', 'turn off', 'deactivate'],
  },
  {
    type: 'role_marker',
    re: new RegExp(
      [
        String.raw`<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>`,
        String.raw`\[\/?INST\]`,
        String.raw`<<\/?SYS>>`,
        String.raw`\[(?:SYSTEM|ADMIN|DEVELOPER|OPERATOR)(?: (?:MESSAGE|NOTE|OVERRIDE|PROMPT|INSTRUCTIONS?))?\]`,
        String.raw`<\/?(?:system|system_prompt|sys|system-prompt)>`,
        String.raw`^[ \t]*(?:#{1,3}[ \t]*)?(?:system|SYSTEM)(?:[ \t]+(?:prompt|message|override|note))?[ \t]*:`,
        String.raw`\b(?:SYSTEM|ADMIN) (?:OVERRIDE|MESSAGE|NOTICE)\b`,
        String.raw`\b[Uu]ser (?:input|message) (?:ended|ends|terminat\S*)`,
        String.raw`\[USER INPUT ENDS HERE\]`,
        String.raw`\b[Ss]ystem (?:announ\S*|i-?nstruction|message|directive)s? begins?\b`,
        String.raw`\b[Dd]irective for the (?:system|ai|assistant|model)\b`,
        String.raw`\b[Ff]lagged for (?:the )?AI\b`,
      ].join('|'),
      'gm',
    ),
    confidence: 0.8,
    needles: ['<|', 'inst]', 'sys>>', '<sys', '</sys', 'system', 'admin', '[developer', '[operator', 'user input', 'user message', 'directive for the', 'flagged for'],
  },
  {
    type: 'hidden_tag',
    re: /<(?:IMPORTANT|important|Important|instructions?|INSTRUCTIONS?|secret|SECRET|hidden|HIDDEN|system-reminder|admin|ADMIN|note_to_ai|ai_instructions?)>|<!--[^>]{0,400}?(?<![\w-])(?:ignore (?:all|any|the|previous|prior)|instructions? (?:for|to)|assistant|AI (?:model|agent)s?|LLM|you must|execute|call the)\b[^>]{0,400}?-->/g,
    confidence: 0.7,
    needles: ['<'],
  },
  {
    type: 'model_addressed',
    re: /\b(?:note|message|attention|instructions?|reminder)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|assistant|llm|model|agent|chatbot|claude|gpt|chatgpt|copilot)s?\b|\bif you are an? (?:ai|llm|large language model|language model|assistant|agent|bot)\b|\b(?:ai|llm)\s+(?:assistants?|agents?|models?)\s+(?:reading|processing|summari[sz]ing) this\b|\bdear (?:ai|assistant|llm|model|agent)\b/gi,
    confidence: 0.65,
    needles: ['note', 'message', 'attention', 'instruction', 'reminder', 'if you are a', 'reading', 'processing', 'summari', 'dear '],
  },
  {
    type: 'concealment',
    re: /\b(?:do not|don't|never|must not)\s+(?:tell|inform|mention|reveal|show|alert|notify|disclose)\s+(?:this\s+|it\s+|anything\s+)?(?:to\s+)?(?:the\s+)?user\b|\bwithout\s+(?:telling|informing|notifying|alerting|asking)\s+(?:the\s+)?user\b|\b(?:keep|hide)\s+(?:this|it)\s+(?:secret|hidden)\s+from\s+(?:the\s+)?user\b|\bthe user (?:must not|should not|cannot|won't) (?:know|see|find out|notice)\b|\b(?:do not|don't|never) (?:reveal|mention|disclose) (?:this|it|these)(?: \w+)? to the user\b/gi,
    confidence: 0.75,
    needles: ['user'],
  },
  {
    type: 'exfiltration',
    re: /\b(?:send|post|upload|forward|email|transmit|exfiltrate|leak|submit|append|include)\b[^\n]{0,80}?\b(?:conversation|chat history|system prompt|api[ _-]?keys?|credentials?|passwords?|secrets?|access tokens?|env(?:ironment)? variables?|\.env|ssh keys?|id_rsa|private keys?|cookies?|session tokens?)\b[^\n]{0,80}?(?:\bto\b|\bat\b|\bvia\b|\binto\b)\s*(?:https?:\/\/|[\w.+-]+@[\w-]+\.|(?:the|this|my|our)\s+(?:following\s+)?(?:url|endpoint|webhook|server|address|email))|!\[[^\]\n]{0,100}\]\(https?:\/\/[^)\s]{1,300}\?[^)\s]{0,300}=(?:\{|%7B|\$|<)/gi,
    confidence: 0.8,
    needles: ['conversation', 'chat history', 'system prompt', 'api', 'credential', 'password', 'secret', 'access token', 'env', 'ssh key', 'id_rsa', 'private key', 'cookie', 'session token', '!['],
  },
  {
    type: 'tool_invocation',
    re: /\b(?:you must|now|immediately|first|also)\s+(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?[`'"]?[A-Za-z][\w.-]{1,60}[`'"]?\s+(?:tool|function)\b|\b(?:before|after|instead of)\s+(?:using|calling|running)\s+(?:any|another|other)\s+(?:\w+\s+)?tools?\b/gi,
    confidence: 0.6,
    needles: ['tool', 'function'],
  },
  {
    type: 'prompt_leak',
    re: /\b(?:reveal|print|show|output|repeat|display|leak|dump|tell me)\s+(?:me\s+)?(?:your|the)\s+(?:(?:full|entire|complete|original|hidden|secret|initial|exact)\s+)?(?:system\s+prompt|system\s+instructions|initial\s+prompt|hidden\s+prompt|instructions\s+above)\b/gi,
    confidence: 0.7,
    needles: ['system', 'initial', 'hidden', 'instructions'],
  },
  {
    type: 'encoded_instruction',
    re: /\b(?:decode|base64[- ]decode|decrypt|rot13|translate)\b[^.\n]{0,40}?\b(?:and|then)\s+(?:follow|execute|run|obey|do|apply|carry out)\b|\bdecode\b[^\n]{0,60}?\b(?:base64|hex|hexadecimal|rot13|cipher|unicode)\b[^\n]{0,80}?\b(?:system message|instructions?|execute|follow|obey)\b/gi,
    confidence: 0.6,
    needles: ['decode', 'decrypt', 'rot13', 'translate'],
  },
];


// Zero-width (not U+200D, which joins emoji), bidi controls (Trojan Source), Unicode tag characters.
const ZERO_WIDTH = /[\u200B\u200C\u2060-\u2064\u180E]|(?<!^)\uFEFF/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const TAGS = /(?:\uDB40[\uDC00-\uDC7F])+/g;
// Variation selectors 17-256 (U+E0100-E01EF) have no glyph; runs of them smuggle bytes.
const VARIATION_RUN = /(?:\uDB40[\uDD00-\uDDEF]){3,}/g;
const HIDDEN_PREFILTER = /[\u180E\u200B\u200C\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uDB40]/;
const BASE64_RUN = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{24,4096}={0,2}(?![A-Za-z0-9+/=])/g;
const MAX_DECODES = 16;
const MAX_PER_SIGNAL = 64;

/** Scores one string for prompt injection; every point of the score has a finding behind it. */
export function detectInjection(text: string, opts: TextOptions = {}): InjectionResult {
  return summarize(injectionFindings(text, opts, textFacts(text, INJECTION_NEEDLES)));
}

/** The findings of detectInjection, with the string's facts already computed (detectAll shares them between detectors, and needs no score). */
export function injectionFindings(text: string, opts: TextOptions, facts: TextFacts): Finding[] {
  const path = opts.path ?? '$';
  const findings: Finding[] = [];
  const known = facts.needles?.groups === INJECTION_NEEDLES ? facts.needles.present : undefined;
  scanSignals(text, path, findings, known);
  scanHidden(text, path, findings);
  // A base64 match is a run of at least 24 chars of its alphabet.
  if (facts.base64Run >= 24) scanEncoded(text, path, findings);
  return findings;
}

/** Which signals have a needle in a text: one pass for all of them (textFacts can make it). */
export const INJECTION_NEEDLES = new NeedleGroups(SIGNALS.map((s) => s.needles));

/** `present`: INJECTION_NEEDLES.present(text.toLowerCase()) when the caller has it. */
function scanSignals(text: string, path: string, out: Finding[], present = INJECTION_NEEDLES.present(text.toLowerCase())): void {
  for (let i = 0; i < SIGNALS.length; i++) {
    const s = SIGNALS[i]!;
    if ((present & (1 << i)) === 0) continue;
    s.re.lastIndex = 0;
    let n = 0;
    for (const m of text.matchAll(s.re)) {
      // The score needs one finding per type; a flood of repeats only costs memory.
      if (++n > MAX_PER_SIGNAL) break;
      const end = m.index + m[0].length;
      out.push({ detector: 'injection', type: s.type, path, start: m.index, end, confidence: s.confidence, evidence: excerpt(text, m.index, end) });
    }
  }
}

function scanHidden(text: string, path: string, out: Finding[]): void {
  if (!HIDDEN_PREFILTER.test(text)) return;
  // Counted, not collected: a text of a million zero-width characters made a million match
  // arrays that all survived to the end of the scan, and garbage collection took 70% of the time.
  let count = 0;
  let first = -1;
  let last = -1;
  ZERO_WIDTH.lastIndex = 0;
  for (let m = ZERO_WIDTH.exec(text); m !== null; m = ZERO_WIDTH.exec(text)) {
    if (count++ === 0) first = m.index;
    last = m.index + 1; // every match is one character
  }
  if (count > 0) {
    out.push({ detector: 'injection', type: 'hidden_unicode', path, start: first, end: last, confidence: count >= 3 ? 0.7 : 0.2, evidence: `${count} zero-width character(s)` });
  }
  // At most MAX_PER_SIGNAL, like the phrase signals: a text of bidi controls gave one finding per
  // character (a million for a 1 MB tool result, every one returned to the caller).
  BIDI.lastIndex = 0;
  for (let n = 0; n < MAX_PER_SIGNAL; n++) {
    const m = BIDI.exec(text);
    if (m === null) break;
    out.push({ detector: 'injection', type: 'hidden_unicode', path, start: m.index, end: m.index + 1, confidence: 0.8, evidence: `bidi control U+${m[0].charCodeAt(0).toString(16).toUpperCase()}` });
  }
  BIDI.lastIndex = 0;
  for (const m of execAll(VARIATION_RUN, text)) {
    out.push({ detector: 'injection', type: 'hidden_unicode', path, start: m.index, end: m.index + m[0].length, confidence: 0.8, evidence: `${m[0].length / 2} invisible variation selectors` });
  }
  for (const m of execAll(TAGS, text)) {
    let decoded = '';
    for (let i = 1; i < m[0].length; i += 2) decoded += String.fromCharCode(m[0].charCodeAt(i) - 0xdc00);
    out.push({ detector: 'injection', type: 'hidden_unicode', path, start: m.index, end: m.index + m[0].length, confidence: 0.9, evidence: `Unicode tag characters spelling "${excerpt(decoded, 0, decoded.length, 60)}"` });
    const inner: Finding[] = [];
    scanSignals(decoded, path, inner);
    for (const f of inner) out.push({ ...f, start: m.index, end: m.index + m[0].length, evidence: `hidden: ${f.evidence}` });
  }
}

function scanEncoded(text: string, path: string, out: Finding[]): void {
  let n = 0;
  for (const m of execAll(BASE64_RUN, text)) {
    if (++n > MAX_DECODES) break;
    if (!/[a-z]/.test(m[0]) || !/[A-Z]/.test(m[0])) continue;
    let decoded: string;
    try {
      decoded = atob(m[0].length % 4 === 0 ? m[0] : m[0].slice(0, m[0].length - (m[0].length % 4)));
    } catch {
      continue;
    }
    if (!/^[\x09\x0a\x0d\x20-\x7e]{12,}$/.test(decoded)) continue;
    const inner: Finding[] = [];
    scanSignals(decoded, path, inner);
    if (inner.length === 0) continue;
    const end = m.index + m[0].length;
    out.push({ detector: 'injection', type: 'encoded_instruction', path, start: m.index, end, confidence: 0.85, evidence: `base64 decodes to "${inner[0]!.evidence}" (${inner[0]!.type})` });
  }
}

function summarize(findings: Finding[]): InjectionResult {
  if (findings.length === 0) return { findings, score: 0, evidence: [] };
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const b = best.get(f.type);
    if (!b || f.confidence > b.confidence) best.set(f.type, f);
  }
  let clean = 1;
  const evidence: string[] = [];
  for (const f of best.values()) {
    clean *= 1 - f.confidence;
    evidence.push(`${f.type} (${f.confidence}): ${f.evidence}`);
  }
  return { findings, score: Math.round((1 - clean) * 1000) / 1000, evidence };
}
