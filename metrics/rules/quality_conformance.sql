-- quality.conformance, the platform's part: each quality check the platform ran in the period (GB/T 36344
-- dimensions) is one subject weighing its rows_checked, of which rows_failed failed; status 'open' when the
-- failed share exceeds the profile's tolerance (default 0: any failed row). The system's own checks on
-- data_sample files are added in TypeScript (quality-conformance.ts).
-- Params: $period_start, $period_end, $as_of, $tolerance (a share, 0..1). Passes carry no evidence: a
-- province has a check per resource, dimension and month.
with checks as (
  select check_id, resource_code, provider_dept, checked_at, dimension, rule, rows_checked, rows_failed, _batch_id
  from stg_quality_checks
  where cast(checked_at as date) between cast($period_start as date) and cast($period_end as date)
    and cast(checked_at as date) <= cast($as_of as date)
)

select
  q.provider_dept as dept_code,
  'quality_check' as subject_type,
  q.check_id as subject_id,
  cast(q.checked_at as date) as started_on,
  null::date as deadline,
  cast(q.checked_at as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when q.rows_failed > q.rows_checked * $tolerance then 'open' else 'ok' end as status,
  cast(q.rows_checked as integer) as units,
  cast(least(q.rows_failed, q.rows_checked) as integer) as failed_units,
  case when q.rows_failed > q.rows_checked * $tolerance then {
    'check_id': q.check_id,
    'resource_code': q.resource_code,
    'checked_at': q.checked_at,
    'dimension': q.dimension,
    'dimension_label': case q.dimension
      when 'normative' then '规范性' when 'complete' then '完整性' when 'accurate' then '准确性'
      when 'consistent' then '一致性' when 'timely' then '时效性' when 'accessible' then '可访问性' end,
    'rule': q.rule,
    'rows_checked': cast(q.rows_checked as integer),
    'rows_failed': cast(q.rows_failed as integer),
    'tolerance': $tolerance,
    'batch_id': q._batch_id
  } end as evidence
from checks q
-- not ordered: the rows go to a table, and exports order the findings themselves
