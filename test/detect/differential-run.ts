import { createHash } from 'node:crypto';
import type * as Detect from '../../src/detect/index.ts';

/** The detector entry points a differential run calls; the current code or an older copy of it. */
export type DetectApi = Pick<typeof Detect, 'detectAll' | 'detectPii' | 'detectSecrets' | 'detectInjection' | 'detectDestructive'>;

/** The corpus whose output digests are committed (fixtures/differential-digests.json). */
export const COMMITTED_CORPUS = { randomCount: 3000, seed: 20261201, external: true, externalEvery: 6 } as const;
export const DIGESTS_FILE = new URL('./fixtures/differential-digests.json', import.meta.url);

const SINGLE = ['pii', 'secrets', 'destructive', 'injection', 'poisoning'] as const;
const CUSTOM = [{ name: 'employee_id', pattern: 'EMP-[0-9]{4,8}', context: ['employee'], confidence: 0.5 }];

/**
 * Every output the detectors give for `value`, as one JSON line per call: detectAll per detector,
 * all together, per surface, with a custom recognizer; for strings also detectPii at every
 * leniency, without context and per type, detectSecrets with a key name, the whole injection
 * result, and destructive forced to shell and to SQL.
 */
export function outputs(api: DetectApi, value: unknown): string[] {
  const out: string[] = [];
  const run = (label: string, fn: () => unknown) => {
    let r: unknown;
    try {
      r = fn();
    } catch (error) {
      r = { threw: (error as Error).message };
    }
    out.push(`${label} ${JSON.stringify(r)}`);
  };
  for (const d of SINGLE) run(`all:${d}`, () => api.detectAll(value, { surface: 'arguments', detectors: [d] }));
  run('all:4', () => api.detectAll(value, { surface: 'arguments', detectors: ['pii', 'secrets', 'destructive', 'injection'] }));
  for (const surface of ['arguments', 'result', 'definition'] as const) run(`surface:${surface}`, () => api.detectAll(value, { surface }));
  run('custom', () => api.detectAll(value, { surface: 'result', customRecognizers: CUSTOM, minConfidence: 0.3 }));
  if (typeof value === 'string') {
    for (const leniency of [0, 1, 2, 3] as const) run(`pii:l${leniency}`, () => api.detectPii(value, { leniency }));
    run('pii:noctx', () => api.detectPii(value, { context: false, path: '$.x' }));
    run('pii:some', () => api.detectPii(value, { types: ['phone', 'iban', 'url', 'email'] }));
    run('secrets:key', () => api.detectSecrets(value, { keyName: 'db_password' }));
    run('injection', () => api.detectInjection(value));
    run('destructive:shell', () => api.detectDestructive(value, { language: 'shell' }));
    run('destructive:sql', () => api.detectDestructive(value, { language: 'sql' }));
  }
  return out;
}

export function digest(lines: readonly string[]): string {
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}
