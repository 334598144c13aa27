// Scores of one run: evaluations counted after review (dismissed = passes, exempted = left out, needs-review
// counts only once confirmed, pending calendar and data gaps are left out), then compute-scores, then the
// rows stored for exports, with the change against the previous period of the same length.
import type { Profile } from '../config/profile.ts';
import type { RuleId } from '../config/rule-ids.ts';
import type { Db } from '../store/db.ts';
import { bulkInsert, type Cell } from '../store/bulk-insert.ts';
import {
  computeScores,
  formatScore,
  type Counted,
  type CountedEvaluation,
  type DepartmentScore,
} from './compute-scores.ts';
import type { Evaluation } from './findings.ts';
import type { Decision } from './reviews.ts';

export function countEvaluation(status: string, decision: Decision | undefined): Counted {
  if (status === 'ok') return 'pass';
  if (status === 'pending_calendar' || status === 'data_gap' || decision === 'exempt') return 'excluded';
  if (status === 'needs_review') return decision === 'confirm' ? 'fail' : 'pass';
  return decision === 'dismiss' ? 'pass' : 'fail';
}

export function countEvaluations(
  evaluations: Evaluation[],
  decisions: Map<string, Decision>,
): CountedEvaluation[] {
  return evaluations.map((e) => {
    const decision = decisions.get(e.finding_id);
    return {
      rule_id: e.rule_id as RuleId,
      dept_code: e.dept_code,
      subject_id: e.subject_id,
      units: e.units,
      failed_units: e.failed_units,
      counted: countEvaluation(e.status, decision),
      confirmed: decision === 'confirm',
      finding_id: e.finding_id,
    };
  });
}

export function enabledRules(profile: Profile): Set<RuleId> {
  return new Set([...profile.rules.values()].filter((r) => r.enabled).map((r) => r.id));
}

export async function departmentCodes(db: Db): Promise<string[]> {
  const rows = await db.query<{ dept_code: string }>(
    'select dept_code from stg_departments order by dept_code',
  );
  return rows.map((r) => r.dept_code);
}

export function scoreDepartments(
  profile: Profile,
  departments: string[],
  counted: CountedEvaluation[],
): DepartmentScore[] {
  return computeScores(departments, counted, profile.scoring, enabledRules(profile));
}

/** The period just before: the same length (year, quarter or month) ending the day before. */
export function previousPeriodLabel(label: string): string {
  const year = Number(label.slice(0, 4));
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  if (q) return Number(q[2]) === 1 ? `${year - 1}-Q4` : `${year}-Q${Number(q[2]) - 1}`;
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m)
    return Number(m[2]) === 1 ? `${year - 1}-12` : `${year}-${String(Number(m[2]) - 1).padStart(2, '0')}`;
  return String(year - 1);
}

export async function storeScores(
  db: Db,
  runId: string,
  profile: Profile,
  period: string,
  scores: DepartmentScore[],
): Promise<void> {
  const previous = await db.query<{ dept_code: string; total: string | null }>(
    `select s.dept_code, s.total::varchar as total from scores s
     where s.run_id = (select run_id from runs where profile_id = $p and period = $prev order by seq desc limit 1)`,
    { p: profile.id, prev: previousPeriodLabel(period) },
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
  await bulkInsert(
    db,
    'indicator_scores',
    ['run_id', 'dept_code', 'indicator_id', 'dimension', 'units', 'failed_units', 'deducted_points', 'score'],
    indicatorRows,
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

function formatSigned(hundredths: number): string {
  return (hundredths < 0 ? '-' : '') + formatScore(Math.abs(hundredths))!;
}
