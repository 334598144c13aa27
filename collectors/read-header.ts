// The header of a file: a CSV's first line, or for JSON Lines the union of the keys of its objects (JSON
// Lines has no header; the union lets the same kind detection and column mapping apply). A header that
// cannot be used is a Quarantine: the whole file is set aside with the reason, nothing of it loads.
import { open, readFile } from 'node:fs/promises';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';

export type FileFormat = 'csv' | 'jsonl';

/** A file that cannot be loaded at all; its message (Chinese) is the reason recorded for the user. */
export class Quarantine extends Error {}

export function formatOf(file: string): FileFormat {
  return /\.(jsonl|ndjson)(\.gz)?$/i.test(file) ? 'jsonl' : 'csv';
}

function jsonlKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      if (error instanceof SyntaxError) continue; // rejected with its line number by the loader
      throw error;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      Object.keys(parsed).forEach((k) => keys.add(k));
  }
  return [...keys];
}

async function csvFirstLine(utf8Path: string): Promise<string> {
  const handle = await open(utf8Path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256 * 1024), 0, 256 * 1024, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.split(/\r*\n/, 1)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/** What csv-parse found wrong with the header line, in Chinese (its own message stays for whoever debugs). */
function headerFault(error: CsvError): string {
  const faults: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: '引号未闭合：列名以引号开头，但本行没有与之配对的闭合引号',
    CSV_INVALID_CLOSING_QUOTE: '闭合引号后紧跟其他字符：列名内的引号应写成两个引号（""）',
    INVALID_OPENING_QUOTE: '引号出现在列名中间：整个列名应以引号括起，列名内的引号写成两个引号（""）',
  };
  return `${faults[error.code] ?? '格式错误'}（${error.message}）`;
}

/** Column names; [] when the first line is blank (the caller tells empty files from others). */
export async function readHeader(utf8Path: string, format: FileFormat): Promise<string[]> {
  if (format === 'jsonl') return jsonlKeys((await readFile(utf8Path, 'utf8')).replace(/^\uFEFF/, ''));
  const firstLine = await csvFirstLine(utf8Path);
  if (firstLine.trim() === '') return [];
  let header: string[];
  try {
    // blanks around a quoted name are no part of it, as around a value (csv-records.ts)
    header = (parseCsv(firstLine, { relax_quotes: false, trim: true }) as string[][])[0] ?? [];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new Quarantine(`无法读取第 1 行的表头：${headerFault(error)}`);
  }
  const seen = new Set<string>();
  for (const name of header) {
    // unnamed columns (a spreadsheet's trailing commas) are kept as column<N>, not names that can repeat
    if (name.trim() === '') continue;
    if (seen.has(name.trim())) throw new Quarantine(`第 1 行表头有重复的列名“${name.trim()}”`);
    seen.add(name.trim());
  }
  return header;
}
