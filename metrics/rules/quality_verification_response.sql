-- quality.verification_response: a data verification request (校核/疑义) answered by the providing
-- department within N working days; one still unanswered on the as-of date past its deadline is late too.
-- Grain: one row per due ticket (subject = ticket_id); status 'open' when late, 'ok' when on time.
-- Params: $period_start, $period_end (tickets whose deadline falls in the period: sw_in_period), $as_of, $days.
with tickets as (
  select ticket_id, resource_code, provider_dept, raised_by_dept, raised_at, item, responded_at, outcome, _batch_id,
    cast(raised_at as date) as started_on,
    -- an answer gives the check's result: a response whose outcome is still pending is none
    case when cast(responded_at as date) <= $as_of and outcome is distinct from 'pending'
      then cast(responded_at as date) end as answered_on
  from stg_verification_requests
  where cast(raised_at as date) <= $as_of
),

dated as (
  select t.*, coalesce(t.answered_on, cast($as_of as date)) as observed_on,
    sw_deadline(t.started_on, $days) as deadline
  from tickets t
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
  sw_deadline_status(x.answered_on is not null, x.deadline, x.observed_on) as status,
  {
    'ticket_id': x.ticket_id,
    'resource_code': x.resource_code,
    'provider_dept': x.provider_dept,
    'raised_by_dept': x.raised_by_dept,
    'raised_at': x.raised_at,
    'responded_at': case when cast(x.responded_at as date) <= $as_of then x.responded_at end,
    'answered': x.answered_on is not null,
    'outcome': x.outcome,
    'batch_id': x._batch_id
  } as evidence
from dated x
-- an unanswered ticket whose deadline has not passed is not due yet
where sw_in_period(x.started_on, x.deadline, $period_start, $period_end)
  and sw_due(x.answered_on is not null, x.deadline, $as_of)
order by x.ticket_id
