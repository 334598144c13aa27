// Collector-health gating: a day on which the platform's records of a source are missing although they were
// due is a data gap, most likely a failed export or pull, not the departments' doing. Supply batches:
// - a working day (any day, where the profile counts daily windows in calendar days) without a single batch
//   while daily or realtime entries of at least two departments owed one;
// - every such day of an update-cycle window (an ISO week, a month, ...) that ended by the as-of date, in which
//   entries of that cycle of at least two departments owed a batch and the platform delivered none at all: a
//   platform whose entries are all monthly, or an inbox without any supply_batches file, is not a province of
//   departments that all missed every cycle.
// One department's silence is its own miss (MIN_DEPARTMENTS_DUE); no batch record at all is a gap anyway.
// A day without batches inside a window that did see some batch is normal for a longer cycle and gates
// nothing. Findings that depend on the source and whose window touches a gap day become 'data_gap': shown,
// with the gap days, but not counted against the department (gating: rule-rows.ts).
// Access logs are not gated: no finding comes from a missing read (a misuse finding is proven by the reads
// that are there), so a day without access records can hide a finding but never make one.
import type { Db } from '../store/db.ts';

export type GatedSource = 'supply_batches';

/**
 * Silence is the platform's only when it is more than one department's: a day (or window) on which a single
 * department owed batches and none came is that department's miss, not a failed export, so it gates nothing
 * (else the one daily provider's missed day excused every other department's month, quarter and year that
 * holds it). A range without any batch record at all is a gap whoever owed.
 */
const MIN_DEPARTMENTS_DUE = 2;

interface SourceDays {
  /** the days with records of the source (column d), from $seen_from to $end */
  seen: string;
  /** the days on which records of the source were due, and from whom (columns d, dept), before the working-day filter */
  due: string;
  /**
   * the days of the windows in which records were due and none came at all, and from whom (columns d, dept),
   * reading `seen`
   */
  silent: string;
}

const SOURCE_DAYS: Record<GatedSource, SourceDays> = {
  supply_batches: {
    seen: `select distinct cast(delivered_at as date) as d from stg_supply_batches
      where delivered_at >= cast($seen_from as timestamp) and delivered_at < cast($end as timestamp) + interval 1 day`,
    // a daily entry owes a batch on a day as supply.update_cycle reckons it (supply-obligations.ts): in force
    // (not withdrawn), published, and not covered by a filed exemption
    due: `with daily as (
        select resource_code, provider_dept, greatest(valid_from, published_from) as from_date, valid_to as to_date
        from sw_supply_segments($as_of)
        where cycle_kind = 'daily'
      ),
      exempt as (select * from sw_supply_exempt_spans($daily_days)),
      -- split so that the day-by-day exemption check runs only for the few resources with filings; the
      -- others' spans once per department and dates
      plain as (
        select distinct provider_dept, from_date, to_date from daily
        where resource_code not in (select resource_code from exempt)
      ),
      filed as (select * from daily where resource_code in (select resource_code from exempt)),
      owing as (
        select c.date as d, v.provider_dept from calendar c
        join plain v on v.from_date <= c.date and (v.to_date is null or v.to_date > c.date)
        where c.date between cast($start as date) and cast($end as date)
        union all
        select c.date, v.provider_dept from calendar c
        join filed v on v.from_date <= c.date and (v.to_date is null or v.to_date > c.date)
        where c.date between cast($start as date) and cast($end as date)
          and not exists (
            select 1 from exempt e
            where e.resource_code = v.resource_code and e.dept_code = v.provider_dept
              and e.from_date <= c.date and e.to_date >= c.date
          )
      )
      select distinct d, provider_dept as dept from owing`,
    // a longer cycle's window is due for an entry as supply.update_cycle judges it: ended by $end, the entry in
    // force at its end and published by then, and not covered by a filing from the window's (or the
    // publication's) first day
    silent: `with owed as (
        select w.window_start, w.window_end, g.provider_dept
        from sw_cycle_windows($start, $end, $daily_days) w
        join sw_supply_segments($as_of) g
          on g.cycle_kind = w.cycle_kind
         and w.window_end >= greatest(g.valid_from, g.published_from)
         and (g.valid_to is null or w.window_end < g.valid_to)
        where w.cycle_kind <> 'daily'
          and w.window_end <= cast($end as date)
          and not exists (select 1 from seen where seen.d between w.window_start and w.window_end)
          and not exists (
            select 1 from sw_supply_exempt_spans($daily_days) e
            where e.resource_code = g.resource_code and e.dept_code = g.provider_dept
              and e.from_date <= greatest(w.window_start, g.published_from) and e.to_date >= w.window_end
          )
      )
      select distinct c.date as d, o.provider_dept as dept from calendar c
      join owed o on c.date between o.window_start and o.window_end`,
  },
};

/**
 * The gap days in [start, end]: working days (every day, rest days too, when `everyDay`: a profile that counts
 * daily windows in calendar days, supply.update_cycle daily_days) on which at least two departments were
 * silent (MIN_DEPARTMENTS_DUE): a daily entry's department on a day without any record, or a department owing
 * a longer window without any record that holds the day.
 */
export async function gapDays(
  db: Db,
  source: GatedSource,
  range: { start: string; end: string; asOf: string; everyDay: boolean },
): Promise<string[]> {
  const { start, end, asOf, everyDay } = range;
  const { seen, due, silent } = SOURCE_DAYS[source];
  const rows = await db.query<{ date: string }>(
    `with seen as (${seen}), due as (${due}), silent as (${silent}),
     -- who was silent on each day: a daily entry's department on a day without any batch, and the departments
     -- of the longer windows without any batch that hold the day
     silent_depts as (
       select due.d, due.dept from due left join seen on seen.d = due.d where seen.d is null
       union
       select d, dept from silent
     ),
     gaps as (
       select d from silent_depts
       group by d
       having count(distinct dept) >= ${MIN_DEPARTMENTS_DUE} or not exists (select 1 from seen)
     )
     select c.date from calendar c
     join gaps on gaps.d = c.date
     where (c.is_workday or $every_day) and c.date between cast($start as date) and cast($end as date)
     order by c.date`,
    {
      start,
      end,
      as_of: asOf,
      every_day: everyDay,
      daily_days: everyDay ? 'calendar' : 'working',
      // a window holding the range's first day can start before it (the ISO week, the month, ... of a range
      // that starts in December): the days seen reach back to the first day of the longest, the year
      seen_from: `${start.slice(0, 4)}-01-01`,
    },
  );
  return rows.map((r) => r.date);
}
