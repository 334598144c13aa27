// What a resource owes the platform in supply batches, shared by supply.update_cycle (which windows are due)
// and the collector-health gating of data-gaps.ts (on which days a daily batch was due), so that a day is a
// platform gap only when some entry owed a batch that day by the same reckoning the rule judges windows by.
// Temp macros, created for each run (runRules) next to the calendar's.
import type { Db } from '../store/db.ts';

const SUPPLY_MACROS = [
  // The catalog listings in force as of `sw_as_of` that owe batches: each holds on [valid_from, valid_to) as
  // sw_catalog_listings holds it by then (cut short by a catalog_changes 'withdraw'); a listing that says withdrawn,
  // an irregular (不定期) entry and one that states no cycle owe nothing. published_from: the entry's
  // publication (else its first snapshot); nothing is owed before it.
  `create or replace temp macro sw_supply_segments(sw_as_of) as table
   with segments as (
     select v.resource_code, v.provider_dept, v.update_cycle, v.snapshot_date, v.published_on,
       case when v.update_cycle in ('realtime', 'daily') then 'daily' else v.update_cycle end as cycle_kind,
       coalesce(v.published_on, min(v.snapshot_date) over (partition by v.resource_code)) as published_from,
       v.valid_from, v.valid_to, v.status
     from sw_catalog_listings(sw_as_of) v
     where v.snapshot_date <= cast(sw_as_of as date)
   )
   select * exclude (status) from segments
   where coalesce(status, 'published') <> 'withdrawn' and update_cycle is not null and update_cycle <> 'irregular'`,
  // Filed exemptions (报备) per resource and filing department merged into disjoint spans [from_date, to_date],
  // so that back-to-back filings cover a window together. A filing excuses only the department that filed it:
  // the readers match dept_code to the listing's provider (another department's filing excuses nothing).
  // Where batches are owed on working days (sw_daily_days 'working'), a filing reaches over the rest days next
  // to it: one filed Monday to Friday covers its ISO week, one from 03-02 (03-01 a Sunday) the month, and
  // filings on either side of a weekend join. Only within the calendar: beyond it no day is known to be rest.
  `create or replace temp macro sw_supply_exempt_spans(sw_daily_days) as table
   with filed as (
     select x.resource_code, x.dept_code,
       case when sw_daily_days = 'calendar' then x."from"
         else coalesce((select max(c.date) + 1 from calendar c
           where c.is_workday and c.date < x."from" and c.date >= x."from" - 31
             and exists (select 1 from calendar p where p.date = x."from" - 1)), x."from") end as from_date,
       case when sw_daily_days = 'calendar' then x."to"
         else coalesce((select min(c.date) - 1 from calendar c
           where c.is_workday and c.date > x."to" and c.date <= x."to" + 31
             and exists (select 1 from calendar n where n.date = x."to" + 1)), x."to") end as to_date
     from stg_supply_exemptions x
   ),
   reach as (
     select resource_code, dept_code, from_date, to_date,
       max(to_date) over (partition by resource_code, dept_code order by from_date, to_date
         rows between unbounded preceding and 1 preceding) as reach_before
     from filed
   ),
   islands as (
     select resource_code, dept_code, from_date, to_date,
       sum(case when reach_before is null or from_date > reach_before + interval 1 day then 1 else 0 end)
         over (partition by resource_code, dept_code order by from_date, to_date rows unbounded preceding) as island
     from reach
   )
   select resource_code, dept_code, min(from_date) as from_date, max(to_date) as to_date
   from islands
   group by resource_code, dept_code, island`,
  // The update-cycle windows that hold the days [sw_from, sw_to] (a week, month... may start before sw_from):
  // daily (working days only unless sw_daily_days = 'calendar'), ISO week (one without a working day only
  // when 'calendar'), month, quarter, half-year, year; label as the finding's subject names the window.
  `create or replace temp macro sw_cycle_windows(sw_from, sw_to, sw_daily_days) as table
   with days as (
     select date, is_workday from calendar
     where date between cast(sw_from as date) and cast(sw_to as date)
   )
   select 'daily' as cycle_kind, date as window_start, date as window_end, strftime(date, '%Y-%m-%d') as label
   from days
   where is_workday or sw_daily_days = 'calendar'
   union all
   -- a week without a working day (the Spring Festival week) owes no batch where batches are owed on working
   -- days; the calendar is asked for the whole week, which may start before the period
   select * from (
     select distinct 'weekly' as cycle_kind, cast(date_trunc('week', date) as date) as window_start,
       cast(date_trunc('week', date) + interval 6 day as date) as window_end, strftime(date, '%G-W%V') as label
     from days
   ) w
   where sw_daily_days = 'calendar'
     or exists (select 1 from calendar c where c.date between w.window_start and w.window_end and c.is_workday)
   union all
   select distinct 'monthly', cast(date_trunc('month', date) as date),
     cast(date_trunc('month', date) + interval 1 month - interval 1 day as date), strftime(date, '%Y-%m')
   from days
   union all
   select distinct 'quarterly', cast(date_trunc('quarter', date) as date),
     cast(date_trunc('quarter', date) + interval 3 month - interval 1 day as date),
     strftime(date, '%Y') || '-Q' || cast(quarter(date) as varchar)
   from days
   union all
   select distinct 'semiannual', make_date(year(date), case when month(date) <= 6 then 1 else 7 end, 1),
     make_date(year(date), case when month(date) <= 6 then 6 else 12 end, case when month(date) <= 6 then 30 else 31 end),
     strftime(date, '%Y') || case when month(date) <= 6 then '-H1' else '-H2' end
   from days
   union all
   select distinct 'yearly', cast(date_trunc('year', date) as date), make_date(year(date), 12, 31), strftime(date, '%Y')
   from days`,
];

export async function createSupplyMacros(db: Db): Promise<void> {
  for (const sql of SUPPLY_MACROS) await db.run(sql);
}
