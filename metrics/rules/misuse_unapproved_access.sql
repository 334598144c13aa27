-- misuse.unapproved_access: reads of conditional data with no valid approval of the consumer's own
-- (none, expired, not yet valid, or another department's). Grain: one row per consumer department x
-- resource x month, with every access event_id in the evidence. Reads int_access_authorisation.
select
  consumer_dept as dept_code,
  'access_month' as subject_type,
  consumer_dept || '/' || resource_code || '/' || strftime(ts, '%Y-%m') as subject_id,
  cast(min(ts) as date) as started_on,
  null::date as deadline,
  cast(max(ts) as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  'open' as status,
  {
    'consumer_dept': consumer_dept,
    'resource_code': resource_code,
    'provider_dept': min(provider_dept),
    'month': strftime(ts, '%Y-%m'),
    'event_ids': list(event_id order by ts, event_id),
    'count': count(*)::integer,
    'records': sum(coalesce(records, 0))::double,
    'first_ts': min(ts),
    'last_ts': max(ts),
    'reasons': list(distinct unapproved_reason order by unapproved_reason),
    'approval_ids_in_log': list(distinct approval_id order by approval_id) filter (where approval_id is not null),
    'catalog_snapshot_date': min(catalog_snapshot_date)
  } as evidence
from int_access_authorisation
where valid_approvals = 0
group by consumer_dept, resource_code, strftime(ts, '%Y-%m')
order by subject_id
