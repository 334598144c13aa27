-- supply.request_unanswered: a request still unanswered on the as-of date although its deadline passed.
-- Grain: one row per request still open past its deadline (subject = request_id), charged to the
-- providing department; open requests whose deadline has not passed are not due and not evaluated.
-- Params: $period_start, $period_end (requests whose deadline falls in the period), $as_of, $days (the supply.request_response working days).
-- An answer dated after $as_of does not count yet: as of that day the request was open. A response whose
-- decision is still pending is no answer (the evidence shows its date).
with requests as (
  select request_id, requester_dept, provider_dept, resource_code, submitted_at, responded_at, decision, _batch_id
  from stg_share_requests
),

open_requests as (
  select r.*, cast(r.submitted_at as date) as started_on
  from requests r
  where cast(r.submitted_at as date) <= $as_of
    and (r.responded_at is null or cast(r.responded_at as date) > $as_of or r.decision = 'pending')
    -- approved or refused without an answer date: answered, when is unknown (not judged for lateness)
    and not (r.responded_at is null and coalesce(r.decision in ('approved', 'rejected'), false))
),

dated as (
  select o.*, sw_deadline(o.started_on, $days) as deadline
  from open_requests o
)

select
  x.provider_dept as dept_code,
  'share_request' as subject_type,
  x.request_id as subject_id,
  x.started_on,
  x.deadline,
  cast($as_of as date) as observed_on,
  sw_late_working_days(x.deadline, cast($as_of as date)) as late_working_days,
  sw_late_calendar_days(x.deadline, cast($as_of as date)) as late_calendar_days,
  sw_deadline_status(false, x.deadline, cast($as_of as date)) as status,
  {
    'request_id': x.request_id,
    'requester_dept': x.requester_dept,
    'provider_dept': x.provider_dept,
    'resource_code': x.resource_code,
    'submitted_at': x.submitted_at,
    'responded_at': case when x.decision = 'pending' and cast(x.responded_at as date) <= $as_of then x.responded_at end,
    -- the decision as it stood on the as-of date: an answer the records date after it was not given yet
    'decision': case when cast(x.responded_at as date) > $as_of then null else x.decision end,
    'answered_after_as_of': case when cast(x.responded_at as date) > $as_of then x.responded_at end,
    'batch_id': x._batch_id
  } as evidence
from dated x
where sw_in_period(x.started_on, x.deadline, $period_start, $period_end)
  and sw_due(false, x.deadline, $as_of)
order by x.request_id
