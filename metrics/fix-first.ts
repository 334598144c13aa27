// "Fix first": for each department, the open findings whose correction would raise its total most, with
// the points each is worth. Correcting a finding is modelled as its subject passing that rule (it may still
// fail another rule of the same indicator); the department is re-scored with exactly the same method.
import type { Profile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';
import { formatScore, scoreDepartment, type IndicatorAggregate } from './compute-scores.ts';
import { indicatorAggregates, prepareCounted } from './score-departments.ts';
import type { RunRow } from './score-queries.ts';

export interface FixFirstItem {
  dept_code: string;
  finding_id: string;
  rule_id: string;
  subject_id: string;
  gain: string;
}

interface FailingRow {
  dept_code: string;
  rule_id: string;
  subject_id: string;
  finding_id: string;
  indicator_id: string;
  method: string;
  points: number;
  failed: number;
  other_failed: number;
  veto_rule: boolean;
  confirmed: boolean;
}

const FAILING_SQL = `select c.dept_code, c.rule_id, c.subject_id, c.finding_id, c.indicator_id, c.method, c.points,
    least(c.failed_units, c.units)::bigint as failed,
    coalesce((select max(least(o.failed_units, o.units)) from _sw_counted o
      where o.dept_code = c.dept_code and o.indicator_id = c.indicator_id and o.subject_id = c.subject_id
        and o.rule_id <> c.rule_id and o.counted = 'fail'), 0)::bigint as other_failed,
    list_contains($veto, c.rule_id) as veto_rule, c.confirmed
  from _sw_counted c
  where c.counted = 'fail' and c.indicator_id is not null and ($dept is null or c.dept_code = $dept)
  order by c.dept_code, c.finding_id`;

function withFix(aggs: Map<string, IndicatorAggregate>, row: FailingRow): Map<string, IndicatorAggregate> {
  const agg = aggs.get(row.indicator_id)!;
  const fixed =
    row.method === 'deduction'
      ? { ...agg, failed_units: agg.failed_units - 1, points: agg.points - row.points }
      : {
          ...agg,
          failed_units: agg.failed_units - (Math.max(row.failed, row.other_failed) - row.other_failed),
        };
  return new Map(aggs).set(row.indicator_id, fixed);
}

export async function fixFirst(
  db: Db,
  run: RunRow,
  profile: Profile,
  options: { dept?: string; top: number },
): Promise<FixFirstItem[]> {
  await prepareCounted(db, profile, run.run_id, run.review_seq);
  const byDept = new Map<string, Map<string, IndicatorAggregate>>();
  for (const a of await indicatorAggregates(db))
    byDept.set(a.dept_code, (byDept.get(a.dept_code) ?? new Map()).set(a.indicator_id, a));
  const failing = await db.query<FailingRow>(FAILING_SQL, {
    veto: [...profile.scoring.veto.rules],
    dept: options.dept ?? null,
  });
  const vetoCount = new Map<string, number>();
  for (const r of failing)
    if (r.veto_rule && r.confirmed) vetoCount.set(r.dept_code, (vetoCount.get(r.dept_code) ?? 0) + 1);
  const items: FixFirstItem[] = [];
  for (const [dept, aggs] of byDept) {
    if (options.dept && dept !== options.dept) continue;
    const vetoes = vetoCount.get(dept) ?? 0;
    const base = scoreDepartment(dept, aggs, profile.scoring, vetoes > 0).total;
    if (base === null) continue;
    const gains = failing
      .filter((r) => r.dept_code === dept)
      .map((r) => {
        const veto = vetoes - (r.veto_rule && r.confirmed ? 1 : 0) > 0;
        const total = scoreDepartment(dept, withFix(aggs, r), profile.scoring, veto).total ?? base;
        return {
          dept_code: dept,
          finding_id: r.finding_id,
          rule_id: r.rule_id,
          subject_id: r.subject_id,
          gainValue: total - base,
        };
      })
      .filter((g) => g.gainValue > 0)
      .sort((a, b) => b.gainValue - a.gainValue || a.finding_id.localeCompare(b.finding_id));
    items.push(
      ...gains
        .slice(0, options.top)
        .map(({ gainValue, ...rest }) => ({ ...rest, gain: formatScore(gainValue)! })),
    );
  }
  return items.sort(
    (a, b) =>
      a.dept_code.localeCompare(b.dept_code) ||
      Number(b.gain) - Number(a.gain) ||
      a.finding_id.localeCompare(b.finding_id),
  );
}
