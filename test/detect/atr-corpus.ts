import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { detectAll, type Surface } from '../../src/detect/index.ts';

/**
 * Labelled cases shipped with the `agent-threat-rules` npm package (rules/<category>/*.yaml,
 * test_cases.true_positives / true_negatives), scored against our detectors.
 */
export const ATR_ROOT = new URL('../../node_modules/agent-threat-rules/rules/', import.meta.url);
export const FLAG_AT = 0.3;

export interface Dataset {
  name: string;
  detector: string;
  surface: Surface;
  /** A whole category, or chosen rule ids whose cases are in the detector's scope. */
  category?: string;
  rules?: string[];
}

export const DATASETS: Dataset[] = [
  { name: 'prompt injection (category prompt-injection)', detector: 'injection', surface: 'result', category: 'prompt-injection' },
  { name: 'tool poisoning (category tool-poisoning)', detector: 'poisoning', surface: 'definition', category: 'tool-poisoning' },
  // Literal credentials in text: exposure in agent output and in tool responses.
  { name: 'secrets (ATR-2026-00021, 00150)', detector: 'secrets', surface: 'result', rules: ['ATR-2026-00021', 'ATR-2026-00150'] },
  // Destructive SQL in arguments, destructive shell, shell reads of credential files.
  {
    name: 'destructive (ATR-2026-01601, 00711, 00162, 00214, 00224, 02301)',
    detector: 'destructive',
    surface: 'arguments',
    rules: ['ATR-2026-01601', 'ATR-2026-00711', 'ATR-2026-00162', 'ATR-2026-00214', 'ATR-2026-00224', 'ATR-2026-02301'],
  },
];

interface Case {
  rule: string;
  text: string;
  positive: boolean;
}

const TEXT_FIELDS = ['input', 'content', 'user_input', 'tool_response', 'tool_description', 'agent_output', 'tool_args', 'tool_input', 'tool_call'];

function caseText(c: Record<string, unknown>): string | undefined {
  for (const f of TEXT_FIELDS) {
    const v = c[f];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') return JSON.stringify(v);
  }
  return undefined;
}

export interface LoadReport {
  files: number;
  unparsable: string[];
}

export function loadCases(ds: Dataset, report?: LoadReport): Case[] {
  const out: Case[] = [];
  const cats = ds.category ? [ds.category] : readdirSync(ATR_ROOT);
  for (const cat of cats) {
    for (const file of readdirSync(new URL(`${cat}/`, ATR_ROOT))) {
      if (!file.endsWith('.yaml')) continue;
      if (ds.rules && !ds.rules.some((id) => file.startsWith(id))) continue;
      let doc: { id?: string; test_cases?: { true_positives?: unknown[]; true_negatives?: unknown[] } };
      if (report) report.files++;
      try {
        doc = parse(readFileSync(new URL(`${cat}/${file}`, ATR_ROOT), 'utf8')) as typeof doc;
      } catch {
        report?.unparsable.push(`${cat}/${file}`);
        continue;
      }
      const rule = doc.id ?? file;
      for (const [list, positive] of [[doc.test_cases?.true_positives, true], [doc.test_cases?.true_negatives, false]] as const) {
        for (const c of list ?? []) {
          const text = caseText(c as Record<string, unknown>);
          if (text !== undefined) out.push({ rule, text, positive });
        }
      }
    }
  }
  return out;
}

function asValue(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      /* plain text */
    }
  }
  return text;
}

export interface Score {
  name: string;
  positives: number;
  negatives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  fpExamples: string[];
}

export function score(ds: Dataset, report?: LoadReport): Score {
  const cases = loadCases(ds, report);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const fpExamples: string[] = [];
  for (const c of cases) {
    const hit = detectAll(asValue(c.text), { surface: ds.surface, detectors: [ds.detector] }).some((f) => f.confidence >= FLAG_AT);
    if (c.positive && hit) tp++;
    else if (c.positive) fn++;
    else if (hit) {
      fp++;
      if (fpExamples.length < 12) fpExamples.push(`${c.rule}: ${c.text.slice(0, 100)}`);
    } else tn++;
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    name: ds.name,
    positives: tp + fn,
    negatives: fp + tn,
    tp,
    fp,
    fn,
    tn,
    precision: r(tp / Math.max(1, tp + fp)),
    recall: r(tp / Math.max(1, tp + fn)),
    falsePositiveRate: r(fp / Math.max(1, fp + tn)),
    fpExamples,
  };
}
