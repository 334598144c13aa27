// Reads of stored runs for exports, the CLI and reports: the latest run of a profile and period, its scores
// (ordered by rank, then department) and its indicator values. Scores come back as exact decimal text.
import { AppError } from '../config/errors.ts';
import { WorkCalendar } from './calendar.ts';
import { parseProfile, type Profile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';

export interface RunRow {
  run_id: string;
  profile_id: string;
  profile_version: string;
  profile_hash: string;
  calendar_version: string;
  period: string;
  period_start: string;
  period_end: string;
  as_of: string;
  batch_hashes: string;
  review_seq: number;
  code_version: string;
  previous_run_id: string | null;
  /** null for a run made before the hash was kept (schema v5) */
  review_hash: string | null;
}

export interface ScoreRow {
  dept_code: string;
  dept_name: string | null;
  period: string;
  catalog: string | null;
  supply: string | null;
  quality: string | null;
  misuse: string | null;
  total: string | null;
  grade: string | null;
  rank: number | null;
  veto: boolean;
  change: string | null;
}

const RUN_COLUMNS = `run_id, profile_id, profile_version, profile_hash, calendar_version, period, period_start, period_end,
  as_of, batch_hashes::varchar as batch_hashes, review_seq::integer as review_seq, code_version,
  previous_run_id, review_hash`;

export async function latestRun(db: Db, profileId: string, period: string): Promise<RunRow | null> {
  const rows = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from runs where profile_id = $p and period = $period order by seq desc limit 1`,
    { p: profileId, period },
  );
  return rows[0] ?? null;
}

/**
 * The run a period's change is measured against: the latest run of that period under the same profile
 * content (a change between totals of two methods would measure the method) whose as-of date reached the
 * period's end (a run part-way through a period is no baseline) and had passed when it was made (a run with
 * an as-of still to come judged deadlines on records that did not exist yet), or null.
 */
export async function latestCompleteRun(db: Db, profile: Profile, period: string): Promise<string | null> {
  const rows = await db.query<{ run_id: string }>(
    `select run_id from runs
     where profile_id = $p and profile_hash = $hash and period = $period and as_of >= period_end
       and as_of < cast(created_at as date)
     order by seq desc limit 1`,
    { p: profile.id, hash: profile.hash, period },
  );
  return rows[0]?.run_id ?? null;
}

export async function runById(db: Db, runId: string): Promise<RunRow> {
  const rows = await db.query<RunRow>(`select ${RUN_COLUMNS} from runs where run_id = $id`, { id: runId });
  if (!rows[0]) throw new AppError('run_unknown', `没有编号为 ${runId} 的评估运行（清单）。`);
  return rows[0];
}

/** A run scored under the same profile id and version but other content, if any (the version was reused). */
export async function runOfReusedVersion(db: Db, profile: Profile): Promise<string | null> {
  const rows = await db.query<{ run_id: string }>(
    `select run_id from runs where profile_id = $id and profile_version = $version and profile_hash <> $hash
     order by seq limit 1`,
    { id: profile.id, version: profile.version, hash: profile.hash },
  );
  return rows[0]?.run_id ?? null;
}

/** The profile a run used, as stored with the run; null for a run scored before profiles were stored. */
export async function profileOfRun(db: Db, run: RunRow): Promise<Profile | null> {
  const rows = await db.query<{ file_name: string; text: string; default_scoring_text: string | null }>(
    'select file_name, text, default_scoring_text from profile_sources where profile_hash = $hash',
    { hash: run.profile_hash },
  );
  const stored = rows[0];
  return stored
    ? parseProfile(stored.file_name, stored.text, stored.default_scoring_text ?? undefined, { stored: true })
    : null;
}

/** The holiday calendar the run counted with, as stored with it; null for a run made before calendars were. */
export async function calendarOfRun(db: Db, run: RunRow, calendarDir: string): Promise<WorkCalendar | null> {
  const rows = await db.query<{ source: string }>('select source from calendar_sources where version = $v', {
    v: run.calendar_version,
  });
  return rows[0] ? WorkCalendar.deserialize(rows[0].source, calendarDir) : null;
}

export async function requireLatestRun(db: Db, profileId: string, period: string): Promise<RunRow> {
  const run = await latestRun(db, profileId, period);
  if (!run) {
    throw new AppError(
      'no_run',
      `还没有 ${profileId} ${period} 的评估结果：请先运行 sharewatch score --profile ${profileId}（并指定相应的 --year/--quarter/--month）。`,
    );
  }
  return run;
}

export async function scoresOfRun(db: Db, runId: string): Promise<ScoreRow[]> {
  return db.query<ScoreRow>(
    `select dept_code, dept_name, period, catalog::varchar as catalog, supply::varchar as supply, quality::varchar as quality,
       misuse::varchar as misuse, total::varchar as total, grade, rank, veto, change::varchar as change
     from scores where run_id = $run order by rank nulls last, dept_code`,
    { run: runId },
  );
}

export interface IndicatorRow {
  dept_code: string;
  indicator_id: string;
  dimension: string;
  units: number;
  failed_units: number;
  deducted_points: number;
  score: string | null;
}

export async function indicatorsOfRun(db: Db, runId: string): Promise<IndicatorRow[]> {
  return db.query<IndicatorRow>(
    `select dept_code, indicator_id, dimension, units, failed_units, deducted_points, score::varchar as score
     from indicator_scores where run_id = $run order by dept_code, dimension, indicator_id`,
    { run: runId },
  );
}
