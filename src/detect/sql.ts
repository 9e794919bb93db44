/** Where a finding goes: its evidence is taken from the scanned text. */
export interface FindingAdder {
  add(type: string, start: number, end: number, confidence: number): void;
}

/** The text opens like a SQL statement (after comments and blank space). */
export const SQL_START = /^\s*(?:(?:--[^\n]*\n|\/\*[^]*?\*\/)\s*)*(?:select|insert|update|delete|drop|truncate|alter|create|with|begin|grant|revoke|merge|replace|use|set|exec|call)\b/i;

/**
 * Splits SQL into statements (ignoring string literals and comments) and flags the destructive
 * ones: DROP, TRUNCATE, DELETE or UPDATE without WHERE (or with an always-true WHERE).
 */
export function scanSql(sql: string, offset: number, sink: FindingAdder): void {
  // Blank out literals and comments so keywords inside them do not count; offsets are kept.
  let clean = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < n && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      clean += ' '.repeat(Math.min(j + 1, n) - i);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const e = nl < 0 ? n : nl;
      clean += ' '.repeat(e - i);
      i = e;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const e = close < 0 ? n : close + 2;
      clean += ' '.repeat(e - i);
      i = e;
    } else {
      clean += c;
      i++;
    }
  }
  let start = 0;
  for (const part of clean.split(';')) {
    const lead = part.length - part.trimStart().length;
    const stmt = part.trim().replace(/\s+/g, ' ');
    const a = offset + start + lead;
    const b = a + part.trim().length;
    start += part.length + 1;
    if (stmt.length === 0) continue;
    const up = stmt.toUpperCase();
    let m: RegExpExecArray | null;
    if ((m = /^DROP (?:TEMPORARY )?(TABLE|DATABASE|SCHEMA|VIEW|INDEX|USER|ROLE|FUNCTION|PROCEDURE|TRIGGER|SEQUENCE|KEYSPACE|COLLECTION)\b/.exec(up))) {
      sink.add('sql_drop', a, b, /^(?:TABLE|DATABASE|SCHEMA|KEYSPACE|COLLECTION)$/.test(m[1]!) ? 0.95 : 0.6);
    } else if (/^TRUNCATE\b/.test(up)) sink.add('sql_truncate', a, b, 0.9);
    else if (/^DELETE\b/.test(up)) {
      const where = /\bWHERE\b(.*)$/.exec(up);
      if (!where) sink.add('sql_delete_all', a, b, 0.9);
      else if (/^\s*(?:1\s*=\s*1|TRUE|1|'1'\s*=\s*'1')\s*$/.test(where[1]!)) sink.add('sql_delete_all', a, b, 0.85);
    } else if (/^UPDATE\b.*\bSET\b/.test(up)) {
      const where = /\bWHERE\b(.*)$/.exec(up);
      if (!where || /^\s*(?:1\s*=\s*1|TRUE|1)\s*$/.test(where[1]!)) sink.add('sql_update_all', a, b, 0.8);
    } else if (/^ALTER TABLE \S+ DROP\b/.test(up)) sink.add('sql_drop', a, b, 0.7);
  }
}
