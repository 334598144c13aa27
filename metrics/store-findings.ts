// Writes findings in bulk (appender into a text staging table, then one typed insert) and reads them
// back for exports, ordered so that the same data always gives byte-identical output.
import type { Db } from '../store/db.ts';
import { bulkInsert } from '../store/bulk-insert.ts';
import { decisionsUpTo, effectiveStatus } from './reviews.ts';
import { latestRun } from './score-queries.ts';
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
  const rows = findings.map((f) =>
    COLUMNS.map((c) => (c === 'evidence' ? JSON.stringify(f.evidence) : f[c])),
  );
  await bulkInsert(db, 'findings', [...COLUMNS], rows);
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

/** The findings of a run, with the status after the evaluators' decisions the run included. */
export async function findingsOfRun(db: Db, runId: string, reviewSeq: number): Promise<FindingExportRow[]> {
  const rows = await db.query<FindingExportRow>(
    `select finding_id, rule_id, dimension, dept_code, subject_type, subject_id, article, profile, profile_version,
       period, started_on, deadline, observed_on, late_working_days, late_calendar_days, severity, status,
       evidence::varchar as evidence, run_id
     from findings where run_id = $run order by rule_id, dept_code, subject_id`,
    { run: runId },
  );
  const decisions = await decisionsUpTo(db, reviewSeq);
  return rows.map((r) => ({ ...r, status: effectiveStatus(r.status, decisions.get(r.finding_id)) }));
}

/** The findings of the latest run for a profile and period label. */
export async function latestRunFindings(
  db: Db,
  profileId: string,
  period: string,
): Promise<{ runId: string | null; rows: FindingExportRow[] }> {
  const run = await latestRun(db, profileId, period);
  if (!run) return { runId: null, rows: [] };
  return { runId: run.run_id, rows: await findingsOfRun(db, run.run_id, run.review_seq) };
}
