// A rule's rows on their way to evaluations and findings, all inside DuckDB: the rows (from the rule's SQL,
// plus any computed in TypeScript) land in the temp table _sw_rows with one fixed shape; the evaluations and
// the findings, with their evidence (article, profile, the deadline's counting and the holidays in the
// window, the data-gap days), are then written by SQL. A province-year has millions of evaluated windows
// and hundreds of thousands of findings: none of them passes through JS.
import { bulkInsert } from '../store/bulk-insert.ts';
import type { Db, Params } from '../store/db.ts';
import { findingIdSql, type RuleRow } from './findings.ts';
import { boundParams } from './rule-definition.ts';

const ROW_COLUMNS = [
  ['dept_code', 'varchar'],
  ['subject_type', 'varchar'],
  ['subject_id', 'varchar'],
  ['started_on', 'date'],
  ['deadline', 'date'],
  ['observed_on', 'date'],
  ['late_working_days', 'integer'],
  ['late_calendar_days', 'integer'],
  ['status', 'varchar'],
  ['units', 'bigint'],
  ['failed_units', 'bigint'],
  ['evidence', 'json'],
  ['subjects', 'bigint'],
] as const;

const DEFAULT_FAILED = `case when status = 'ok' then 0 else 1 end`;

export async function createRowsTable(db: Db): Promise<void> {
  await db.run(
    `create or replace temp table _sw_rows (${ROW_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})`,
  );
}

/**
 * The rule SQL's rows into _sw_rows. A weighted rule's SQL also gives `units` (what the subject weighs in a
 * rate indicator) and `failed_units`; otherwise each subject weighs 1 and fails whole. A rule that groups
 * passes gives `subjects`: how many passes a row stands for (they weigh that much together).
 */
export async function insertSqlRows(
  db: Db,
  sql: string,
  values: Params,
  shape: { weighted?: boolean; groupsPasses?: boolean },
): Promise<void> {
  const subjects = shape.groupsPasses ? 'subjects' : '1';
  const units = shape.weighted ? 'coalesce(units, 1)' : subjects;
  const failed = shape.weighted ? `coalesce(failed_units, ${DEFAULT_FAILED})` : DEFAULT_FAILED;
  await db.run(
    `insert into _sw_rows
     select dept_code, subject_type, subject_id, started_on, deadline, observed_on, late_working_days,
       late_calendar_days, status, ${units}, ${failed},
       -- only findings keep evidence: a pass has nothing to show, and a province has millions of them
       case when status = 'ok' then null else to_json(evidence) end,
       ${subjects}
     from (${sql})`,
    boundParams(sql, values),
  );
}

/** Rows a rule computed in TypeScript (small counts: data samples), appended as text and cast. */
export async function insertComputedRows(db: Db, rows: RuleRow[]): Promise<void> {
  const cells = rows.map((row) => [
    row.dept_code,
    row.subject_type,
    row.subject_id,
    row.started_on,
    row.deadline,
    row.observed_on,
    row.late_working_days,
    row.late_calendar_days,
    row.status,
    row.units ?? 1,
    row.failed_units ?? (row.status === 'ok' ? 0 : 1),
    row.evidence === null ? null : JSON.stringify(row.evidence),
    1,
  ]);
  const columns = ROW_COLUMNS.map(([c]) => c);
  await bulkInsert(db, '_sw_rows', columns, cells, new Map<string, string>(ROW_COLUMNS));
}

/**
 * Collector-health gating: counted rows whose window (started_on .. observed_on) contains a gap day of a
 * source the rule depends on become 'data_gap'; the gap evidence (sources, the first 20 days, how many)
 * goes into _sw_gap_evidence for the findings (empty when the rule has no gaps).
 */
export async function gateRows(db: Db, gaps: Map<string, string[]>): Promise<void> {
  if ([...gaps.values()].every((days) => days.length === 0)) {
    await db.run('create or replace temp table _sw_gap_evidence (subject_id varchar, gap json)');
    return;
  }
  await db.run('create or replace temp table _sw_gaps (source varchar, date date)');
  const appender = await db.connection.createAppender('_sw_gaps', 'main', 'temp');
  for (const [source, days] of gaps) {
    for (const day of [...new Set(days)].sort()) {
      appender.appendVarchar(source);
      appender.appendVarchar(day);
      appender.endRow();
    }
  }
  appender.closeSync();
  await db.run(`create or replace temp table _sw_gap_evidence as
    select r.subject_id,
      to_json({
        'sources': list(distinct g.source order by g.source),
        'days': (list(g.date order by g.source, g.date))[1:20],
        'day_count': count(*)
      }) as gap
    from _sw_rows r
    join _sw_gaps g on g.date between r.started_on and coalesce(r.observed_on, r.started_on)
    where r.status in ('open', 'needs_review') and r.started_on is not null
    group by r.subject_id`);
  await db.run(`update _sw_rows set status = 'data_gap'
    where subject_id in (select subject_id from _sw_gap_evidence)`);
}

const EVALUATION_COLUMNS = `(run_id, rule_id, dept_code, subject_id, status, units, failed_units, finding_id, subjects)`;

/**
 * The rule's rows into evaluations; returns how many subjects were evaluated. With `passGroup` (a SQL
 * expression over _sw_rows), the passes of a group are one row: subject_id '<group>/*', their units and
 * `subjects` summed (rows the rule grouped already regroup to themselves). Only findings carry an id:
 * decisions are made on findings.
 */
