// data_sample_<resource>.csv files carry a resource's own data items, whatever they are: each record is
// kept whole as JSON (header -> value) with its line, for the system's own conformance checks.
import { readFile } from 'node:fs/promises';
import type { Db } from '../store/db.ts';
import { splitCsvRecords } from './csv-records.ts';
import { recordReject } from './split-rows.ts';
import type { LoadCounts, RejectRow } from './load-file.ts';

export async function loadDataSample(opts: {
  db: Db;
  utf8Path: string;
  header: string[];
  resourceCode: string;
  batchId: string;
  seq: number;
}): Promise<LoadCounts & { rejects: RejectRow[] }> {
  const text = (await readFile(opts.utf8Path, 'utf8')).replace(/^\uFEFF/, '');
  const header = opts.header.map((h) => h.trim());
  const rejects: RejectRow[] = [];
  const appender = await opts.db.connection.createAppender('raw_data_sample');
  let rowNo = 0;
  let first = true;
  for (const record of splitCsvRecords(text, header.length)) {
    if (first) {
      first = false;
      continue;
    }
    if (!record.ok) {
      rejects.push(recordReject(record, header));
      continue;
    }
    rowNo += 1;
    const values = Object.fromEntries(header.map((h, i) => [h, record.fields[i]?.trim() || null]));
    appender.appendVarchar(opts.resourceCode);
    appender.appendBigInt(BigInt(rowNo));
    appender.appendBigInt(BigInt(record.line));
    appender.appendVarchar(JSON.stringify(values));
    appender.appendVarchar(opts.batchId);
    appender.appendBigInt(BigInt(opts.seq));
    appender.endRow();
  }
  appender.closeSync();
  return { rowsTotal: rowNo + rejects.length, rowsLoaded: rowNo, rowsRejected: rejects.length, rejects };
}
