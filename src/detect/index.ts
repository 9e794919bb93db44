/** Detectors: pure functions from text or JSON to findings with path, offsets, type and confidence. */
export * from './types.ts';
export { detectAll, DEFAULT_LIMITS } from './detect-all.ts';
export { detectPii, PII_TYPES, type PiiOptions } from './pii.ts';
export { detectSecrets, isPlaceholder, type SecretsOptions } from './secrets.ts';
export { detectInjection, type InjectionResult } from './injection.ts';
export { detectDestructive, type DestructiveOptions } from './destructive.ts';
export { detectPoisonedDefinition, type ToolDefinition, type PoisoningOptions } from './poisoning.ts';
export { compileRecognizer, compileRecognizers, MAX_MATCH_LENGTH, MAX_BACKTRACK_PATHS, type CompiledRecognizer } from './custom.ts';
export { VALIDATORS, luhn, iban, mod97, usSsn, ukNhs, base58Check, bech32 } from './validators.ts';
export {
  applyGuardrails,
  mostRestrictive,
  DEFAULT_RULE_MIN_CONFIDENCE,
  type GuardrailRule,
  type GuardrailAction,
  type GuardrailOutcome,
  type GuardrailOptions,
  type GuardrailResult,
} from './guardrails.ts';
export { decryptRedaction, maskToken, hashToken, encryptToken, redactValue, type RedactionSpec, type RedactionMode, type RedactionKeys } from './redact.ts';
export { summarizeFindings, type FindingSummary } from './summary.ts';
