-- misuse.beyond_scope: authorised reads of conditional data that include items outside the union of the
-- approved items of the consumer's valid approvals. Grain: one row per consumer department x resource x
-- month with authorised reads; status 'open' when any read went beyond scope, whose event_ids and items
-- the evidence lists. Reads int_access_authorisation (reads beyond scope one row each, the others counted).
-- An item read is in scope when it is spelled as approved, or compares equal by sw_item_key (store/schema.ts:
-- 联系电话(手机) is 联系电话（手机）, email is Email), as duplicate_collection compares items. The second
-- comparison runs here, on the few reads the first leaves with outside items, once per distinct spelling.
with listed as (
  select event_id, outside_items, approval_ids from int_access_authorisation
  where authorised and coalesce(len(outside_items), 0) > 0
),

outside_items as (
  select event_id, unnest(outside_items) as item, unnest(generate_series(1, len(outside_items))) as pos
  from listed
),

-- every distinct spelling once: sw_item_key's regular expression costs microseconds an item
spellings as (
  select item, sw_item_key(item) as item_key
  from (select distinct item from outside_items) distinct_items
),

outside as (
  select o.event_id, o.item, o.pos, s.item_key
  from outside_items o
  join spellings s on s.item = o.item
),

-- the items of the approvals such reads rely on, as compared (an approval's items as int_access_authorisation
-- takes them: approved_items, else requested_items); worked out once per approval, not per read
approval_items as (
  select distinct request_id, sw_item_key(item) as item_key
  from (
    select request_id, unnest(coalesce(approved_items, requested_items)) as item
    from stg_share_requests
    where request_id in (select unnest(approval_ids) from listed)
  ) items
),

-- the outside items that one of the read's valid approvals names in another spelling
respelled as (
  select distinct o.event_id, o.pos
  from outside o
  join (
    select distinct ea.event_id, ai.item_key
    from (select event_id, unnest(approval_ids) as request_id from listed) ea
    join approval_items ai on ai.request_id = ea.request_id
  ) k on k.event_id = o.event_id and k.item_key = o.item_key
),

rechecked as (
  select o.event_id,
    coalesce(list(o.item order by o.pos) filter (where r.pos is null), []) as outside_items
  from outside o
  left join respelled r on r.event_id = o.event_id and r.pos = o.pos
  group by o.event_id
),

authorised as (
  select i.* replace (coalesce(r.outside_items, i.outside_items) as outside_items),
    coalesce(len(coalesce(r.outside_items, i.outside_items)), 0) > 0 as beyond
  from int_access_authorisation i
  left join rechecked r on r.event_id = i.event_id
  where i.authorised
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
