// Loads one inspected file of a known kind into its raw table, all in the caller's transaction.
// Fast path: DuckDB scans the CSV itself (explicit VARCHAR columns, strict quoting) and converts values in
// the same statement; any structural error, bad value or duplicated key aborts it. Careful path: the file
// is split in JS with exact line numbers, staged, and every problem becomes a reject with line, column,
// value and reason while the good rows load. Clean files never pay for the careful path.
import { readFile } from 'node:fs/promises';
import { AppError } from '../config/errors.ts';
import type { RecordKind } from '../store/record-kinds.ts';
import { progressSteps, q } from '../store/schema.ts';
import type { Db } from '../store/db.ts';
import { badRowExpr, enumJoins, problemsExpr, sqlString, trimmedSql, typedExpr } from './convert-sql.ts';
import { splitRows, type StagedRow } from './split-rows.ts';
import type { HeaderPlan } from './detect-kind.ts';

export interface LoadTarget {
  db: Db;
  kind: RecordKind;
  plan: HeaderPlan;
  header: string[];
  utf8Path: string;
  filePath: string;
  batchId: string;
  seq: number;
  format: 'csv' | 'jsonl';
  /** From InspectedFile; false lets the fast path skip trim() (it would change no value). */
  edgeBlanks?: boolean;
}

export interface LoadCounts {
  rowsTotal: number;
  rowsLoaded: number;
  rowsRejected: number;
}

export interface RejectRow {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
  /** The whole record as the file has it (decoded to UTF-8), so that nothing of a rejected row is lost. */
  rowText: string | null;
}

const BAD_ROW = 'sw_bad_row';

function insertColumns(kind: RecordKind): string {
  return [...kind.columns.map((c) => q(c.name)), 'extra', '_batch_id', '_seq'].join(', ');
}

function extraJson(target: LoadTarget, ref: (index: number) => string): string {
  if (target.plan.extraIndexes.length === 0) return 'null::json';
  const pairs = target.plan.extraIndexes.map(
    (i) => `${sqlString(target.header[i]!.trim() || `column${i + 1}`)}, ${ref(i)}`,
  );
  return `json_object(${pairs.join(', ')})`;
}

/** Thrown inside the fast path's transaction so that it rolls back and the careful path runs instead. */
export class NeedsCarefulPath extends Error {}

/** Fast path; throws NeedsCarefulPath (the caller's transaction then rolls back) when the file is not clean. */
export async function loadCsvFast(target: LoadTarget): Promise<LoadCounts> {
  const { db, kind, plan, header } = target;
  const columns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const raw = (i: number) => (target.edgeBlanks === false ? `nullif(f.c${i}, '')` : trimmedSql(`f.c${i}`));
  const selectRaw = kind.columns.map((c) => {
    const index = plan.columnIndex.get(c.name);
    return `${index === undefined ? 'null::varchar' : raw(index)} as ${q(c.name)}`;
  });
  // DuckDB keeps the quotes of a quoted value after two or more blanks ('  "E1"' is "E1" with its quotes),
  // which the careful path reads as E1: a value that starts with a quote once trimmed sends the file there, or
  // one event could be stored twice. Only a file with blanks at a field's edge can hold one.
  const quoted =
    target.edgeBlanks === false ? 'false' : header.map((_, i) => `starts_with(${raw(i)}, '"')`).join(' or ');
  const sql = `insert into ${kind.table} (${insertColumns(kind)})
    select ${kind.columns.map(typedExpr).join(', ')}, src.extra,
      case when src._quoted or ${badRowExpr(kind)} then error('${BAD_ROW}') else $batch end, $seq
    from (
      select ${selectRaw.join(', ')}, ${extraJson(target, raw)} as extra, coalesce(${quoted}, false) as _quoted
      from read_csv(${sqlString(target.utf8Path)}, header = true, auto_detect = false, delim = ',', quote = '"',
        escape = '"', strict_mode = true, null_padding = false, columns = {${columns}}) f
    ) src
    ${enumJoins(kind)}`;
  let inserted: number;
  try {
    const result = await db.run(sql, { batch: target.batchId, seq: target.seq });
    inserted = Number(result.rowsChanged);
  } catch (error) {
    // Only the file's own content sends it to the careful path; any other failure is a real error.
    const message = (error as Error).message;
    // DuckDB's CSV reader reports a line it cannot read as "CSV Error on Line", but mixed line endings or a
    // bare CR inside a field as "The CSV Parser state machine reached an invalid state": both are the file's
    if (
      message.includes(BAD_ROW) ||
      message.includes('CSV Error on Line') ||
      message.includes('CSV Parser state machine')
    )
      throw new NeedsCarefulPath(message);
    throw error;
  }
  const key = kind.key.map(q).join(', ');
  // Distinct hashes: a collision can only report a duplicate that is not there (then the careful path,
  // which compares the keys themselves, runs), never hide one.
  const dup = await db.query<{ n: number }>(
    `select count(*) - count(distinct hash(${key})) as n from ${kind.table} where _batch_id = $batch`,
    { batch: target.batchId },
  );
  if (dup[0]!.n > 0) throw new NeedsCarefulPath('duplicate keys in file');
  return { rowsTotal: inserted, rowsLoaded: inserted, rowsRejected: 0 };
}

