// Scores of one run. Evaluations are counted after review and aggregated per department and indicator in
// SQL (metrics/sql/: millions of evaluated windows never pass through JS); the small aggregates then go to
// compute-scores. The stored rows carry the change against the previous period of the same length.
import type { Profile } from '../config/profile.ts';
import type { RuleId } from '../config/rule-ids.ts';
import { bulkInsert, type Cell } from '../store/bulk-insert.ts';
import type { Db } from '../store/db.ts';
import {
  computeScores,
  formatScore,
  type DepartmentScore,
  type IndicatorAggregate,
} from './compute-scores.ts';
import { decisionsForRun } from './reviews.ts';
import { metricsSql } from './sql-files.ts';

export function enabledRules(profile: Profile): Set<RuleId> {
  return new Set([...profile.rules.values()].filter((r) => r.enabled).map((r) => r.id));
}

/** _sw_indicator_rules: which enabled rule feeds which indicator, how, and for how many points. */
async function writeIndicatorRules(db: Db, profile: Profile): Promise<void> {
  await db.run(
    'create or replace temp table _sw_indicator_rules (indicator_id varchar, dimension varchar, rule_id varchar, method varchar, points integer)',
  );
  const enabled = enabledRules(profile);
  const appender = await db.connection.createAppender('_sw_indicator_rules', 'main', 'temp');
  for (const dim of profile.scoring.dimensions) {
    for (const ind of dim.indicators) {
      for (const rule of ind.rules.filter((r) => enabled.has(r))) {
        appender.appendVarchar(ind.id);
        appender.appendVarchar(dim.id);
        appender.appendVarchar(rule);
        appender.appendVarchar(ind.method);
        appender.appendInteger(ind.points?.[rule] ?? 0);
        appender.endRow();
      }
    }
  }
  appender.closeSync();
}

/** Builds _sw_counted (evaluations of the run as scores count them) for the run's review state. */
export async function prepareCounted(
  db: Db,
  profile: Profile,
  runId: string,
  reviewSeq: number,
): Promise<void> {
  await writeIndicatorRules(db, profile);
  // the decisions that apply (grounds unchanged), few: an evaluator's, one by one
  const decisions = await decisionsForRun(db, runId, reviewSeq);
  await db.run('create or replace temp table _sw_decisions (finding_id varchar, decision varchar)');
  await bulkInsert(
    db,
    '_sw_decisions',
    ['finding_id', 'decision'],
    [...decisions].map(([id, d]) => [id, d.decision]),
    new Map([
      ['finding_id', 'varchar'],
      ['decision', 'varchar'],
    ]),
  );
  await db.run(metricsSql('counted_evaluations'), { run: runId });
}

export async function indicatorAggregates(db: Db): Promise<IndicatorAggregate[]> {
  return db.query<IndicatorAggregate>(metricsSql('indicator_aggregates'));
}

export async function vetoedDepartments(db: Db, profile: Profile): Promise<Set<string>> {
  const rows = await db.query<{ dept_code: string }>(
    `select distinct dept_code from _sw_counted where counted = 'fail' and confirmed and list_contains($rules, rule_id)`,
    { rules: [...profile.scoring.veto.rules] },
  );
  return new Set(rows.map((r) => r.dept_code));
}

export async function departmentCodes(db: Db): Promise<string[]> {
  const rows = await db.query<{ dept_code: string }>(
    'select dept_code from stg_departments order by dept_code',
  );
  return rows.map((r) => r.dept_code);
}

export async function scoreRun(
  db: Db,
  profile: Profile,
  runId: string,
  reviewSeq: number,
): Promise<DepartmentScore[]> {
  await prepareCounted(db, profile, runId, reviewSeq);
  return computeScores(
    await departmentCodes(db),
    await indicatorAggregates(db),
    profile.scoring,
    await vetoedDepartments(db, profile),
  );
}

const SCORE_COLUMNS = [
  'run_id',
  'dept_code',
  'dept_name',
  'period',
  'catalog',
  'supply',
  'quality',
  'misuse',
  'total',
  'grade',
  'rank',
  'veto',
  'change',
];
const INDICATOR_COLUMNS = [
  'run_id',
  'dept_code',
  'indicator_id',
  'dimension',
  'units',
  'failed_units',
  'deducted_points',
  'score',
];

function formatSigned(hundredths: number): string {
  return (hundredths < 0 ? '-' : '') + formatScore(Math.abs(hundredths))!;
}

export async function storeScores(
  db: Db,
  runId: string,
  period: string,
  scores: DepartmentScore[],
  previousRunId: string | null,
): Promise<void> {
  const previous =
    previousRunId === null
      ? []
      : await db.query<{ dept_code: string; total: string | null }>(
          `select dept_code, total::varchar as total from scores where run_id = $prev`,
          { prev: previousRunId },
        );
  const before = new Map(
    previous.map((r) => [r.dept_code, r.total === null ? null : Math.round(Number(r.total) * 100)]),
  );
  const names = new Map(
    (
      await db.query<{ dept_code: string; dept_name: string }>(
        'select dept_code, dept_name from stg_departments',
      )
    ).map((r) => [r.dept_code, r.dept_name]),
  );
  const scoreRows: Cell[][] = scores.map((s) => {
    const prev = before.get(s.dept_code);
    const change = s.total !== null && prev !== undefined && prev !== null ? s.total - prev : null;
    const dim = (id: string) => formatScore(s.dimensions[id] ?? null);
    return [
      runId,
      s.dept_code,
      names.get(s.dept_code) ?? null,
      period,
      dim('catalog'),
      dim('supply'),
      dim('quality'),
      dim('misuse'),
      formatScore(s.total),
      s.grade,
      s.rank,
      s.veto,
      change === null ? null : formatSigned(change),
    ];
  });
  await bulkInsert(db, 'scores', SCORE_COLUMNS, scoreRows);
  const indicatorRows: Cell[][] = scores.flatMap((s) =>
    s.indicators.map((i) => [
      runId,
      s.dept_code,
      i.indicator_id,
      i.dimension,
      i.units,
      i.failed_units,
      i.deducted_points,
      formatScore(i.score),
    ]),
  );
  await bulkInsert(db, 'indicator_scores', INDICATOR_COLUMNS, indicatorRows);
}
