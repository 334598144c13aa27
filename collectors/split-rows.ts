// The careful path's first step: a CSV or JSON Lines text split into rows of canonical columns, each with
// its physical line number, and the lines that cannot be read at all (bad quoting, wrong field count, bad
// JSON) as rejects. Values are trimmed exactly as the fast path trims them (see trimValue).
import { parse as parseLossless, parseNumberAndBigInt, stringify as stringifyLossless } from 'lossless-json';
import { trimValue } from './convert-sql.ts';
import { splitCsvRecords, type CsvRecord } from './csv-records.ts';
import type { LoadTarget, RejectRow } from './load-file.ts';

export interface StagedRow {
  line: number;
  values: Array<string | null>; // per canonical column of the kind
  extra: string | null;
  /** the record as the file has it, for a reject of its values */
  text: string;
}

type ToRow = (line: number, text: string, get: (i: number) => string | undefined) => StagedRow;

/**
 * One JSON line. A bare integer beyond 2^53 (a platform's snowflake event id, 1790000000000000001) would be
 * rounded by JSON.parse, merging distinct events: a line with a run of 16 or more digits is parsed keeping
 * such integers exact (bigint); the others take the native parser.
 */
function parseLine(line: string): unknown {
  return /\d{16}/.test(line) ? parseLossless(line, null, parseNumberAndBigInt) : JSON.parse(line);
}

/** The parser's message after a Chinese one, with the column where it stopped when it says so. */
function jsonErrorReason(message: string): string {
  const position = /position (\d+)/.exec(message);
  const where = position ? `（第 ${Number(position[1]) + 1} 个字符处）` : '';
  return `JSON 格式错误${where}：该行不是有效的 JSON（${message}）`;
}

function splitJsonl(
  text: string,
  header: string[],
  toRow: ToRow,
): { rows: StagedRow[]; rejects: RejectRow[] } {
  const rows: StagedRow[] = [];
  const rejects: RejectRow[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const rowText = rawLine.replace(/\r$/, '');
    const value = rowText.slice(0, 200);
    if (rawLine.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = parseLine(rawLine);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      rejects.push({ line, column: null, value, reason: jsonErrorReason(error.message), rowText });
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      rejects.push({ line, column: null, value, reason: '每行应为一个 JSON 对象', rowText });
      return;
    }
    const record = parsed as Record<string, unknown>;
    rows.push(toRow(line, rowText, (i) => jsonText(record[header[i]!])));
  });
  return { rows, rejects };
}

function splitCsv(text: string, header: string[], toRow: ToRow): { rows: StagedRow[]; rejects: RejectRow[] } {
  const rows: StagedRow[] = [];
  const rejects: RejectRow[] = [];
  let first = true;
  for (const record of splitCsvRecords(text, header.length)) {
    if (first) {
      first = false;
      continue; // the header row
    }
    if (record.ok) rows.push(toRow(record.line, record.text, (i) => record.fields[i]));
    else rejects.push(recordReject(record, header));
  }
  return { rows, rejects };
}

/**
 * A CSV record the splitter could not read: the header's name of the column where reading failed, its first
 * 200 characters as the value, and the whole record.
 */
export function recordReject(record: Extract<CsvRecord, { ok: false }>, header: string[]): RejectRow {
  return {
    line: record.line,
    // an unnamed column (a blank header name) is told by its number
    column: header[record.column - 1]?.trim() || `第 ${record.column} 列`,
    value: record.text.slice(0, 200),
    reason: record.reason,
    rowText: record.text,
  };
}

/** Splits a CSV or JSONL text into staged rows (canonical order) and structural rejects. */
export function splitRows(target: LoadTarget, text: string): { rows: StagedRow[]; rejects: RejectRow[] } {
  const { kind, plan, header } = target;
  // get(i) is undefined when the record lacks the column (a JSON line without that key): no extra entry.
  const toRow: ToRow = (line, text, get) => {
    const values = kind.columns.map((c) => {
      const index = plan.columnIndex.get(c.name);
      return index === undefined ? null : trimValue(get(index));
    });
    const extras = plan.extraIndexes
      .filter((i) => get(i) !== undefined)
      .map((i) => [header[i]!.trim() || `column${i + 1}`, trimValue(get(i))] as const);
    return {
      line,
      values,
      extra: extras.length > 0 ? JSON.stringify(Object.fromEntries(extras)) : null,
      text,
    };
  };
  return target.format === 'jsonl' ? splitJsonl(text, header, toRow) : splitCsv(text, header, toRow);
}

/**
 * A data_sample text, CSV or JSON Lines, split into records of the file's own columns (header order), each
 * value trimmed and a blank one null, with the records that cannot be read as rejects.
 */
export function splitSampleRecords(
  text: string,
  format: 'csv' | 'jsonl',
  header: string[],
): { rows: StagedRow[]; rejects: RejectRow[] } {
  const toRow: ToRow = (line, text, get) => ({
    line,
    values: header.map((_, i) => get(i)?.trim() || null),
    extra: null,
    text,
  });
  return format === 'jsonl' ? splitJsonl(text, header, toRow) : splitCsv(text, header, toRow);
}

function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(';');
  if (typeof value === 'object') return stringifyLossless(value);
  return String(value);
}
