/** Structured JSON logs on stderr; values under secret-looking keys never reach the log. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEY = /secret|token|password|passwd|authorization|api[-_]?key|private[-_]?key|cookie/i;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function redactForLog(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return value.replace(BEARER, '$1[REDACTED]');
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactForLog(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[REDACTED]' : redactForLog(v, depth + 1)]),
    );
  }
  return value;
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[options.level ?? ((process.env.GATEHOUSE_LOG_LEVEL as LogLevel) || 'info')] ?? 1;
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    log(level, message, fields = {}) {
      if (ORDER[level] < min) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...(redactForLog(fields) as object) }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
