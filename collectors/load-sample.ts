// data_sample_<resource>.csv (or .jsonl) files carry a resource's own data items, whatever they are: each
// record is kept whole as JSON (header -> value) with its line, for the system's own conformance checks.
import { readFile } from 'node:fs/promises';
import type { Db } from '../store/db.ts';
import type { LoadCounts, RejectRow } from './load-file.ts';
import type { FileFormat } from './read-header.ts';
import { splitSampleRecords } from './split-rows.ts';

export async function loadDataSample(opts: {
  db: Db;
  utf8Path: string;
  format: FileFormat;
  header: string[];
  resourceCode: string;
  batchId: string;
  seq: number;
}): Promise<LoadCounts & { rejects: RejectRow[] }> {
  const text = (await readFile(opts.utf8Path, 'utf8')).replace(/^\uFEFF/, '');
  // an unnamed column (a spreadsheet's trailing commas) is column<N>, as for the other kinds: blank names would
  // overwrite each other in the record
  const header = opts.header.map((h, i) => h.trim() || `column${i + 1}`);
  const { rows, rejects } = splitSampleRecords(text, opts.format, opts.header);
  const appender = await opts.db.connection.createAppender('raw_data_sample');
  rows.forEach((row, index) => {
    appender.appendVarchar(opts.resourceCode);
    appender.appendBigInt(BigInt(index + 1));
    appender.appendBigInt(BigInt(row.line));
    appender.appendVarchar(JSON.stringify(Object.fromEntries(header.map((h, i) => [h, row.values[i]]))));
    appender.appendVarchar(opts.batchId);
    appender.appendBigInt(BigInt(opts.seq));
    appender.endRow();
  });
  appender.closeSync();
  const loaded = rows.length;
  return { rowsTotal: loaded + rejects.length, rowsLoaded: loaded, rowsRejected: rejects.length, rejects };
}
