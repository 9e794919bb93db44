/**
 * Typed errors with stable string codes. Every error a user can see carries a code,
 * a message that says what is wrong and, where possible, what to do next.
 * The CLI maps codes to exit codes; the HTTP server maps them to JSON error bodies.
 */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'POLICY_INVALID'
  | 'POLICY_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'CEL_COMPILE'
  | 'CEL_EVAL'
  | 'CEL_LIMIT'
  | 'LEDGER_TAMPERED'
  | 'LEDGER_IO'
  | 'STORE_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INTERNAL';

export interface ErrorDetail {
  /** Where the problem is: a file:line:column, a JSON path, a field name. */
  where?: string;
  message: string;
  /** A suggestion, e.g. the nearest valid key for an unknown one. */
  hint?: string;
}

export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatehouseError';
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetail[]; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.details.length > 0 ? { details: this.details } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INTERNAL: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const FINDING_CODES: ReadonlySet<ErrorCode> = new Set(['POLICY_INVALID', 'LEDGER_TAMPERED']);
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  'USAGE',
  'CONFIG_INVALID',
  'POLICY_NOT_FOUND',
  'INPUT_INVALID',
  'INPUT_TOO_LARGE',
  'CEL_COMPILE',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CONFLICT',
]);

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof GatehouseError) {
    if (FINDING_CODES.has(error.code)) return EXIT.FINDINGS;
    if (USAGE_CODES.has(error.code)) return EXIT.USAGE;
  }
  return EXIT.INTERNAL;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
