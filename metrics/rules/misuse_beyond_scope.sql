-- misuse.beyond_scope: authorised reads of conditional data that include items outside the union of the
-- approved items of the consumer's valid approvals. Grain: one row per consumer department x resource x
-- month with authorised reads; status 'open' when any read went beyond scope, whose event_ids and items
-- the evidence lists, with the reads grouped by the items they read outside (by_items) and the approvals they
-- relied on with the items each approves (approvals). Reads int_access_authorisation (reads beyond scope one row each, the others counted).
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
),

-- the reads beyond scope per consumer x resource x month x the items they read outside the approvals, in one
-- pass over them: which read read what
per_items as (
  select consumer_dept, resource_code, month, outside_items as items,
    list({'ts': ts, 'event_id': event_id} order by ts, event_id) as reads_in_order,
    count(*)::integer as reads,
    min(ts) as first_ts,
    max(ts) as last_ts,
    list_distinct(flatten(list(approval_ids))) as approval_ids
  from authorised
  where beyond
  group by consumer_dept, resource_code, month, outside_items
),

-- the month's reads beyond scope from its item sets (the few groups, not the reads again)
beyond as (
  select consumer_dept, resource_code, month,
    list({
      'items_beyond_scope': items,
      'count': reads,
      'event_ids': list_transform(reads_in_order, lambda r: r.event_id)
    } order by items) as by_items,
    -- all item sets' reads in order (instant, then event id)
    list_transform(list_sort(flatten(list(reads_in_order))), lambda r: r.event_id) as event_ids,
    sum(reads)::integer as beyond_reads,
    min(first_ts) as first_ts,
    max(last_ts) as last_ts,
    list_sort(list_distinct(flatten(list(items)))) as items_beyond_scope,
    list_sort(list_distinct(flatten(list(approval_ids)))) as approval_ids
  from per_items
  group by consumer_dept, resource_code, month
),

-- the approvals those reads relied on, with the items each approves (approved_items, else requested_items)
approvals_used as (
  select u.consumer_dept, u.resource_code, u.month,
    list({'request_id': p.request_id, 'approved_items': coalesce(p.approved_items, p.requested_items)}
      order by p.request_id) as approvals
  from (select consumer_dept, resource_code, month, unnest(approval_ids) as request_id from beyond) u
  join stg_share_requests p on p.request_id = u.request_id
  group by u.consumer_dept, u.resource_code, u.month
),

months as (
  select consumer_dept, resource_code, month, min(provider_dept) as provider_dept,
    sum(reads)::integer as reads_in_month
  from authorised
  group by consumer_dept, resource_code, month
)

select
  m.consumer_dept as dept_code,
  'access_month' as subject_type,
  m.consumer_dept || '/' || m.resource_code || '/' || m.month as subject_id,
  cast(b.first_ts as date) as started_on,
  null::date as deadline,
  cast(b.last_ts as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when b.beyond_reads > 0 then 'open' else 'ok' end as status,
  {
    'consumer_dept': m.consumer_dept,
    'resource_code': m.resource_code,
    'provider_dept': m.provider_dept,
    'month': m.month,
    'event_ids': coalesce(b.event_ids, []),
    'count': coalesce(b.beyond_reads, 0),
    'reads_in_month': m.reads_in_month,
    'first_ts': b.first_ts,
    'last_ts': b.last_ts,
    'items_beyond_scope': coalesce(b.items_beyond_scope, []),
    'approval_ids': coalesce(b.approval_ids, []),
    'by_items': coalesce(b.by_items, []),
    'approvals': coalesce(a.approvals, [])
  } as evidence
from months m
left join beyond b on b.consumer_dept = m.consumer_dept and b.resource_code = m.resource_code and b.month = m.month
left join approvals_used a
  on a.consumer_dept = m.consumer_dept and a.resource_code = m.resource_code and a.month = m.month
-- not ordered: the rows go to a table, and exports order the findings themselves