export async function insertEvaluations(
  db: Db,
  ids: { run: string; rule: string; profile: string },
  passGroup?: string,
): Promise<number> {
  const findingId = findingIdSql('subject_id');
  await db.run(
    passGroup === undefined
      ? `insert into evaluations ${EVALUATION_COLUMNS}
         select $run, $rule, dept_code, subject_id, status, units, failed_units,
           case when status = 'ok' then null else ${findingId} end, subjects
         from _sw_rows`
      : `insert into evaluations ${EVALUATION_COLUMNS}
         select $run, $rule, dept_code, subject_id, status, units, failed_units, ${findingId}, subjects
         from _sw_rows where status <> 'ok'
         union all
         select $run, $rule, dept_code, (${passGroup}) || '/*', 'ok', sum(units), 0, null, sum(subjects)
         from _sw_rows where status = 'ok'
         group by dept_code, (${passGroup})`,
    ids,
  );
  const [row] = await db.query<{ n: number }>(
    'select coalesce(sum(subjects), 0)::integer as n from _sw_rows',
  );
  return row!.n;
}

export interface FindingContext {
  run: string;
  rule: string;
  dimension: string;
  article: string;
  basis: string;
  /** The profile's note on the rule: why a number the article does not state was chosen (basis: default). */
  basis_note: string | null;
  /** The holiday calendar the deadlines were counted on (WorkCalendar.version). */
  calendar_version: string;
  profile: string;
  profile_version: string;
  profile_hash: string;
  period: string;
  /** The rule's working days when it has a legal clock: its findings then explain the deadline. */
  days: number | undefined;
  /** A SQL expression over _sw_rows giving 'minor', 'major' or 'serious'. */
  severitySql: string;
}

/** The deadline's explanation: start (not counted), the working days, holidays and make-up days in the window. */
function clockSql(days: number): string {
  // the later of deadline and observation, cut at the calendar's last covered day
  const end = `least(coalesce(greatest(r.deadline, r.observed_on), r.started_on), (select max(date) from calendar))`;
  const special = (kind: string) =>
    `coalesce((select list({'date': c.date, 'name': c.day_name} order by c.date) from calendar c
      where c.day_kind = '${kind}' and c.date > r.started_on and c.date <= ${end}), [])`;
  return `case when r.started_on is null then '' else ',"clock":' || to_json({
      'start': r.started_on,
      'working_days': ${days},
      'deadline': r.deadline,
      'observed_on': r.observed_on,
      'counting': '自 ' || strftime(r.started_on, '%Y-%m-%d') || ' 的次日起算（起算日不计入），第 ${days} 个工作日为期限；节假日不计，调休上班日计入',
      'basis': $basis,
      'holidays': ${special('holiday')},
      'makeup_days': ${special('makeup')},
      'late_working_days': r.late_working_days,
      'late_calendar_days': r.late_calendar_days,
      'calendar_ends': (select max(date) from calendar),
      -- late, but observed beyond the calendar: the working days late are counted up to its last day only
      'late_working_days_at_least': case when r.status = 'open' and r.late_working_days is null
        and r.deadline is not null then (select max(workday_index) from calendar)
          - (select workday_index from calendar where date = r.deadline) end,
      'pending_calendar': r.status = 'pending_calendar'
    })::varchar end`;
}

/** Writes the rule's findings (every row that is not 'ok'); returns counts by status group. */
export async function insertFindings(
  db: Db,
  ctx: FindingContext,
): Promise<{ findings: number; pending_calendar: number; data_gap: number }> {
  const records = `coalesce(case when g.gap is not null
      then json_merge_patch(coalesce(r.evidence, '{}'), json_object('data_gap', g.gap))
      else r.evidence end::varchar, 'null')`;
  const clock = ctx.days === undefined ? `''` : clockSql(ctx.days);
  const sql = `insert into findings
    select ${findingIdSql('r.subject_id')}, $run, $rule, $dimension, r.dept_code,
      r.subject_type, r.subject_id, $article, $profile, $profile_version, $period, r.started_on, r.deadline,
      r.observed_on, r.late_working_days, r.late_calendar_days, ${ctx.severitySql}, r.status,
      json('{"records":' || ${records} || ',"article":' || to_json($article::varchar) || ',"basis":'
        || to_json($basis::varchar) || ',"basis_note":' || coalesce(to_json($basis_note::varchar), 'null') || ',"profile":'
        || to_json({'id': $profile::varchar, 'version': $profile_version::varchar, 'hash': $profile_hash::varchar})
        || ',"calendar":' || to_json($calendar_version::varchar)
        || ',"run_id":' || to_json($run::varchar) || ${clock} || '}')
    from _sw_rows r left join _sw_gap_evidence g on g.subject_id = r.subject_id
    where r.status <> 'ok'`;
  await db.run(sql, boundParams(sql, { ...ctx, days: null, severitySql: null }));
  const [counts] = await db.query<{ findings: number; pending_calendar: number; data_gap: number }>(
    `select (count(*) filter (where status not in ('ok', 'pending_calendar', 'data_gap')))::integer as findings,
       (count(*) filter (where status = 'pending_calendar'))::integer as pending_calendar,
       (count(*) filter (where status = 'data_gap'))::integer as data_gap
     from _sw_rows`,
  );
  return counts!;
}

export async function dropRuleTables(db: Db): Promise<void> {
  for (const table of ['_sw_rows', '_sw_gaps', '_sw_gap_evidence'])
    await db.run(`drop table if exists ${table}`);
}
