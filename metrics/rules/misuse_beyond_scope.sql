-- misuse.beyond_scope: authorised reads of conditional data that include items outside the union of the
-- approved items of the consumer's valid approvals. Grain: one row per consumer department x resource x
-- month with authorised reads; status 'open' when any read went beyond scope, whose event_ids and items
-- the evidence lists. Reads int_access_authorisation (reads beyond scope one row each, the others counted).
with authorised as (
  select *, coalesce(len(outside_items), 0) > 0 as beyond
  from int_access_authorisation
  where authorised
)

select
  consumer_dept as dept_code,
  'access_month' as subject_type,
  consumer_dept || '/' || resource_code || '/' || month as subject_id,
  cast(min(ts) filter (where beyond) as date) as started_on,
  null::date as deadline,
  cast(max(ts) filter (where beyond) as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when count(*) filter (where beyond) > 0 then 'open' else 'ok' end as status,
  {
    'consumer_dept': consumer_dept,
    'resource_code': resource_code,
    'provider_dept': min(provider_dept),
    'month': month,
    'event_ids': coalesce(list(event_id order by ts, event_id) filter (where beyond), []),
    'count': (count(*) filter (where beyond))::integer,
    'reads_in_month': sum(reads)::integer,
    'first_ts': min(ts) filter (where beyond),
    'last_ts': max(ts) filter (where beyond),
    'items_beyond_scope': coalesce(list_sort(list_distinct(flatten(list(outside_items) filter (where beyond)))), []),
    'approval_ids': coalesce(list_sort(list_distinct(flatten(list(approval_ids) filter (where beyond)))), [])
  } as evidence
from authorised
group by consumer_dept, resource_code, month
-- not ordered: the rows go to a table, and exports order the findings themselves
