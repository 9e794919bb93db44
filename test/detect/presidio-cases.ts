import { readFileSync } from 'node:fs';
import { detectPii } from '../../src/detect/pii.ts';
import type { Leniency } from '../../src/detect/phone.ts';

/** Microsoft Presidio's recognizer test tables (shared/testdata), run against detectPii. */
export const PRESIDIO_FILE = new URL('../../../shared/testdata/presidio-pii-cases.json', import.meta.url);

interface Table {
  file: string;
  test: string;
  columns: string[];
  rows: unknown[][];
}

const TYPE_OF: Record<string, string | undefined> = {
  credit_card: 'credit_card',
  email: 'email',
  iban: 'iban',
  us_ssn: 'us_ssn',
  crypto: 'crypto_wallet',
  ip: 'ip_address',
  phone: 'phone',
  url: 'url',
  mac: 'mac_address',
  uk_nhs: 'uk_nhs',
  date: undefined,
  us_bank: undefined,
  us_passport: undefined,
};

export interface RowResult {
  text: string;
  passed: boolean;
  scoreAgrees: boolean | undefined;
  expected: string;
  got: string;
}
export interface TableResult {
  name: string;
  type: string | undefined;
  rows: RowResult[];
}

export function runPresidio(): TableResult[] {
  const data = JSON.parse(readFileSync(PRESIDIO_FILE, 'utf8')) as { tables: Table[] };
  return data.tables.map((t) => {
    const key = /test_(.+)_recognizer\.py$/.exec(t.file)![1]!;
    const type = TYPE_OF[key];
    const name = `${key}/${t.test}`;
    const col = (c: string) => t.columns.indexOf(c);
    const posCol = col('expected_positions') >= 0 ? col('expected_positions') : col('expected_res');
    const rows = t.rows.map((row): RowResult => {
      const text = String(row[0]);
      const expectedLen = Number(row[1]);
      const positions = (row[posCol] as number[][] | undefined) ?? [];
      const expected = `${expectedLen} ${JSON.stringify(positions)}`;
      if (!type) return { text, passed: false, scoreAgrees: undefined, expected, got: 'type not implemented' };
      const leniency = col('leniency') >= 0 ? (Number(row[col('leniency')]) as Leniency) : undefined;
      const found = detectPii(text, { types: [type], context: false, ...(leniency !== undefined ? { leniency } : {}) });
      const spans = found.map((f) => [f.start, f.end]);
      const passed =
        found.length === expectedLen && (positions.length === 0 || JSON.stringify(spans) === JSON.stringify(positions));
      let scoreAgrees: boolean | undefined;
      const ranges = col('expected_score_ranges') >= 0 ? (row[col('expected_score_ranges')] as Array<[number, number | 'max']>) : undefined;
      if (passed && ranges && ranges.length === found.length && ranges.length > 0) {
        scoreAgrees = ranges.every(([lo, hi], i) => found[i]!.confidence >= lo && (hi === 'max' || found[i]!.confidence <= hi));
      }
      return { text, passed, scoreAgrees, expected, got: `${found.length} ${JSON.stringify(spans)}` };
    });
    return { name, type, rows };
  });
}
