import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GatehouseError, EXIT, errorMessage, type ExitCode } from '../../errors.ts';
import { action, createOutput } from '../output.ts';
import { detectAll, detectInjection, DETECTOR_NAMES, type Finding, type Surface } from '../../detect/index.ts';
import { applyGuardrailPolicies, compilePoliciesOrThrow } from '../../policy/index.ts';
import { readPolicySources } from '../../config/policy-files.ts';
import { discoverConfigFile, loadConfig } from '../../config/load.ts';
import { redactionKeys } from '../../runtime/runtime.ts';

const SURFACES: readonly Surface[] = ['arguments', 'result', 'definition'];
const DEFAULT_MIN_CONFIDENCE = 0.3;

interface DetectOpts {
  surface?: string;
  detectors?: string;
  minConfidence: string;
  policy?: string[];
  json?: boolean;
}

function readInput(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new GatehouseError('USAGE', `cannot read ${file === '-' ? 'standard input' : file}: ${errorMessage(error)}`);
  }
}

/** JSON when it parses, otherwise the text itself. */
function parseInput(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function guessSurface(value: unknown): Surface {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ('inputSchema' in v || ('name' in v && 'description' in v && Object.keys(v).length <= 6)) return 'definition';
    if ('content' in v || 'structuredContent' in v) return 'result';
  }
  return 'arguments';
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('Scan text, tool arguments, a tool result or a tool definition for PII, secrets, injection and destructive actions (exit 1 when flagged)')
    .argument('[file]', 'file to scan, or - for standard input', '-')
    .option('--surface <surface>', `arguments | result | definition (default: guessed from the input)`)
    .option('--detectors <list>', `comma-separated subset of ${DETECTOR_NAMES.join(', ')}`)
    .option('--min-confidence <n>', 'findings below this confidence are listed but do not flag', String(DEFAULT_MIN_CONFIDENCE))
    // One path per --policy (repeat it for more): a variadic option would take the file to scan too.
    .option('--policy <path>', 'apply the GuardrailPolicies in this file or folder (repeat for more): print the resulting action and the redacted form', collect)
    .option('--json', 'print one JSON document')
    .action(
      action((file: string, opts: DetectOpts) => {
        if (opts.policy) return detectWithPolicy(file, opts);
        const out = createOutput(Boolean(opts.json));
        if (opts.surface !== undefined && !(SURFACES as readonly string[]).includes(opts.surface)) {
          throw new GatehouseError('USAGE', `invalid --surface ${JSON.stringify(opts.surface)}`, { hint: `use one of ${SURFACES.join(', ')}` });
        }
        const min = Number(opts.minConfidence);
        if (!(min >= 0 && min <= 1)) throw new GatehouseError('USAGE', '--min-confidence must be a number within 0..1');
        const detectors = opts.detectors?.split(',').map((s) => s.trim()).filter(Boolean);
        if (detectors) {
          const bad = detectors.filter((d) => !(DETECTOR_NAMES as readonly string[]).includes(d));
          if (bad.length > 0) throw new GatehouseError('USAGE', `unknown detector ${bad.join(', ')}`, { hint: `use ${DETECTOR_NAMES.join(', ')}` });
        }
        const value = parseInput(readInput(file));
        const surface = (opts.surface as Surface | undefined) ?? guessSurface(value);
        const findings = detectAll(value, { surface, ...(detectors ? { detectors } : {}) });
        const flagged = findings.filter((f) => f.confidence >= min);
        const injection = findings.some((f) => f.detector === 'injection') && typeof value === 'string' ? detectInjection(value) : undefined;
        if (out.json) {
          out.document({
            ok: true,
            surface,
            flagged: flagged.length > 0,
            minConfidence: min,
            count: findings.length,
            findings,
            ...(injection ? { injection: { score: injection.score, evidence: injection.evidence } } : {}),
          });
        } else {
          for (const f of findings) out.line(formatFinding(f, f.confidence >= min));
          out.line(
            flagged.length > 0
              ? `flagged: ${flagged.length} finding${flagged.length === 1 ? '' : 's'} at confidence ≥ ${min} (surface ${surface})`
              : `clean: nothing at confidence ≥ ${min} (surface ${surface}${findings.length > 0 ? `, ${findings.length} weaker finding${findings.length === 1 ? '' : 's'}` : ''})`,
          );
        }
        return flagged.length > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}

function formatFinding(f: Finding, flagged: boolean): string {
  const where = `${f.path}${f.key ? ' (key)' : ''} [${f.start},${f.end})`;
  return `${flagged ? '!' : ' '} ${`${f.detector}/${f.type}`.padEnd(34)} ${f.confidence.toFixed(2)}  ${where}  ${f.evidence}`;
}

/** `detect --policy`: what the GuardrailPolicies would do with this input (exit 1 unless allow). */
function detectWithPolicy(file: string, opts: DetectOpts): ExitCode {
  const out = createOutput(Boolean(opts.json));
  if (opts.surface !== undefined && !(SURFACES as readonly string[]).includes(opts.surface)) {
    throw new GatehouseError('USAGE', `invalid --surface ${JSON.stringify(opts.surface)}`, { hint: `use one of ${SURFACES.join(', ')}` });
  }
  const bundle = compilePoliciesOrThrow(readPolicySources(opts.policy!));
  if (bundle.guardrailPolicies.length === 0) {
    throw new GatehouseError('USAGE', `no GuardrailPolicy in ${opts.policy!.join(', ')}`, { hint: 'pass the files that hold kind: GuardrailPolicy documents' });
  }
  const value = parseInput(readInput(file));
  const surface = (opts.surface as Surface | undefined) ?? guessSurface(value);
  // hash and encrypt redaction use the deployment's salt and keys, from gatehouse.yaml when there is one
  const keys = discoverConfigFile(undefined) ? redactionKeys(loadConfig().config) : {};
  const result = applyGuardrailPolicies(bundle.guardrailPolicies, surface, value, keys);
  if (out.json) {
    out.document({
      ok: true,
      surface,
      action: result.action,
      bundleDigest: bundle.digest,
      matched: result.matched.map((m) => ({ rule: m.rule, action: m.action, detector: m.finding.detector, type: m.finding.type, path: m.finding.path })),
      findings: result.findings,
      redacted: result.redacted,
    });
  } else {
    for (const m of result.matched) out.line(`${m.action.padEnd(16)} ${m.rule.policy}/${m.rule.rule}  ${m.finding.detector}/${m.finding.type} at ${m.finding.path}`);
    out.line(`action: ${result.action} (surface ${surface})`);
    out.line(`redacted: ${typeof result.redacted === 'string' ? result.redacted : JSON.stringify(result.redacted)}`);
  }
  return result.action === 'allow' ? EXIT.OK : EXIT.FINDINGS;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
