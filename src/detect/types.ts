/** Where a value sits in a tool call: the agent's arguments, the tool's result, or the tool's definition. */
export type Surface = 'arguments' | 'result' | 'definition';

export type DetectorName = 'pii' | 'secrets' | 'injection' | 'destructive' | 'poisoning';
export const DETECTOR_NAMES: readonly DetectorName[] = ['pii', 'secrets', 'injection', 'destructive', 'poisoning'];

/** Which detectors run by default on each surface. */
export const SURFACE_DETECTORS: Readonly<Record<Surface, readonly DetectorName[]>> = {
  arguments: ['pii', 'secrets', 'destructive'],
  result: ['pii', 'secrets', 'injection'],
  definition: ['poisoning', 'secrets'],
};

export interface Finding {
  detector: DetectorName | string;
  /** e.g. credit_card, aws_access_key, instruction_override, rm_rf. */
  type: string;
  /** JSON path of the string within the scanned value ('$' for plain text). */
  path: string;
  /** [start, end) UTF-16 offsets within the string at `path`. */
  start: number;
  end: number;
  /** 0..1 */
  confidence: number;
  /** Short description; never the full secret or PII value. */
  evidence: string;
  /** Set when the match is inside an object key rather than a string value. */
  key?: true;
}

/** A policy author's own recognizer (e.g. an employee id). Reported as detector 'pii', type `name`. */
export interface CustomRecognizer {
  name: string;
  /** RE2 syntax, bounded (see docs/DETECTION.md): no backreferences, lookaround or unbounded repeats. */
  pattern: string;
  /** Only 'i' (case-insensitive) is accepted. */
  flags?: string;
  validator?: ValidatorName;
  /** Words that, near a match, raise its confidence. */
  context?: string[];
  /** Base confidence, default 0.6. */
  confidence?: number;
}

export type ValidatorName = 'luhn' | 'iban' | 'mod97' | 'us_ssn' | 'uk_nhs' | 'base58check' | 'bech32';

export interface TextOptions {
  /** Path reported in findings; default '$'. */
  path?: string;
  /** Use words near a match to raise confidence (default true). */
  context?: boolean;
}

export interface DetectLimits {
  /** Total UTF-16 code units across all strings and keys (default 4 MiB). */
  maxChars?: number;
  /** Nesting depth of objects/arrays (default 64). */
  maxDepth?: number;
  /** Number of strings and keys visited (default 100 000). */
  maxNodes?: number;
}

export interface DetectAllOptions {
  surface: Surface;
  /** Override which detectors run (default: SURFACE_DETECTORS[surface]). */
  detectors?: readonly string[];
  customRecognizers?: readonly CustomRecognizer[];
  limits?: DetectLimits;
  /** Drop findings below this confidence (default 0). */
  minConfidence?: number;
}
