// A recovering RFC 4180 record splitter for the careful path (files DuckDB's strict scan refused, or whose
// values need per-line reasons). Unlike a plain parser, a bad quote costs one record, not the rest of the
// file: a record that ends in an open quote, has text after a closing quote, or spans lines inside quotes
// and comes out with the wrong number of fields is rejected at its first line and parsing resumes on the
// next line. Physical line numbers count from 1 with the header as line 1. As DuckDB's strict scan (the
// fast path) does: a quote inside a field that does not start with one (after spaces) is kept as text,
// spaces around a quoted value are dropped, and empty fields beyond the header's columns are dropped. Both
// paths must read a file the same way: a row's value must not depend on whether another row was bad, or
// one event could be stored twice (E1 and "E1") from two files.

export type CsvRecord =
  // text: the record as the file has it (its physical lines, without the last line break), kept with a reject
  | { ok: true; line: number; fields: string[]; text: string }
  | { ok: false; line: number; column: number; reason: string; text: string };

/** text[start, end) without its final line break (and the CRs before it); a slice, not a copy. */
function recordText(text: string, start: number, end: number): string {
  let e = end;
  if (e > start && text[e - 1] === '\n') e--;
  while (e > start && text[e - 1] === '\r') e--;
  return text.slice(start, e);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

interface Parsed {
  fields: string[];
  end: number; // index after the record's line break
  /** The first field (1-based) whose quoted value spans lines, if any. */
  spanned: number | null;
  error?: { column: number; reason: string };
}

const UNCLOSED = '引号未闭合：字段以引号开头，但在本行（及其后各行）没有找到与之配对的闭合引号';

/** A quoted field starting at text[i] (the opening quote): its value and the index after the closing quote. */
function parseQuoted(text: string, i: number): { value: string; end: number; spanned: boolean } | null {
  let value = '';
  let spanned = false;
  let pos = i + 1;
  for (;;) {
    const close = text.indexOf('"', pos);
    if (close === -1) return null;
    const chunk = text.slice(pos, close);
    if (chunk.includes('\n')) spanned = true;
    value += chunk;
    if (text[close + 1] !== '"') return { value, end: close + 1, spanned };
    value += '"';
    pos = close + 2;
  }
}

/** The index after a run of CRs at text[i] when a line break (or the end) follows it, else null. */
function lineEndAfterCrs(text: string, i: number): number | null {
  let j = i;
  while (text[j] === '\r') j++;
  return j >= text.length || text[j] === '\n' ? j : null;
}

function parseRecord(text: string, start: number): Parsed {
  const fields: string[] = [];
  let i = start;
  let spanned: number | null = null;
  for (;;) {
    const column = fields.length + 1;
    // as DuckDB's scan: spaces (not tabs) before an opening quote or after a closing one are not the value's
    let open = i;
    while (text[open] === ' ') open++;
    if (text[open] === '"') {
      const quoted = parseQuoted(text, open);
      if (!quoted) return { fields, end: text.length, spanned, error: { column, reason: UNCLOSED } };
      if (quoted.spanned) spanned ??= column;
      i = quoted.end;
      while (text[i] === ' ') i++;
      if (text[i] === '\r') i = lineEndAfterCrs(text, i) ?? i;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n') {
        const reason = quoted.spanned ? UNCLOSED : '闭合引号后紧跟其他字符：字段内的引号应写成两个引号（""）';
        return { fields, end: i, spanned, error: { column, reason } };
      }
      fields.push(quoted.value);
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\n') j++;
      // the line's last value: CR LF ends the line, and so does CR CR LF (a CRLF file sent again in text mode)
      const value = text.slice(i, j);
      fields.push(text[j] === ',' ? value : value.replace(/\r+$/, ''));
      i = j;
    }
    if (i >= text.length || text[i] === '\n') return { fields, end: i + 1, spanned };
    i += 1; // the comma
  }
}

/**
 * Splits text (header included) into records; `expected` is the header's field count. A bare CR is part of a
 * value: a file whose lines end in CR alone (an old Mac export) is read from the LF copy inspectFile makes.
 */
export function* splitCsvRecords(text: string, expected: number): Generator<CsvRecord> {
  const starts = lineStarts(text);
  let lineIndex = 0;
  let pos = 0;
  const lineOf = (offset: number): number => {
    while (lineIndex + 1 < starts.length && starts[lineIndex + 1]! <= offset) lineIndex++;
    return lineIndex + 1;
  };
  while (pos < text.length) {
    const line = lineOf(pos);
    const lineEnd = (starts[line] ?? text.length + 1) - 1;
    const rawLine = text.slice(pos, lineEnd).replace(/\r+$/, '');
    if (rawLine.trim() === '') {
      pos = lineEnd + 1;
      continue;
    }
    const parsed = parseRecord(text, pos);
    // empty fields beyond the header's columns (a trailing comma from a spreadsheet) are dropped, as DuckDB's
    // scan drops them; any other count is wrong
    if (parsed.fields.length > expected && parsed.fields.slice(expected).every((f) => f === ''))
      parsed.fields.length = expected;
    const wrongCount = !parsed.error && parsed.fields.length !== expected;
    if (parsed.error || (wrongCount && parsed.spanned !== null)) {
      const reason = parsed.error?.reason ?? UNCLOSED;
      const column = parsed.error?.column ?? parsed.spanned!;
      yield { ok: false, line, column, reason, text: rawLine };
      pos = lineEnd + 1; // resume on the next physical line
      continue;
    }
    if (wrongCount) {
      const reason = `字段数为 ${parsed.fields.length}，应为 ${expected}（与表头的列数相同）`;
      const column = parsed.fields.length < expected ? parsed.fields.length + 1 : expected + 1;
      yield { ok: false, line, column, reason, text: rawLine };
    } else {
      yield {
        ok: true,
        line,
        fields: parsed.fields,
        text: recordText(text, pos, parsed.end),
      };
    }
    pos = parsed.end;
  }
}
