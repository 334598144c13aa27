// Writes findings in bulk (appender into a text staging table, then one typed insert) and reads them
// back for exports, ordered so that the same data always gives byte-identical output.
import type { Db } from '../store/db.ts';
import type { Evaluation, Finding } from './findings.ts';

const COLUMNS = [
  'finding_id',
  'run_id',
  'rule_id',
  'dimension',
  'dept_code',
  'subject_type',
  'subject_id',
  'article',
  'profile',
  'profile_version',
  'period',
  'started_on',
  'deadline',
  'observed_on',
  'late_working_days',
  'late_calendar_days',
  'severity',
  'status',
  'evidence',
] as const;

export async function insertFindings(db: Db, findings: Finding[]): Promise<void> {
  await db.run(
    `create or replace temp table _sw_findings (${COLUMNS.map((c) => `${c} varchar`).join(', ')})`,
  );
  const appender = await db.connection.createAppender('_sw_findings', 'main', 'temp');
  for (const f of findings) {
    for (const column of COLUMNS) {
      const value = column === 'evidence' ? JSON.stringify(f.evidence) : f[column];
      if (value === null || value === undefined) appender.appendNull();
      else appender.appendVarchar(String(value));
    }
    appender.endRow();
  }
  appender.closeSync();
  await db.run(`insert into findings select finding_id, run_id, rule_id, dimension, dept_code, subject_type, subject_id,
      article, profile, profile_version, period, cast(started_on as date), cast(deadline as date),
      cast(observed_on as date), cast(late_working_days as integer), cast(late_calendar_days as integer),
      severity, status, cast(evidence as json)
    from _sw_findings`);
  await db.run('drop table _sw_findings');
}

export async function insertEvaluations(db: Db, evaluations: Evaluation[]): Promise<void> {
  const appender = await db.connection.createAppender('evaluations');
  for (const e of evaluations) {
    appender.appendVarchar(e.run_id);
    appender.appendVarchar(e.rule_id);
    appender.appendVarchar(e.dept_code);
    appender.appendVarchar(e.subject_id);
    appender.appendVarchar(e.status);
    appender.appendBigInt(BigInt(e.units));
    appender.appendBigInt(BigInt(e.failed_units));
    appender.appendVarchar(e.finding_id);
    appender.endRow();
  }
  appender.closeSync();
}

export interface FindingExportRow {
  finding_id: string;
  rule_id: string;
  dimension: string;
  dept_code: string;
  subject_type: string;
  subject_id: string;
  article: string;
  profile: string;
  profile_version: string;
  period: string;
  started_on: string | null;
  deadline: string | null;
  observed_on: string | null;
  late_working_days: number | null;
  late_calendar_days: number | null;
  severity: string;
  status: string;
  evidence: string;
  run_id: string;
}

/** The findings of the latest run for a profile and period label. */
export async function latestRunFindings(
  db: Db,
  profileId: string,
  period: string,
): Promise<{ runId: string | null; rows: FindingExportRow[] }> {
  const runs = await db.query<{ run_id: string }>(
    `select run_id from runs where profile_id = $p and period = $period order by created_at desc, run_id limit 1`,
    { p: profileId, period },
  );
  const runId = runs[0]?.run_id ?? null;
  if (!runId) return { runId: null, rows: [] };
  const rows = await db.query<FindingExportRow>(
    `select finding_id, rule_id, dimension, dept_code, subject_type, subject_id, article, profile, profile_version,
       period, started_on, deadline, observed_on, late_working_days, late_calendar_days, severity, status,
       evidence::varchar as evidence, run_id
     from findings where run_id = $run order by rule_id, dept_code, subject_id`,
    { run: runId },
  );
  return { runId, rows };
}
