// Canonical CSV output for the demo inbox: the column lists of DATA-CONTRACT.md, RFC 4180 quoting and a GBK
// encoder. Node can decode GBK but not encode it, so the encoder inverts Node's own GB18030 decoder over all
// two-byte codes once, instead of adding a dependency such as iconv-lite.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RECORD_KINDS } from '../store/record-kinds.ts';

/** The canonical header of each record kind, from the one list the store and collectors use too. */
export const COLUMNS: Record<string, readonly string[]> = Object.fromEntries(
  RECORD_KINDS.map((kind) => [kind.kind, kind.columns.map((c) => c.name)]),
);

export type CsvKind = (typeof RECORD_KINDS)[number]['kind'];
export type Field = string | number;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: Field): string {
  const s = String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly Field[]): string {
  return fields.map(csvField).join(',');
}

export function csvText(header: readonly string[], lines: readonly string[]): string {
  return `${header.join(',')}\n${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
}

let gbkTable: Map<number, number> | null = null;

/** Unicode code unit -> two GBK bytes (as one number), built from Node's decoder on first use. */
function gbkEncodeTable(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const table = new Map<number, number>();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length === 1 && !table.has(ch.charCodeAt(0))) table.set(ch.charCodeAt(0), (lead << 8) | trail);
    }
  }
  gbkTable = table;
  return table;
}

/** Encodes text as GBK; throws on a character GBK cannot represent. */
export function encodeGbk(text: string): Buffer {
  const table = gbkEncodeTable();
  const out = Buffer.alloc(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      out[n++] = code;
      continue;
    }
    const bytes = table.get(code);
    if (bytes === undefined) throw new Error(`internal: ${text[i]} has no GBK encoding`);
    out[n++] = bytes >> 8;
    out[n++] = bytes & 0xff;
  }
  return out.subarray(0, n);
}

export interface WrittenFile {
  name: string;
  bytes: number;
  rows: number;
}

export async function writeCsv(
  dir: string,
  name: string,
  kind: CsvKind | readonly string[],
  lines: readonly string[],
  encoding: 'utf8' | 'gbk' = 'utf8',
): Promise<WrittenFile> {
  const header = typeof kind === 'string' ? COLUMNS[kind]! : kind;
  const text = csvText(header, lines);
  const data = encoding === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8');
  await writeFile(path.join(dir, name), data);
  return { name, bytes: data.length, rows: lines.length };
}
