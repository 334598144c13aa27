// A recovering RFC 4180 record splitter for the careful path (files DuckDB's strict scan refused, or whose
// values need per-line reasons). Unlike a plain parser, a bad quote costs one record, not the rest of the
// file: a record that ends in an open quote, has text after a closing quote, or spans lines inside quotes
// and comes out with the wrong number of fields is rejected at its first line and parsing resumes on the
// next line. Physical line numbers count from 1 with the header as line 1.

export type CsvRecord =
  | { ok: true; line: number; fields: string[] }
  | { ok: false; line: number; column: number; reason: string; text: string };

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

interface Parsed {
  fields: string[];
  end: number; // index after the record's line break
  spannedLines: boolean;
  error?: { column: number; reason: string };
}

function parseRecord(text: string, start: number): Parsed {
  const fields: string[] = [];
  let i = start;
  let spannedLines = false;
  for (;;) {
    const column = fields.length + 1;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1)
          return { fields, end: text.length, spannedLines, error: { column, reason: '引号未闭合' } };
        const chunk = text.slice(i, close);
        if (chunk.includes('\n')) spannedLines = true;
        value += chunk;
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return {
          fields,
          end: i,
          spannedLines,
          error: { column, reason: '引号后出现多余字符（引号未正确闭合或未转义）' },
        };
      }
      fields.push(value);
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\n') j++;
      let value = text.slice(i, j);
      if (text[j] !== ',' && value.endsWith('\r')) value = value.slice(0, -1);
      if (value.includes('"')) {
        return { fields, end: j, spannedLines, error: { column, reason: '未加引号的字段中出现引号' } };
      }
      fields.push(value);
      i = j;
    }
    if (text[i] === '\r') i += 1;
    if (i >= text.length || text[i] === '\n') return { fields, end: i + 1, spannedLines };
    i += 1; // the comma
  }
}

/** Splits text (header included) into records; `expected` is the header's field count. */
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
    const rawLine = text.slice(pos, lineEnd).replace(/\r$/, '');
    if (rawLine.trim() === '') {
      pos = lineEnd + 1;
      continue;
    }
    const parsed = parseRecord(text, pos);
    const wrongCount = !parsed.error && parsed.fields.length !== expected;
    if (parsed.error || (wrongCount && parsed.spannedLines)) {
      const reason = parsed.error?.reason ?? '引号未闭合（跨行后字段数仍不符）';
      const column = parsed.error?.column ?? parsed.fields.length;
      yield { ok: false, line, column, reason, text: rawLine };
      pos = lineEnd + 1; // resume on the next physical line
      continue;
    }
    if (wrongCount) {
      const reason = `字段数为 ${parsed.fields.length}，应为 ${expected}`;
      const column = parsed.fields.length < expected ? parsed.fields.length + 1 : expected + 1;
      yield { ok: false, line, column, reason, text: rawLine };
    } else {
      yield { ok: true, line, fields: parsed.fields };
    }
    pos = parsed.end;
  }
}
