-- supply.request_response: a conditional-share request answered after its deadline.
-- Grain: one row per answered request (a response date and a decision that is not pending; subject =
-- request_id), charged to the providing department;
-- status 'open' when late (a finding), 'ok' when on time.
-- Params: $period_start, $period_end (requests whose deadline falls in the period: sw_in_period), $as_of, $days (working days).
-- Deadline: sw_deadline(local submission date, $days) (metrics/calendar-table.ts); the start day is never counted.
-- Articles: shaanxi 第十五条, guangdong 第十九条, yingkou 第二十条, liyang 第十七条 (see the profile).
with requests as (
  select request_id, requester_dept, provider_dept, resource_code, submitted_at, responded_at, decision, _batch_id
  from stg_share_requests
),

in_period as (
  select r.*, cast(r.submitted_at as date) as started_on, cast(r.responded_at as date) as answered_on
  from requests r
  where cast(r.submitted_at as date) <= $as_of
    and r.responded_at is not null
    and cast(r.responded_at as date) <= $as_of
    -- an answer decides: a response dated while the decision is still pending is not one (unanswered)
    and r.decision is distinct from 'pending'
),

dated as (
  select p.*, sw_deadline(p.started_on, $days) as deadline
  from in_period p
)

select
  x.provider_dept as dept_code,
  'share_request' as subject_type,
  x.request_id as subject_id,
  x.started_on,
  x.deadline,
  x.answered_on as observed_on,
  sw_late_working_days(x.deadline, x.answered_on) as late_working_days,
  sw_late_calendar_days(x.deadline, x.answered_on) as late_calendar_days,
  sw_deadline_status(true, x.deadline, x.answered_on) as status,
  {
    'request_id': x.request_id,
    'requester_dept': x.requester_dept,
    'provider_dept': x.provider_dept,
    'resource_code': x.resource_code,
    'submitted_at': x.submitted_at,
    'responded_at': x.responded_at,
    'decision': x.decision,
    'batch_id': x._batch_id
  } as evidence
from dated x
where sw_in_period(x.started_on, x.deadline, $period_start, $period_end)
order by x.request_id
