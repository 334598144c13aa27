-- supply.update_cycle: data supplied at the resource's declared update cycle. Each cycle is a calendar
-- window (daily/realtime: one day, working days only unless $daily_days = 'calendar'; weekly: ISO week, one
-- without a working day only when $daily_days = 'calendar'; monthly; quarterly; semiannual; yearly); a window
-- with no successful batch is a missed cycle.
-- Grain: one row per resource x window that has ended by the as-of date and whose end falls in the period
-- (subject R002/2026-01-07, R002/2026-W02, R002/2026-01, R002/2026-Q1, R002/2026-H1, R002/2026), charged to
-- the catalog's provider; status 'open' when missed. Irregular (不定期) entries are not evaluated, nor are
-- entries that state no cycle (catalog.metadata_complete finds those).
-- The catalog entry in force at a window's end decides, as sw_catalog_versions dates the listings: each
-- holds from its snapshot (a first listing from its publication, when that falls after the previous
-- snapshot; the first snapshot reaches back to it) until the resource is listed again or its department's catalog is exported without it; a listing that says
-- withdrawn, or a catalog_changes 'withdraw', ends it too. A window counts when publication falls
-- on or before its end. Windows wholly inside filed exemptions (报备, overlapping ones merged) are left out,
-- and so is the window of the publication when they cover it from the publication on; with $daily_days
-- 'working' a filing reaches over the rest days next to it (it covers a week it covers Monday to Friday).
-- A filed exemption excuses only the department that filed it (its dept_code is the listing's provider);
-- another department's filing excuses nothing, and a missed window's evidence shows every filing that overlaps
-- it with its dept_code. Batches match on resource_code only (their department code is not checked); a batch
-- with no status counts as ok. Passes carry no evidence: a province has millions of windows a year, and
-- with $group_passes a resource's passing windows are one row ('R002/*', `subjects` their count).
-- Articles: each profile's (RULES.md supply.update_cycle). Params: $period_start, $period_end, $as_of,
-- $daily_days ('working' | 'calendar'), $group_passes.
-- The listings that owe batches and the merged exemptions are temp macros shared with the data-gap gating
-- (metrics/supply-obligations.ts).
with in_force as (
  select * from sw_supply_segments($as_of)
),

-- the windows of the days of the period up to the as-of date (supply-obligations.ts, shared with the gating)
windows as (
  select * from sw_cycle_windows($period_start, least(cast($period_end as date), cast($as_of as date)), $daily_days)
),

exempt as (
  select * from sw_supply_exempt_spans($daily_days)
),

due as (
  select g.resource_code, g.provider_dept, g.update_cycle, g.cycle_kind, g.snapshot_date, g.published_on,
    w.window_start, w.window_end, w.label
  from in_force g
  join windows w on w.cycle_kind = g.cycle_kind
  -- the merged exemptions are disjoint, so at most one covers a window: a plain anti join. A window the
  -- entry was published in is exempt when the filing covers it from the publication on.
  left join exempt e
    on e.resource_code = g.resource_code
    and e.dept_code = g.provider_dept
    and e.from_date <= greatest(w.window_start, g.published_from) and e.to_date >= w.window_end
  where w.window_end between $period_start and $period_end
    and w.window_end <= $as_of
    and w.window_end >= g.published_from
    and w.window_end >= g.valid_from
    and (g.valid_to is null or w.window_end < g.valid_to)
    and e.resource_code is null
),

-- the one pass over the batches: each batch onto its resource's windows (local delivery date)
batch_windows as (
  select b.resource_code, k.cycle_kind,
    case k.cycle_kind
      when 'daily' then cast(b.delivered_at as date)
      when 'weekly' then cast(date_trunc('week', b.delivered_at) as date)
      when 'monthly' then cast(date_trunc('month', b.delivered_at) as date)
      when 'quarterly' then cast(date_trunc('quarter', b.delivered_at) as date)
      when 'semiannual' then make_date(year(b.delivered_at), case when month(b.delivered_at) <= 6 then 1 else 7 end, 1)
      else cast(date_trunc('year', b.delivered_at) as date)
    end as window_start,
    bool_or(coalesce(b.status, 'ok') = 'ok') as met,
    count(*) as batch_count,
    -- only failed batches are kept: a missed window has no other kind (unordered: ordered aggregates are slow)
    list({'delivered_at': b.delivered_at, 'batch_id': b.batch_id, 'status': b.status})
      filter (where coalesce(b.status, 'ok') <> 'ok') as failed
  from stg_supply_batches b
  join (select distinct resource_code, cycle_kind from in_force) k on k.resource_code = b.resource_code
  where cast(b.delivered_at as date) >= (select min(window_start) from windows)
    and cast(b.delivered_at as date) <= $period_end
    and cast(b.delivered_at as date) <= $as_of
  group by all
),

judged as (
  select d.*, coalesce(bw.met, false) as met, coalesce(bw.batch_count, 0) as batch_count, bw.failed
  from due d
  left join batch_windows bw
    on bw.resource_code = d.resource_code and bw.cycle_kind = d.cycle_kind and bw.window_start = d.window_start
),

-- filings that overlap a missed window (of its provider without covering it, or of another department), shown
-- in its evidence
partial_exemptions as (
  select x.resource_code, w.cycle_kind, w.window_start,
    list_sort(list({'from': x."from", 'to': x."to", 'dept_code': x.dept_code, 'reason': x.reason})) as exemptions
  from stg_supply_exemptions x
  join (select distinct resource_code, cycle_kind from in_force) k on k.resource_code = x.resource_code
  join windows w on w.cycle_kind = k.cycle_kind and x."from" <= w.window_end and x."to" >= w.window_start
  group by x.resource_code, w.cycle_kind, w.window_start
)

select
  j.provider_dept as dept_code,
  'supply_window' as subject_type,
  j.resource_code || '/' || j.label as subject_id,
  j.window_start as started_on,
  j.window_end as deadline,
  j.window_end as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when j.met then 'ok' else 'open' end as status,
  case when not j.met then {
    'resource_code': j.resource_code,
    'cycle': j.update_cycle,
    'window': j.label,
    'window_start': j.window_start,
    'window_end': j.window_end,
    'daily_days': case when j.cycle_kind = 'daily' then $daily_days end,
    'snapshot_date': j.snapshot_date,
    'published_on': j.published_on,
    'batch_count': cast(j.batch_count as integer),
    -- realtime resources can deliver hundreds of (failed) batches a day: the first 20 are enough to show
    'failed_batches': coalesce(list_slice(list_sort(j.failed), 1, 20), []),
    'exemptions': coalesce(x.exemptions, [])
  } end as evidence,
  1 as subjects
from judged j
left join partial_exemptions x
  on x.resource_code = j.resource_code and x.cycle_kind = j.cycle_kind and x.window_start = j.window_start
where not (j.met and $group_passes)
-- the passing windows of a resource as one row when the run groups passes: a province has millions
union all
select provider_dept, 'supply_window', resource_code || '/*', null, null, null, null, null, 'ok', null, count(*)
from judged
where met and $group_passes
group by provider_dept, resource_code
-- not ordered: the run reads the findings in order, and sorting millions of passes costs a second
