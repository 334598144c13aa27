// Collector-health gating: a working day (any day, where the profile counts daily windows in calendar days)
// on which the platform delivered no records at all of a source that was due that day is a data gap, most
// likely a failed export or pull, not the departments' doing. Supply batches are due every working day on
// which a daily or realtime catalog entry is in force; on a platform whose entries are all weekly or longer,
// a day without batches is normal and gates nothing. Findings that depend on the source and whose window
// touches a gap day become 'data_gap': shown, with the gap days, but not counted against the department
// (gating: rule-rows.ts).
// Access logs are not gated: no finding comes from a missing read (a misuse finding is proven by the reads
// that are there), so a day without access records can hide a finding but never make one.
import type { Db } from '../store/db.ts';

export type GatedSource = 'supply_batches';

interface SourceDays {
  /** the days with records of the source (column d) */
  seen: string;
  /** the days on which records of the source were due (column d), before the working-day filter */
  due: string;
}

const SOURCE_DAYS: Record<GatedSource, SourceDays> = {
  supply_batches: {
    seen: `select distinct cast(delivered_at as date) as d from stg_supply_batches
      where delivered_at >= cast($start as timestamp) and delivered_at < cast($end as timestamp) + interval 1 day`,
    // a daily entry owes a batch on a day as supply.update_cycle reckons it (supply-obligations.ts): in force
    // (not withdrawn), published, and not covered by a filed exemption
    due: `with daily as (
        select resource_code, greatest(valid_from, published_from) as from_date, valid_to as to_date
        from sw_supply_segments($as_of)
        where cycle_kind = 'daily'
      ),
      exempt as (select * from sw_supply_exempt_spans()),
      -- split so that the day-by-day exemption check runs only for the few resources with filings
      plain as (select * from daily where resource_code not in (select resource_code from exempt)),
      filed as (select * from daily where resource_code in (select resource_code from exempt))
      select c.date as d from calendar c
      where c.date between cast($start as date) and cast($end as date)
        and (
          exists (select 1 from plain v where v.from_date <= c.date and (v.to_date is null or v.to_date > c.date))
          or exists (
            select 1 from filed v
            where v.from_date <= c.date and (v.to_date is null or v.to_date > c.date)
              and not exists (
                select 1 from exempt e
                where e.resource_code = v.resource_code and e.from_date <= c.date and e.to_date >= c.date
              )
          )
        )`,
  },
};

/**
 * Working days in [start, end] on which the source was due and has no record; every day, rest days too,
 * when `everyDay` (a profile that counts daily windows in calendar days: supply.update_cycle daily_days).
 */
export async function gapDays(
  db: Db,
  source: GatedSource,
  range: { start: string; end: string; asOf: string; everyDay: boolean },
): Promise<string[]> {
  const { start, end, asOf, everyDay } = range;
  const { seen, due } = SOURCE_DAYS[source];
  const rows = await db.query<{ date: string }>(
    `with seen as (${seen}), due as (${due})
     select c.date from calendar c
     join due on due.d = c.date
     left join seen on seen.d = c.date
     where (c.is_workday or $every_day) and c.date between cast($start as date) and cast($end as date)
       and seen.d is null
     order by c.date`,
    { start, end, as_of: asOf, every_day: everyDay },
  );
  return rows.map((r) => r.date);
}
