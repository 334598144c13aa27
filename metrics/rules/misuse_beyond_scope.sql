-- misuse.beyond_scope: authorised reads of conditional data that include items outside the union of the
-- approved items of the consumer's valid approvals. Grain: one row per consumer department x resource x
-- month with authorised reads; status 'open' when any read went beyond scope, whose event_ids and items
-- the evidence lists. Reads int_access_authorisation.
with authorised as (
  select *,
    case when whole_resource or items is null then []
         else list_filter(items, lambda i: not list_contains(approved_items, i)) end as outside_items
  from int_access_authorisation
  where valid_approvals > 0
)

select
  consumer_dept as dept_code,
  'access_month' as subject_type,
  consumer_dept || '/' || resource_code || '/' || strftime(ts, '%Y-%m') as subject_id,
  cast(min(ts) filter (where len(outside_items) > 0) as date) as started_on,
  null::date as deadline,
  cast(max(ts) filter (where len(outside_items) > 0) as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when count(*) filter (where len(outside_items) > 0) > 0 then 'open' else 'ok' end as status,
  {
    'consumer_dept': consumer_dept,
    'resource_code': resource_code,
    'provider_dept': min(provider_dept),
    'month': strftime(ts, '%Y-%m'),
    'event_ids': coalesce(list(event_id order by ts, event_id) filter (where len(outside_items) > 0), []),
    'count': (count(*) filter (where len(outside_items) > 0))::integer,
    'reads_in_month': count(*)::integer,
    'first_ts': min(ts) filter (where len(outside_items) > 0),
    'last_ts': max(ts) filter (where len(outside_items) > 0),
    'items_beyond_scope': coalesce(list_sort(list_distinct(flatten(list(outside_items) filter (where len(outside_items) > 0)))), []),
    'approval_ids': coalesce(list_sort(list_distinct(flatten(list(approval_ids) filter (where len(outside_items) > 0)))), [])
  } as evidence
from authorised
group by consumer_dept, resource_code, strftime(ts, '%Y-%m')
order by subject_id
