-- misuse.unapproved_access: reads of conditional data with no valid approval of the consumer's own
-- (none, expired, not yet valid, or another department's). Grain: one row per consumer department x
-- resource x month with conditional reads; status 'open' when any read was unapproved, whose event_ids
-- the evidence lists; 'needs_review' when every unapproved read cites an approval id the share_requests
-- records do not hold (approval_not_in_records): missing records must not make a serious finding, and an
-- evaluator confirms it once the id is known not to exist. Reads int_access_authorisation (unapproved
-- reads one row each, the others counted).
select
  consumer_dept as dept_code,
  'access_month' as subject_type,
  consumer_dept || '/' || resource_code || '/' || month as subject_id,
  cast(min(ts) filter (where not authorised) as date) as started_on,
  null::date as deadline,
  cast(max(ts) filter (where not authorised) as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case
    when count(*) filter (where not authorised and unapproved_reason <> 'approval_not_in_records') > 0 then 'open'
    when count(*) filter (where not authorised) > 0 then 'needs_review'
    else 'ok'
  end as status,
  {
    'consumer_dept': consumer_dept,
    'resource_code': resource_code,
    'provider_dept': min(provider_dept),
    'month': month,
    'event_ids': coalesce(list(event_id order by ts, event_id) filter (where not authorised), []),
    'count': (count(*) filter (where not authorised))::integer,
    'reads_in_month': sum(reads)::integer,
    'records': coalesce(sum(coalesce(records, 0)) filter (where not authorised), 0)::double,
    'first_ts': min(ts) filter (where not authorised),
    'last_ts': max(ts) filter (where not authorised),
    'reasons': coalesce(list(distinct unapproved_reason order by unapproved_reason) filter (where not authorised), []),
    'approval_ids_in_log': coalesce(list(distinct approval_id order by approval_id) filter (where not authorised and approval_id is not null), []),
    'catalog_snapshot_date': min(catalog_snapshot_date)
  } as evidence
from int_access_authorisation
group by consumer_dept, resource_code, month
-- not ordered: the rows go to a table, and exports order the findings themselves
