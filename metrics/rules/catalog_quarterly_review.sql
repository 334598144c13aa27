-- catalog.quarterly_review: a department with published catalog entries does a full review (全面维护,
-- catalog_changes action full_review) at least once in every calendar quarter. A quarter is judged in the
-- period its end falls in (a month run judges it in March, June, September, December), once the as-of date
-- has reached its end; a department is due for a quarter when at least one of its entries was published
-- and in force during it (as sw_catalog_versions dates the listings by the as-of date: from the snapshot,
-- or a first listing's publication after the previous snapshot, until listed again or left out). Grain:
-- one row per
-- department x quarter (subject = 'D03/2026-Q1'); 'open' when no full review, 'data_gap' when the loaded
-- catalog_changes begin after the quarter's end or end before its start, or none were ever loaded (snapshots
-- cannot show a review). A catalog_changes 'withdraw' ends a listing as a later snapshot would.
-- Params: $period_start, $period_end, $as_of.
with quarter_starts as (
  select distinct cast(date_trunc('quarter', date) as date) as quarter_start
  from calendar
  where date between $period_start and $period_end
),

quarters as (
  select quarter_start,
    cast(quarter_start + interval 3 month - interval 1 day as date) as quarter_end,
    cast(year(quarter_start) as varchar) || '-Q' || cast(quarter(quarter_start) as varchar) as quarter
  from quarter_starts
),

ended_quarters as (
  select *
  from quarters
  where quarter_end between cast($period_start as date) and cast($period_end as date)
    and quarter_end <= cast($as_of as date)
),

-- the listings of sw_catalog_listings (in force on [valid_from, valid_to), cut short by a catalog_changes
-- 'withdraw' as the supply rule cuts them) that say published
in_force as (
  select resource_code, provider_dept, valid_from, valid_to
  from sw_catalog_listings(cast($as_of as date))
  where snapshot_date <= cast($as_of as date)
    and coalesce(status, 'published') = 'published'
),

due as (
  select f.provider_dept as dept_code, q.quarter, q.quarter_start, q.quarter_end,
    count(distinct f.resource_code) as entries_in_force,
    -- which entries made the department due: a department can check each against its catalog
    list_sort(list(distinct f.resource_code)) as resources_in_force
  from ended_quarters q
  join in_force f
    on f.valid_from <= q.quarter_end
   and (f.valid_to is null or f.valid_to > q.quarter_start)
  group by f.provider_dept, q.quarter, q.quarter_start, q.quarter_end
),

reviews as (
  select d.dept_code, d.quarter,
    list(a.change_id order by a.changed_at, a.change_id) as change_ids,
    min(cast(a.changed_at as date)) as first_review_on
  from due d
  join stg_catalog_activity a
    on a.dept_code = d.dept_code
   and a.action = 'full_review'
   and cast(a.changed_at as date) between d.quarter_start and d.quarter_end
  group by d.dept_code, d.quarter
),

-- the platform's catalog_changes records span their earliest to their latest change (of any department):
-- a quarter that ended before the first (an export that starts mid-year) or began after the last (an
-- export that stopped: not one department changed anything in the whole quarter) has no records that could
-- show its review. A quarter in which the records begin is judged: the first change is no export's start.
changes_loaded as (
  select min(cast(changed_at as date)) as first_change, max(cast(changed_at as date)) as last_change
  from raw_catalog_changes
  where cast(changed_at as date) <= cast($as_of as date)
)

select
  d.dept_code,
  'department_quarter' as subject_type,
  d.dept_code || '/' || d.quarter as subject_id,
  d.quarter_start as started_on,
  d.quarter_end as deadline,
  coalesce(r.first_review_on, d.quarter_end) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case
    when r.change_ids is not null then 'ok'
    when l.first_change is null or l.first_change > d.quarter_end or l.last_change < d.quarter_start
      then 'data_gap'
    else 'open'
  end as status,
  {
    'dept_code': d.dept_code,
    'quarter': d.quarter,
    'quarter_start': d.quarter_start,
    'quarter_end': d.quarter_end,
    'full_review_change_ids': coalesce(r.change_ids, []),
    'entries_in_force': d.entries_in_force::integer,
    'resources_in_force': d.resources_in_force,
    'catalog_changes_loaded': l.first_change is not null,
    'catalog_changes_from': l.first_change,
    'catalog_changes_to': l.last_change
  } as evidence
from due d
cross join changes_loaded l
left join reviews r on r.dept_code = d.dept_code and r.quarter = d.quarter
order by d.dept_code, d.quarter
