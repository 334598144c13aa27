// Collector-health gating: a working day on which the platform delivered no records at all of a source that
// arrives every working day (access logs, supply batches) is a data gap, most likely a failed export or pull,
// not the departments' doing. Findings that depend on that source and whose window touches a gap day become
// 'data_gap': shown, with the gap days, but not counted against the department.
import type { Db } from '../store/db.ts';
import type { RuleRow } from './findings.ts';

export type GatedSource = 'access_log' | 'supply_batches';

const SOURCE_DATES: Record<GatedSource, string> = {
  access_log:
    'select distinct cast(ts as date) as d from stg_access_log where ts >= cast($start as timestamp) and ts < cast($end as timestamp) + interval 1 day',
  supply_batches:
    'select distinct cast(delivered_at as date) as d from stg_supply_batches where delivered_at >= cast($start as timestamp) and delivered_at < cast($end as timestamp) + interval 1 day',
};

/** Working days in [start, end] with no record of the source. */
export async function gapDays(db: Db, source: GatedSource, start: string, end: string): Promise<string[]> {
  const rows = await db.query<{ date: string }>(
    `with seen as (${SOURCE_DATES[source]})
     select c.date from calendar c left join seen on seen.d = c.date
     where c.is_workday and c.date between cast($start as date) and cast($end as date) and seen.d is null
     order by c.date`,
    { start, end },
  );
  return rows.map((r) => r.date);
}

/** Marks counted rows whose [started_on, observed_on] window contains a gap day of a source they depend on. */
export function applyGaps(rows: RuleRow[], gaps: Map<GatedSource, string[]>): RuleRow[] {
  if ([...gaps.values()].every((days) => days.length === 0)) return rows;
  return rows.map((row) => {
    if (row.status !== 'open' && row.status !== 'needs_review') return row;
    const from = row.started_on;
    const to = row.observed_on ?? row.started_on;
    if (!from || !to) return row;
    const hits = [...gaps.entries()].flatMap(([source, days]) =>
      days.filter((d) => d >= from && d <= to).map((d) => ({ source, d })),
    );
    if (hits.length === 0) return row;
    const gap = {
      sources: [...new Set(hits.map((h) => h.source))],
      days: hits.slice(0, 20).map((h) => h.d),
      day_count: hits.length,
    };
    return { ...row, status: 'data_gap', evidence: { ...row.evidence, data_gap: gap } };
  });
}
