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

/** Writes the gap days of the given sources into the temp table _sw_gaps(date), for SQL-side gating. */
export async function writeGapTable(db: Db, days: string[]): Promise<void> {
  await db.run('create or replace temp table _sw_gaps (date date)');
  const appender = await db.connection.createAppender('_sw_gaps', 'main', 'temp');
  for (const day of [...new Set(days)].sort()) {
    appender.appendVarchar(day);
    appender.endRow();
  }
  appender.closeSync();
}

/** Marks counted rows of the temp table _sw_rows whose window contains a day of _sw_gaps. */
export const GATE_ROWS_SQL = `update _sw_rows set status = 'data_gap'
  where status in ('open', 'needs_review') and started_on is not null
    and exists (select 1 from _sw_gaps g where g.date between _sw_rows.started_on and coalesce(_sw_rows.observed_on, _sw_rows.started_on))`;

function hitsOf(row: RuleRow, gaps: Map<GatedSource, string[]>): Array<{ source: GatedSource; d: string }> {
  const from = row.started_on;
  const to = row.observed_on ?? row.started_on;
  if (!from || !to) return [];
  return [...gaps.entries()].flatMap(([source, days]) =>
    days.filter((d) => d >= from && d <= to).map((d) => ({ source, d })),
  );
}

/** The evidence of a data gap: which sources, which days (the first 20) and how many. */
export function gapEvidence(row: RuleRow, gaps: Map<GatedSource, string[]>): Record<string, unknown> | null {
  const hits = hitsOf(row, gaps);
  if (hits.length === 0) return null;
  return {
    sources: [...new Set(hits.map((h) => h.source))],
    days: hits.slice(0, 20).map((h) => h.d),
    day_count: hits.length,
  };
}

/** TS-side gating for rules computed in TypeScript (small row counts). */
export function applyGaps(rows: RuleRow[], gaps: Map<GatedSource, string[]>): RuleRow[] {
  return rows.map((row) => {
    if (row.status !== 'open' && row.status !== 'needs_review') return row;
    const gap = gapEvidence(row, gaps);
    return gap ? { ...row, status: 'data_gap', evidence: { ...row.evidence, data_gap: gap } } : row;
  });
}
