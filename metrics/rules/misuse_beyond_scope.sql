-- misuse.beyond_scope: authorised reads of conditional data that include items outside the union of the
-- approved items of the consumer's valid approvals. Grain: one row per consumer department x resource x
-- month, with every such access event_id and the items read beyond scope. Reads int_access_authorisation.
with beyond as (
  select *, list_filter(items, lambda i: not list_contains(approved_items, i)) as outside_items
  from int_access_authorisation
  where valid_approvals > 0 and not whole_resource and items is not null
)

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
    'first_ts': min(ts),
    'last_ts': max(ts),
    'items_beyond_scope': list_sort(list_distinct(flatten(list(outside_items)))),
    'approval_ids': list_sort(list_distinct(flatten(list(approval_ids))))
  } as evidence
from beyond
where len(outside_items) > 0
group by consumer_dept, resource_code, strftime(ts, '%Y-%m')
order by subject_id
