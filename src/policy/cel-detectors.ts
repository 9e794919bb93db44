import { detectAll, summarizeFindings } from '../detect/index.ts';
import type { CelFunctionDecl } from './cel/engine.ts';

/**
 * Detector functions for policy expressions, e.g. `pii(request.arguments).count > 0`,
 * `'credit_card' in pii(request.arguments).types`, `destructive(request.arguments.command).count > 0`,
 * `injection(request.arguments).maxConfidence >= 0.8`. Each returns
 * {count, types, maxConfidence, findings[{detector, type, path, start, end, confidence}]}.
 */
const DETECTOR_FUNCTIONS = ['pii', 'secrets', 'injection', 'destructive'] as const;

export const detectorCelFunctions: CelFunctionDecl[] = DETECTOR_FUNCTIONS.map((name) => ({
  name,
  description: `${name} findings in any JSON value`,
  overloads: [
    {
      params: ['any'],
      impl: (value: unknown) => {
        const summary = summarizeFindings(detectAll(value, { surface: 'arguments', detectors: [name] }));
        return {
          count: summary.count,
          types: summary.types,
          maxConfidence: summary.maxConfidence,
          findings: summary.findings.map((f) => ({ detector: f.detector, type: f.type, path: f.path, start: f.start, end: f.end, confidence: f.confidence })),
        };
      },
    },
  ],
}));
