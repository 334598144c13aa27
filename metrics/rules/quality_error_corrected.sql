-- quality.error_corrected: an error the provider confirmed (outcome error_confirmed) is corrected (更正)
-- within a grace period of N working days after the answer that confirmed it (responded_at). Uncorrected on
-- the as-of date once the grace period has ended, or corrected after it, is a finding.
-- Grain: one row per confirmed error whose grace period ends in the period (sw_in_period; subject = ticket_id), charged to the
-- provider (a confirmation without an answer date is rejected on load: ingest row checks); a correction
-- dated after the as-of date is not yet known. Params: $period_start, $period_end, $as_of, $days.
with confirmed as (
  select ticket_id, resource_code, provider_dept, raised_by_dept, raised_at, item, responded_at, corrected_at,
    _batch_id,
    cast(responded_at as date) as started_on,
    case when cast(corrected_at as date) <= $as_of then cast(corrected_at as date) end as corrected_on
  from stg_verification_requests
  where outcome = 'error_confirmed'
    and responded_at is not null
    and cast(responded_at as date) <= $as_of
),

dated as (
  select c.*, coalesce(c.corrected_on, cast($as_of as date)) as observed_on,
    sw_deadline(c.started_on, $days) as deadline
  from confirmed c
)

select
  x.provider_dept as dept_code,
  'verification_request' as subject_type,
  x.ticket_id as subject_id,
  x.started_on,
  x.deadline,
  x.observed_on,
  sw_late_working_days(x.deadline, x.observed_on) as late_working_days,
  sw_late_calendar_days(x.deadline, x.observed_on) as late_calendar_days,
  sw_deadline_status(x.corrected_on is not null, x.deadline, x.observed_on) as status,
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
-- an uncorrected error whose grace period has not ended is not due yet
where sw_in_period(x.started_on, x.deadline, $period_start, $period_end)
  and sw_due(x.corrected_on is not null, x.deadline, $as_of)
order by x.ticket_id
