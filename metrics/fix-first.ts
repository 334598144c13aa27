// "Fix first": for each department, the open findings that cost it most, with the points each is worth.
// The worth of a finding is what the department's total gains when the finding counts as a pass: its record
// corrected (where that can still be done), or the finding dismissed on review; the department is re-scored
// with exactly the same method. An exemption takes the subject out of a rate altogether, which can be worth
// less (the CLI says so). A lateness that has happened cannot be undone, so
// for a deadline finding the points are what the lateness costs. The findings on one subject in one rate
// indicator are one item: the subject counts once there and fails while any of them stands, so removing
// one alone is worth nothing and they are corrected together (a catalog entry incomplete and wrongly
// conditional). An item that lifts the veto (一票否决) is listed first, with the grade it restores, even when
// the total does not move; where two or more confirmed findings impose the veto, no one of them lifts it, and
// all of them together are listed as one more item (veto_group) that does.
import type { Profile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';
import { formatScore, scoreDepartment, type IndicatorAggregate } from './compute-scores.ts';
import { indicatorAggregates, prepareCounted } from './score-departments.ts';
import type { RunRow } from './score-queries.ts';

export interface FixFirstItem {
  dept_code: string;
  /** The findings one correction removes, by id. */
  finding_ids: string[];
  /** Their rules, sorted. */
  rule_ids: string[];
  subject_id: string;
  /** Points the total gains when these findings no longer count, exact to 0.01. */
  gain: string;
  grade: string;
  grade_after: string;
  lifts_veto: boolean;
  /**
   * The confirmed findings of the veto rules taken together (listed when there are two or more): no one of
   * them lifts the veto alone, all of them do. Their subjects are joined by 、 in subject_id.
   */
  veto_group: boolean;
  /**
   * For a finding of a deduction indicator already deducted below 0 (floored): the points deducted beyond
   * the 100, which corrections must remove before any of them raises the score; null otherwise. Such a
   * finding alone is worth 0.00 but is listed, so a department at the floor still sees what to correct.
   */
  floor_excess_points: number | null;
}

/** A deduction indicator starts from 100 points (metrics/compute-scores.ts scoreIndicator). */
const DEDUCTION_BASE_POINTS = 100;

interface FailingRow {
  dept_code: string;
  rule_id: string;
  subject_id: string;
  finding_id: string;
  /** null for a finding of a veto rule that feeds no indicator: correcting it only lifts the veto. */
  indicator_id: string | null;
  method: string | null;
  points: number;
  failed: number;
  veto_rule: boolean;
  confirmed: boolean;
}

const FAILING_SQL = `select c.dept_code, c.rule_id, c.subject_id, c.finding_id, c.indicator_id, c.method, c.points,
    least(c.failed_units, c.units)::bigint as failed, list_contains($veto, c.rule_id) as veto_rule, c.confirmed
  from _sw_counted c
  where c.counted = 'fail' and ($dept is null or c.dept_code = $dept)
    -- a veto rule need not feed an indicator: its confirmed findings still cap the grade (vetoedDepartments)
    and (c.indicator_id is not null or (list_contains($veto, c.rule_id) and c.confirmed))
  order by c.dept_code, c.finding_id`;

/** Findings that one correction removes: one finding of a deduction; a subject's findings in a rate. */
function fixUnits(rows: FailingRow[]): FailingRow[][] {
  const units = new Map<string, FailingRow[]>();
  for (const r of rows) {
    const key =
      r.method === 'deduction' || r.indicator_id === null
        ? r.finding_id
        : `${r.indicator_id}\u0000${r.subject_id}`;
    units.set(key, [...(units.get(key) ?? []), r]);
  }
  return [...units.values()];
}

function withFix(aggs: Map<string, IndicatorAggregate>, unit: FailingRow[]): Map<string, IndicatorAggregate> {
  const first = unit[0]!;
  if (first.indicator_id === null) return aggs;
  const agg = aggs.get(first.indicator_id)!;
  const fixed =
    first.method === 'deduction'
      ? {
          ...agg,
          failed_units: agg.failed_units - unit.length,
          points: agg.points - unit.reduce((sum, r) => sum + r.points, 0),
        }
      : // the subject failed by its worst rule (indicator_aggregates.sql); with all its findings gone it
        // passes with no failed units. That holds because the only passing rows that carry failed units are
        // quality.conformance samples within the tolerance, and a sample is a subject no other rule judges;
        // a rule that gave such rows to a subject other rules also judge would need their units kept here.
        { ...agg, failed_units: agg.failed_units - Math.max(...unit.map((r) => r.failed)) };
  return new Map(aggs).set(first.indicator_id, fixed);
}

/**
 * Every unit holding a confirmed veto finding corrected together: the one correction that lifts a veto two or
 * more findings impose (each alone is worth only its points, and nothing where the veto rule feeds no
 * indicator, so that without this item a vetoed department could be told it has nothing to fix).
 */
function vetoGroup(
  dept: string,
  vetoUnits: FailingRow[][],
  aggs: Map<string, IndicatorAggregate>,
  before: ReturnType<typeof scoreDepartment>,
  profile: Profile,
): Omit<FixFirstItem, 'gain'> & { gainValue: number } {
  const rows = vetoUnits.flat();
  const fixed = vetoUnits.reduce((current, unit) => withFix(current, unit), aggs);
  const after = scoreDepartment(dept, fixed, profile.scoring, false);
  return {
    dept_code: dept,
    finding_ids: rows.map((r) => r.finding_id).sort(),
    rule_ids: [...new Set(rows.map((r) => r.rule_id))].sort(),
    subject_id: [...new Set(rows.map((r) => r.subject_id))].sort().join('、'),
    gainValue: after.total! - before.total!,
    grade: before.grade!,
    grade_after: after.grade!,
    lifts_veto: true,
    veto_group: true,
    floor_excess_points: null,
  };
}

export async function fixFirst(
  db: Db,
  run: RunRow,
  profile: Profile,
  options: { dept?: string; top: number },
): Promise<FixFirstItem[]> {
  await prepareCounted(db, profile, run.run_id, run.review_seq);
  // only the departments the run scored: a code outside the departments register has no total to raise
  const scored = new Set(
    (
      await db.query<{ dept_code: string }>(
        'select dept_code from scores where run_id = $run and total is not null',
        { run: run.run_id },
      )
    ).map((r) => r.dept_code),
  );
  const byDept = new Map<string, Map<string, IndicatorAggregate>>();
  for (const a of await indicatorAggregates(db))
    byDept.set(a.dept_code, (byDept.get(a.dept_code) ?? new Map()).set(a.indicator_id, a));
  const failing = await db.query<FailingRow>(FAILING_SQL, {
    veto: [...profile.scoring.veto.rules],
    dept: options.dept ?? null,
  });
  const isVeto = (r: FailingRow) => r.veto_rule && r.confirmed;
  const grades: string[] = profile.scoring.grades.map((g) => g.label);
  const items: FixFirstItem[] = [];
  for (const [dept, aggs] of byDept) {
    if ((options.dept && dept !== options.dept) || !scored.has(dept)) continue;
    const rows = failing.filter((r) => r.dept_code === dept);
    const vetoes = rows.filter(isVeto).length;
    const before = scoreDepartment(dept, aggs, profile.scoring, vetoes > 0);
    const units = fixUnits(rows);
    const vetoUnits = units.filter((unit) => unit.some(isVeto));
    const gains = units
      .map((unit) => {
        const veto = vetoes - unit.filter(isVeto).length > 0;
        const after = scoreDepartment(dept, withFix(aggs, unit), profile.scoring, veto);
        const agg = unit[0]!.indicator_id === null ? undefined : aggs.get(unit[0]!.indicator_id);
        const excess = unit[0]!.method === 'deduction' && agg ? agg.points - DEDUCTION_BASE_POINTS : 0;
        return {
          dept_code: dept,
          finding_ids: unit.map((r) => r.finding_id),
          rule_ids: [...new Set(unit.map((r) => r.rule_id))].sort(),
          subject_id: unit[0]!.subject_id,
          gainValue: after.total! - before.total!,
          grade: before.grade!,
          grade_after: after.grade!,
          lifts_veto: vetoes > 0 && !veto,
          veto_group: false,
          floor_excess_points: excess > 0 ? excess : null,
        };
      })
      .concat(vetoUnits.length > 1 ? [vetoGroup(dept, vetoUnits, aggs, before, profile)] : [])
      .filter(
        (g) =>
          g.gainValue > 0 ||
          g.lifts_veto ||
          g.floor_excess_points !== null ||
          grades.indexOf(g.grade_after) < grades.indexOf(g.grade),
      )
      .sort(
        (a, b) =>
          Number(b.lifts_veto) - Number(a.lifts_veto) ||
          b.gainValue - a.gainValue ||
          a.finding_ids[0]!.localeCompare(b.finding_ids[0]!),
      );
    items.push(
      ...gains
        .slice(0, options.top)
        .map(({ gainValue, ...rest }) => ({ ...rest, gain: formatScore(gainValue)! })),
    );
  }
  // departments in code order, each in its own order
  return items.sort((a, b) => (a.dept_code < b.dept_code ? -1 : a.dept_code > b.dept_code ? 1 : 0));
}
