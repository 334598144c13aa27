-- catalog.change_update: after a law revision or a change of functions, the department updates its
-- catalog within N working days. The update is the department's first catalog activity (any action,
-- full_review included) on or after the event date; none by the as-of date past the deadline is a finding.
-- Grain: one row per change event that is due (subject = event_id); status 'open' when late or never
-- updated, 'ok' when on time; an event belongs to the period its deadline falls in (sw_in_period).
-- An event whose update the loaded records could have missed is a data gap, not the department's, unless an
-- update on time is seen: with catalog_changes, when their records begin (the platform's earliest change)
-- after the event date (an export that starts mid-year: an update before it would not show), or, with no
-- update seen, end before the deadline (the platform's last change of any department: an export that
-- stopped could hide an update on time); without them (activity derived from snapshots), when none of the
-- department's own snapshots precedes the event or none follows it, or, with no update seen, its last one
-- falls before the deadline, or nothing of its catalog was loaded at all. An event not seen updated is
-- observed up to the last day the records show (records_to), when that falls before the as-of date: it is
-- late at least by then (evidence observed_to_records_end). A data gap names its reason (data_gap_reason) and
-- counts no lateness.
-- Params: $period_start, $period_end, $as_of, $days.
with events as (
  select event_id, dept_code, kind, occurred_on, reference, _batch_id
  from stg_change_events
  where occurred_on <= $as_of
),

-- the earliest activity, ties by change_id: changes derived from snapshots all fall at 00:00, and arg_min
-- on the time alone picks any of them (the change id is in the evidence and in a review's grounds)
first_update as (
  select e.event_id, min(c.changed_at) as changed_at,
    min({'changed_at': c.changed_at, 'change_id': c.change_id, 'source': c.source}) as first
  from events e
  join stg_catalog_activity c
    on c.dept_code = e.dept_code
   and cast(c.changed_at as date) >= e.occurred_on
   and cast(c.changed_at as date) <= $as_of
  group by e.event_id
),

dated as (
  select e.*, f.first.change_id, f.changed_at, f.first.source, cast(f.changed_at as date) as updated_on,
    sw_deadline(e.occurred_on, $days) as deadline
  from events e
  left join first_update f on f.event_id = e.event_id
),

-- what the records can show: catalog_changes from their first change on (the platform's, any department);
-- else snapshot changes between the department's own first snapshot and its last one by the as-of date (a
-- platform that exports each department's catalog on its own dates shows a department's changes only there)
coverage as (
  select
    (select min(cast(changed_at as date)) from raw_catalog_changes) as changes_from,
    (select max(cast(changed_at as date)) from raw_catalog_changes where cast(changed_at as date) <= $as_of)
      as changes_to
),

dept_snapshots as (
  select provider_dept as dept_code, min(snapshot_date) as first_snapshot, max(snapshot_date) as last_snapshot
  from stg_catalog_snapshot
  where snapshot_date <= $as_of
  group by provider_dept
),

-- records_to: the last day the records show; an event not seen updated is observed up to it, not to a later
-- as-of date (lateness is then at least that much)
covered as (
  select x.*, v.changes_from, v.changes_to, s.first_snapshot, s.last_snapshot,
    case when v.changes_from is not null then v.changes_to else s.last_snapshot end as records_to
  from dated x
  cross join coverage v
  left join dept_snapshots s on s.dept_code = x.dept_code
),

judged as (
  select x.*,
    coalesce(x.updated_on, least(cast($as_of as date), coalesce(x.records_to, cast($as_of as date))))
      as observed_on,
    case
      when x.changes_from is not null
        then x.changes_from > x.occurred_on or (x.updated_on is null and x.changes_to < x.deadline)
      else x.first_snapshot is null or x.first_snapshot > x.occurred_on or x.last_snapshot <= x.occurred_on
        or (x.updated_on is null and x.last_snapshot < x.deadline)
    end as unseen
  from covered x
),

-- a data gap says which records could have missed the update, and counts no lateness: the records cannot
-- show it (their end may even precede the event)
gapped as (
  select j.*,
    case
      when not (j.unseen and not coalesce(j.updated_on <= j.deadline, false)) then null
      when j.changes_from is not null and j.changes_from > j.occurred_on then 'catalog_changes_begin_after_event'
      when j.changes_from is not null then 'catalog_changes_end_before_deadline'
      when j.first_snapshot is null then 'no_catalog_snapshot_of_department'
      when j.first_snapshot > j.occurred_on then 'no_snapshot_before_event'
      when j.last_snapshot <= j.occurred_on then 'no_snapshot_after_event'
      else 'last_snapshot_before_deadline'
    end as data_gap_reason
  from judged j
)

select
  j.dept_code,
  'change_event' as subject_type,
  j.event_id as subject_id,
  j.occurred_on as started_on,
  j.deadline,
  case when j.data_gap_reason is null then j.observed_on end as observed_on,
  case when j.data_gap_reason is null then sw_late_working_days(j.deadline, j.observed_on) end
    as late_working_days,
  case when j.data_gap_reason is null then sw_late_calendar_days(j.deadline, j.observed_on) end
    as late_calendar_days,
  case
    when j.data_gap_reason is not null then 'data_gap'
    else sw_deadline_status(j.change_id is not null, j.deadline, j.observed_on)
  end as status,
  {
    'event_id': j.event_id,
    'kind': j.kind,
    'occurred_on': j.occurred_on,
    'reference': j.reference,
    'first_change_id': j.change_id,
    'first_changed_at': j.changed_at,
    'change_source': j.source,
    'updated': j.change_id is not null,
    'observed_to_records_end': j.data_gap_reason is null and j.updated_on is null
      and j.observed_on < cast($as_of as date),
    'data_gap_reason': j.data_gap_reason,
    'batch_id': j._batch_id,
    -- what the records could show (platform-wide context, not in the review grounds)
    'records_cover': {
      'catalog_changes_from': j.changes_from,
      'catalog_changes_to': j.changes_to,
      'first_snapshot': j.first_snapshot,
      'last_snapshot': j.last_snapshot
    }
  } as evidence
from gapped j
-- an event not yet acted on whose deadline has not passed is not due yet
where sw_in_period(j.occurred_on, j.deadline, $period_start, $period_end)
  and sw_due(j.change_id is not null, j.deadline, $as_of)
order by j.event_id
