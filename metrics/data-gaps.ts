// Collector-health gating: a working day on which the platform delivered no records at all of a source that
// arrives every working day (supply batches) is a data gap, most likely a failed export or pull, not the
// departments' doing. Findings that depend on that source and whose window touches a gap day become
// 'data_gap': shown, with the gap days, but not counted against the department (gating: rule-rows.ts).
// Access logs are not gated: no finding comes from a missing read (a misuse finding is proven by the reads
// that are there), so a day without access records can hide a finding but never make one.
import type { Db } from '../store/db.ts';

export type GatedSource = 'supply_batches';

const SOURCE_DATES: Record<GatedSource, string> = {
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
