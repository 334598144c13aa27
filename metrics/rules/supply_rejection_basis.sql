-- supply.rejection_basis: a refusal that states no reason (blank, or a placeholder such as 无 or /:
-- sw_stated), where a cited law, regulation or rule
-- (legal_basis) is a reason too; where the profile requires it (Yingkou 第二十条), one that cites no legal
-- basis, whatever reason it states. Grain: one row per refused request, charged to the provider;
-- status 'open' when the basis is missing, 'ok' otherwise; judged in the period of the refusal (responded_at),
-- or, for a refusal exported without its answer date, in the period of the request's submission (the
-- earliest day it can have been made): its reasons are on record whenever it was made.
-- Params: $period_start, $period_end, $as_of, $require_legal_basis (boolean).
select
  r.provider_dept as dept_code,
  'share_request' as subject_type,
  r.request_id as subject_id,
  cast(r.submitted_at as date) as started_on,
  null::date as deadline,
  coalesce(cast(r.responded_at as date), cast(r.submitted_at as date)) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when (sw_stated(r.reason) is null and sw_stated(r.legal_basis) is null)
      or ($require_legal_basis and sw_stated(r.legal_basis) is null)
    then 'open' else 'ok' end as status,
  {
    'request_id': r.request_id,
    'requester_dept': r.requester_dept,
    'provider_dept': r.provider_dept,
    'resource_code': r.resource_code,
    'submitted_at': r.submitted_at,
    'responded_at': r.responded_at,
    'judged_in_period_of': case when r.responded_at is null then 'submitted_at' else 'responded_at' end,
    'decision': r.decision,
    'reason': r.reason,
    'legal_basis': r.legal_basis,
    'missing': case when $require_legal_basis and sw_stated(r.legal_basis) is null then 'legal_basis'
      when sw_stated(r.reason) is null and sw_stated(r.legal_basis) is null then 'reason' end,
    'batch_id': r._batch_id
  } as evidence
from stg_share_requests r
where r.decision = 'rejected'
  -- a refusal belongs to the period it was made in: one made after the end of the period the request was
  -- submitted in would otherwise be judged in no period
  and coalesce(cast(r.responded_at as date), cast(r.submitted_at as date)) between $period_start and $period_end
  and coalesce(cast(r.responded_at as date), cast(r.submitted_at as date)) <= $as_of
order by r.request_id
