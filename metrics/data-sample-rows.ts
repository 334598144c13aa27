// Reads the data_sample rows of the period (the int_data_sample table, built from
// metrics/rules/int_data_sample.sql) with each record parsed back into item -> value. Shared by the two
// rules that look at sampled data: quality.conformance and quality.one_source.
import type { Db } from '../store/db.ts';

export interface SampleRow {
  resource_code: string;
  batch_id: string;
  file_name: string;
  sampled_on: string | null;
  provider_dept: string;
  category: string | null;
  catalog_items: string[] | null;
  catalog_snapshot_date: string;
  row_no: number;
  line: number;
  record: Record<string, string | null>;
}

export async function readSampleRows(db: Db): Promise<SampleRow[]> {
  const rows = await db.query<Omit<SampleRow, 'record'> & { record: string }>(
    `select resource_code, batch_id, file_name, sampled_on, provider_dept, category, catalog_items,
       catalog_snapshot_date, row_no, line, record
     from int_data_sample
     order by resource_code, batch_seq, row_no`,
  );
  return rows.map((r) => ({ ...r, record: JSON.parse(r.record) as Record<string, string | null> }));
}

/** Rows grouped by sample (one batch of one resource), in the order read. */
export function groupBySample(rows: SampleRow[]): SampleRow[][] {
  const groups = new Map<string, SampleRow[]>();
  for (const row of rows) {
    const key = `${row.resource_code}/${row.batch_id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}