async function stageRows(db: Db, kind: RecordKind, rows: StagedRow[]): Promise<void> {
  const cols = kind.columns.map((c) => `${q(c.name)} varchar`).join(', ');
  await db.run(`create or replace temp table _sw_stage (_line bigint, ${cols}, extra varchar)`);
  const appender = await db.connection.createAppender('_sw_stage', 'main', 'temp');
  for (const row of rows) {
    appender.appendBigInt(BigInt(row.line));
    for (const value of row.values) {
      if (value === null) appender.appendNull();
      else appender.appendVarchar(value);
    }
    if (row.extra === null) appender.appendNull();
    else appender.appendVarchar(row.extra);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * Types the staged rows and lists each row's problems. A key repeated within the file (compared as typed
 * values, so 2026-01-01 and 2026/01/01 are one date) is a problem of every occurrence but the one kept, as
 * the current state is chosen across files (schema.ts): of an event (an immutable kind), the first; of a
 * record, the one with the most progress steps (a request answered after it was pending), then the last line;
 * a row that loads before one rejected for a value of its own.
 * A row whose key is missing already has a problem of its own and is not compared.
 */
async function checkStaged(db: Db, kind: RecordKind): Promise<void> {
  const key = kind.key.map(q).join(', ');
  const keyPresent = kind.key.map((k) => `${q(k)} is not null`).join(' and ');
  const keyText = kind.key.map((k) => `coalesce(${q(`raw_${k}`)}, '')`).join(` || '|' || `);
  const progress = progressSteps(kind);
  // a row that loads is kept before one rejected for a value of its own, or the key would lose both
  const keep = [
    'len(row_problems) > 0',
    ...(kind.immutable ? ['_line'] : [...(progress ? [`${progress} desc`] : []), '_line desc']),
  ].join(', ');
  await db.run(`create or replace temp table _sw_checked as
    with typed as (
      select src._line, ${kind.columns.map((c) => `${typedExpr(c)} as ${q(c.name)}`).join(', ')},
        ${kind.key.map((k) => `src.${q(k)} as ${q(`raw_${k}`)}`).join(', ')},
        src.extra::json as extra, ${problemsExpr(kind)} as row_problems
      from _sw_stage src
      ${enumJoins(kind)}
    ),
    ranked as (
      select *,
        case when ${keyPresent} then row_number() over (partition by ${key} order by ${keep}) end as nth,
        case when ${keyPresent} then first_value(_line) over (partition by ${key} order by ${keep}) end as kept_line,
        first_value(len(row_problems) = 0) over (partition by ${key} order by ${keep}) as kept_ok
      from typed
    )
    select _line, ${kind.columns.map((c) => q(c.name)).join(', ')}, extra,
      list_concat(row_problems,
        case when nth > 1
          then [{'col': ${sqlString(kind.key.join('+'))}, 'value': ${keyText},
                 'reason': '与本文件第 ' || kept_line || ' 行的记录标识重复（同一文件中每条记录只能出现一次' ||
                   -- the line kept is rejected too when no line of the key loads: none is kept then
                   case when kept_ok
                     then '；' || ${sqlString(kind.immutable ? '保留先出现的' : '保留进度最靠后、其次最后出现的')} || '第 ' || kept_line || ' 行）'
                     else '）' end}]
          else [] end) as problems
    from ranked`);
}

/**
 * A canonical column (or key columns joined by +) as the file names it: the file's own header, with the
 * canonical name after it where a mapping renamed it (审批单号（request_id）), so that the user finds the column.
 */
function fileColumnName(target: LoadTarget, canonical: string): string {
  return canonical
    .split('+')
    .map((name) => {
      const index = target.plan.columnIndex.get(name);
      const own = index === undefined ? name : target.header[index]!.trim();
      return own === name ? name : `${own}（${name}）`;
    })
    .join('+');
}

/** Careful path: exact lines; bad rows become rejects, good rows load. Runs in the caller's transaction. */
export async function loadCareful(target: LoadTarget): Promise<LoadCounts & { rejects: RejectRow[] }> {
  const { db, kind } = target;
  const text = (await readFile(target.utf8Path, 'utf8')).replace(/^\uFEFF/, '');
  const { rows, rejects } = splitRows(target, text);
  await stageRows(db, kind, rows);
  await checkStaged(db, kind);
  const valueRejects = await db.query<{ line: number; col: string; value: string | null; reason: string }>(
    `select _line as line, p.col as col, p.value as value, p.reason as reason
     from (select _line, unnest(problems) as p from _sw_checked) order by _line, col`,
  );
  // the rejected records' own text, looked up by line only when there are value rejects
  const textOf =
    valueRejects.length > 0 ? new Map(rows.map((r) => [r.line, r.text])) : new Map<number, string>();
  const allRejects: RejectRow[] = [
    ...rejects,
    ...valueRejects.map((r) => ({
      line: r.line,
      column: fileColumnName(target, r.col),
      value: r.value,
      reason: r.reason,
      rowText: textOf.get(Number(r.line)) ?? null,
    })),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const result = await db.run(
    `insert into ${kind.table} (${insertColumns(kind)})
     select ${kind.columns.map((c) => q(c.name)).join(', ')}, extra, $batch, $seq
     from _sw_checked where len(problems) = 0 order by _line`,
    { batch: target.batchId, seq: target.seq },
  );
  const loaded = Number(result.rowsChanged);
  const rejectedLines = new Set(allRejects.map((r) => r.line)).size;
  await db.run('drop table if exists _sw_checked');
  await db.run('drop table if exists _sw_stage');
  if (loaded + rejectedLines !== rows.length + rejects.length) {
    throw new AppError(
      'ingest_count_mismatch',
      `内部错误：${target.filePath} 共 ${rows.length + rejects.length} 行数据，载入 ${loaded} 行、拒收 ${rejectedLines} 行，两者之和不等于数据行数`,
    );
  }
  return {
    rowsTotal: loaded + rejectedLines,
    rowsLoaded: loaded,
    rowsRejected: rejectedLines,
    rejects: allRejects,
  };
}
