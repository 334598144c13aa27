// Bulk inserts of rows built in JS: appended as text into a temp table, then cast to the target table's
// own column types in one statement. The appender is fast; casting in SQL keeps DECIMAL, DATE and JSON
// exact without building DuckDB value objects in JS.
import type { Db } from './db.ts';
import { q } from './schema.ts';

export type Cell = string | number | boolean | null | undefined;

/** Inserts rows into a table of the database; `types` (column -> SQL type) is required for a temp table. */
export async function bulkInsert(
  db: Db,
  table: string,
  columns: string[],
  rows: Cell[][],
  types?: Map<string, string>,
): Promise<void> {
  if (rows.length === 0) return;
  const typeOf = types ?? (await tableTypes(db, table));
  const stage = `_sw_bulk_${table}`;
  await db.run(`create or replace temp table ${stage} (${columns.map((c) => `${q(c)} varchar`).join(', ')})`);
  const appender = await db.connection.createAppender(stage, 'main', 'temp');
  for (const row of rows) {
    for (const cell of row) {
      if (cell === null || cell === undefined) appender.appendNull();
      else appender.appendVarchar(String(cell));
    }
    appender.endRow();
  }
  appender.closeSync();
  const casts = columns.map((c) => {
    const type = typeOf.get(c);
    if (!type) throw new Error(`internal: ${table} has no column ${c}`);
    return `cast(${q(c)} as ${type})`;
  });
  await db.run(
    `insert into ${table} (${columns.map(q).join(', ')}) select ${casts.join(', ')} from ${stage}`,
  );
  await db.run(`drop table ${stage}`);
}

async function tableTypes(db: Db, table: string): Promise<Map<string, string>> {
  const types = await db.query<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns where table_name = $t and table_schema = 'main'`,
    { t: table },
  );
  return new Map(types.map((t) => [t.column_name, t.data_type]));
}
