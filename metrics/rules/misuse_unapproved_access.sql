-- misuse.unapproved_access: reads of conditional data with no valid approval of the consumer's own
-- (none, expired, not yet valid, or another department's). Grain: one row per consumer department x
-- resource x month with conditional reads; status 'open' when any read was unapproved, whose event_ids
-- the evidence lists. Reads int_access_authorisation.
select
  consumer_dept as dept_code,
  'access_month' as subject_type,
  consumer_dept || '/' || resource_code || '/' || strftime(ts, '%Y-%m') as subject_id,
  cast(min(ts) filter (where valid_approvals = 0) as date) as started_on,
  null::date as deadline,
  cast(max(ts) filter (where valid_approvals = 0) as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when count(*) filter (where valid_approvals = 0) > 0 then 'open' else 'ok' end as status,
  {
    'consumer_dept': consumer_dept,
    'resource_code': resource_code,
    'provider_dept': min(provider_dept),
    'month': strftime(ts, '%Y-%m'),
    'event_ids': coalesce(list(event_id order by ts, event_id) filter (where valid_approvals = 0), []),
    'count': (count(*) filter (where valid_approvals = 0))::integer,
    'reads_in_month': count(*)::integer,
    'records': coalesce(sum(coalesce(records, 0)) filter (where valid_approvals = 0), 0)::double,
    'first_ts': min(ts) filter (where valid_approvals = 0),
    'last_ts': max(ts) filter (where valid_approvals = 0),
    'reasons': coalesce(list(distinct unapproved_reason order by unapproved_reason) filter (where valid_approvals = 0), []),
    'approval_ids_in_log': coalesce(list(distinct approval_id order by approval_id) filter (where valid_approvals = 0 and approval_id is not null), []),
    'catalog_snapshot_date': min(catalog_snapshot_date)
  } as evidence
from int_access_authorisation
group by consumer_dept, resource_code, strftime(ts, '%Y-%m')
order by subject_id
