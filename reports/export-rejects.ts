// The rejects export: every row the ingest could not load, and every file it set aside whole, with the file,
// line, column, value, reason and the rejected record's own text, so that whoever sends the data can correct
// and re-send it. Ordered by load (batch sequence), line and column, so the same ledger gives the same bytes.
import type { Db } from '../store/db.ts';
import { csvField } from './export-findings.ts';

export const REJECT_COLUMNS = [
  'file_name',
  'line',
  'column',
  'value',
  'reason',
  'row_text',
  'kind',
  'file_status',
  'batch_id',
  'file_path',
  'loaded_at',
] as const;

export type RejectExportRow = Record<(typeof REJECT_COLUMNS)[number], string | number | null>;

/**
 * The rejects of the given batches, or of every load in force when none are named (not those a later load of
 * the file replaced), or of the files whose name or path is `file`. A file set aside whole is one row without
 * a line: its reason says why.
 */
export async function listRejects(
  db: Db,
  filter: { batchIds?: string[]; file?: string; limitPerBatch?: number } = {},
): Promise<RejectExportRow[]> {
  const rows = await db.query<RejectExportRow>(
    `select b.file_name, r.line::bigint as line, r.column_name as "column", r.value, r.reason, r.row_text, b.kind,
       b.status as file_status, b.batch_id, b.file_path, strftime(b.loaded_at, '%Y-%m-%d %H:%M:%S') as loaded_at
     from rejects r
     join batches b on b.batch_id = r.batch_id
     where ($all_batches or list_contains(string_split($batch_ids, ','), b.batch_id))
       and ($file is null or b.file_name = $file or b.file_path = $file)
       -- the export lists what is to correct: not the rejects of a load a later load of the file replaced
       -- (under corrected mappings), nor a quarantine a later attempt of the same file (its path) replaced;
       -- another file of the same name elsewhere replaces nothing
       and (not $all_batches or (
         b.batch_id not in (select batch_id from superseded_batches)
         and not (b.status = 'quarantined' and exists (
           select 1 from batches l where l.file_path = b.file_path and l.seq > b.seq))))
     qualify row_number() over (partition by b.batch_id order by r.line nulls first, r.column_name) <= $limit
     order by b.seq, r.line nulls first, r.column_name`,
    {
      all_batches: filter.batchIds === undefined,
      // batch ids are hex digits: a comma-joined text (an empty list would bind with no element type)
      batch_ids: (filter.batchIds ?? []).join(','),
      file: filter.file ?? null,
      limit: filter.limitPerBatch ?? Number.MAX_SAFE_INTEGER,
    },
  );
  return rows.map((r) => ({ ...r, line: r.line === null ? null : Number(r.line) }));
}

/** How many rejects each of the given batches has (a batch without any is absent). */
export async function rejectCounts(db: Db, batchIds: string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ batch_id: string; n: number }>(
    `select batch_id, count(*)::integer as n from rejects where list_contains(string_split($ids, ','), batch_id) group by batch_id`,
    { ids: batchIds.join(',') },
  );
  return new Map(rows.map((r) => [r.batch_id, r.n]));
}

export function rejectsToCsv(rows: RejectExportRow[], options: { bom: boolean }): string {
  const lines = [REJECT_COLUMNS.join(',')];
  for (const row of rows) lines.push(REJECT_COLUMNS.map((c) => csvField(row[c])).join(','));
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

export function rejectsToJson(rows: RejectExportRow[]): string {
  return (
    JSON.stringify(
      rows.map((row) => Object.fromEntries(REJECT_COLUMNS.map((c) => [c, row[c]]))),
      null,
      2,
    ) + '\n'
  );
}
