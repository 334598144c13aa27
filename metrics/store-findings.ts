// Reads a run's findings back for exports, ordered so that the same data always gives byte-identical output.
import type { Db } from '../store/db.ts';
import { decisionsForRun, effectiveStatus } from './reviews.ts';
import { latestRun } from './score-queries.ts';

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
  /** the evaluator's decision that applies in this run (empty when none) */
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
}

/** The findings of a run, with the status after the evaluators' decisions the run included. */
export async function findingsOfRun(db: Db, runId: string, reviewSeq: number): Promise<FindingExportRow[]> {
  const rows = await db.query<Omit<FindingExportRow, 'reviewed_by' | 'reviewed_at' | 'review_reason'>>(
    `select finding_id, rule_id, dimension, dept_code, subject_type, subject_id, article, profile, profile_version,
       period, started_on, deadline, observed_on, late_working_days, late_calendar_days, severity, status,
       evidence::varchar as evidence, run_id
     from findings where run_id = $run order by rule_id, dept_code, subject_id`,
    { run: runId },
  );
  const decisions = await decisionsForRun(db, runId, reviewSeq);
  return rows.map((r) => {
    const applied = decisions.get(r.finding_id);
    const status = effectiveStatus(r.status, applied?.decision);
    // a decision the status does not show (a data gap stays a data gap) is not reported as the finding's review
    const shown = applied !== undefined && status !== r.status;
    return {
      ...r,
      status,
      reviewed_by: shown ? applied.actor : null,
      reviewed_at: shown ? applied.at : null,
      review_reason: shown ? applied.reason : null,
    };
  });
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
