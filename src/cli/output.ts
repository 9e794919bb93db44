import { GatehouseError, exitCodeFor, errorMessage, EXIT, type ExitCode } from '../errors.ts';

/**
 * The CLI contract: with --json exactly one JSON document goes to stdout; human text otherwise.
 * Logs and progress always go to stderr.
 */
export interface Output {
  json: boolean;
  /** Human-readable line on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** The single JSON document for --json mode. */
  document(value: unknown): void;
  /** Diagnostics and progress: stderr, never stdout. */
  log(text: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line(text = '') {
      if (!json) process.stdout.write(text + '\n');
    },
    document(value) {
      process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    },
    log(text) {
      process.stderr.write(text + '\n');
    },
  };
}

/** Prints an error the way the contract says (never a stack trace) and returns its exit code. */
export function reportError(error: unknown, json: boolean): ExitCode {
  const code = exitCodeFor(error);
  if (json) {
    const body =
      error instanceof GatehouseError ? error.toJSON() : { code: 'INTERNAL', message: errorMessage(error) };
    process.stdout.write(JSON.stringify({ ok: false, error: body }, null, 2) + '\n');
  } else if (error instanceof GatehouseError) {
    process.stderr.write(`error: ${error.message}\n`);
    for (const d of error.details) {
      process.stderr.write(`  ${d.where ? d.where + ': ' : ''}${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
    }
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
  } else {
    process.stderr.write(`internal error: ${errorMessage(error)}\n`);
    if (process.env.GATEHOUSE_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    else process.stderr.write('hint: set GATEHOUSE_DEBUG=1 for a stack trace and report it\n');
  }
  return code;
}

/**
 * Wraps a command action: the action returns its exit code (0 ok, 1 findings); thrown errors
 * are reported and mapped to 2 (usage/config) or 3 (internal).
 */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<ExitCode | void> | ExitCode | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const opts = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && 'json' in (a as object)) as
      | { json?: boolean }
      | undefined;
    try {
      const code = (await run(...args)) ?? EXIT.OK;
      process.exitCode = code;
    } catch (error) {
      process.exitCode = reportError(error, Boolean(opts?.json));
    }
  };
}
