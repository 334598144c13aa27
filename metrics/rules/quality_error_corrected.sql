-- quality.error_corrected: an error the provider confirmed (outcome error_confirmed) is corrected (更正)
-- within a grace period of N working days after the answer that confirmed it (responded_at). Uncorrected on
-- the as-of date once the grace period has ended, or corrected after it, is a finding.
-- Grain: one row per confirmed error whose answer falls in the period (subject = ticket_id), charged to the
-- provider; a confirmation without an answer date cannot start the clock and is not evaluated; a correction
-- dated after the as-of date is not yet known. Params: $period_start, $period_end, $as_of, $days.
with confirmed as (
  select ticket_id, resource_code, provider_dept, raised_by_dept, raised_at, item, responded_at, corrected_at,
    _batch_id,
    cast(responded_at as date) as started_on,
    case when cast(corrected_at as date) <= $as_of then cast(corrected_at as date) end as corrected_on
  from stg_verification_requests
  where outcome = 'error_confirmed'
    and responded_at is not null
    and cast(responded_at as date) between $period_start and $period_end
    and cast(responded_at as date) <= $as_of
),

dated as (
  select c.*, coalesce(c.corrected_on, cast($as_of as date)) as observed_on,
    d.date as deadline, d.workday_index as deadline_workday_index
  from confirmed c
  join calendar s on s.date = c.started_on
  left join calendar d on d.workday_index = s.workday_index + $days and d.is_workday
)

select
  x.provider_dept as dept_code,
  'verification_request' as subject_type,
  x.ticket_id as subject_id,
  x.started_on,
  x.deadline,
  x.observed_on,
  greatest(o.workday_index - x.deadline_workday_index, 0) as late_working_days,
  greatest(date_diff('day', x.deadline, x.observed_on), 0) as late_calendar_days,
  case
    when x.deadline is not null and x.observed_on > x.deadline then 'open'
    when x.deadline is null and x.observed_on > (select max(date) from calendar) then 'pending_calendar'
    else 'ok'
  end as status,
  {
    'ticket_id': x.ticket_id,
    'resource_code': x.resource_code,
    'provider_dept': x.provider_dept,
    'raised_by_dept': x.raised_by_dept,
    'raised_at': x.raised_at,
    'item': x.item,
    'responded_at': x.responded_at,
    'corrected_at': case when x.corrected_on is not null then x.corrected_at end,
    'corrected': x.corrected_on is not null,
    'batch_id': x._batch_id
  } as evidence
from dated x
left join calendar o on o.date = x.observed_on
-- an uncorrected error whose grace period has not ended is not due yet
where x.corrected_on is not null
   or (x.deadline is not null and x.deadline < cast($as_of as date))
   or (x.deadline is null and cast($as_of as date) > (select max(date) from calendar))
order by x.ticket_id
