-- misuse.duplicate_collection: a department catalogs items that a base resource (基础库) of another
-- department already provides (重复采集), in the catalog in force at the end of the period (int_catalog_entries,
-- built with the period end and the as-of date). Items compare after normalisation (full-width letters and digits to
-- half-width, punctuation, symbols and spaces removed, case folded); the join keys in $ignore_items never
-- count, and a base resource that is not shared at all (不予共享) cannot be obtained by sharing, so it does not
-- count either (one whose entry states no share type is not declared unshared: it counts). Grain: one row per non-base entry in force (subject = resource_code), charged to its
-- provider; 'open' when at least $min_items items are duplicated. Params: $ignore_items, $min_items.
with items as (
  select resource_code, resource_name, provider_dept, share_type,
    coalesce(category = 'base', false) or base_kind is not null as is_base,
    unnest(data_items) as item
  from int_catalog_entries
),

key_items as (
  -- bound as a JSON array of strings (an empty list cannot be bound as a typed list)
  select unnest(cast(cast($ignore_items as json) as varchar[])) as item
),

-- every distinct spelling once, normalised by sw_item_key (store/schema.ts), as beyond_scope compares items too
spellings as (
  select item, sw_item_key(item) as item_key
  from (select item from items union select item from key_items) all_spellings
),

normalised as (
  select i.*, s.item_key, s.item_key in (select k.item_key from key_items ki join spellings k on k.item = ki.item) as is_key
  from items i
  join spellings s on s.item = i.item
  where s.item_key <> ''
),

matches as (
  select e.resource_code, e.item_key, e.is_key, min(e.item) as item,
    list(distinct {
      'resource_code': b.resource_code,
      'resource_name': b.resource_name,
      'provider_dept': b.provider_dept,
      'item': b.item
    }) as provided_by
  from normalised e
  join normalised b
    on b.item_key = e.item_key
   and b.is_base
   and b.provider_dept <> e.provider_dept
   and b.share_type is distinct from 'none'
  where not e.is_base
  group by e.resource_code, e.item_key, e.is_key
),

per_entry as (
  select resource_code,
    count(*) filter (where not is_key) as duplicated_count,
    list({'item': item, 'provided_by': list_sort(provided_by)} order by item) filter (where not is_key) as duplicated,
    list(item order by item) filter (where is_key) as key_items_shared
  from matches
  group by resource_code
)

select
  e.provider_dept as dept_code,
  'catalog_entry' as subject_type,
  e.resource_code as subject_id,
  e.snapshot_date as started_on,
  null::date as deadline,
  e.snapshot_date as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when coalesce(p.duplicated_count, 0) >= $min_items then 'open' else 'ok' end as status,
  {
    'resource_code': e.resource_code,
    'resource_name': e.resource_name,
    'provider_dept': e.provider_dept,
    'snapshot_date': e.snapshot_date,
    'category': e.category,
    'duplicated_items': coalesce(p.duplicated, []),
    'duplicated_count': coalesce(p.duplicated_count, 0)::integer,
    'key_items_ignored': coalesce(p.key_items_shared, []),
    'min_items': $min_items::integer
  } as evidence
from int_catalog_entries e
left join per_entry p on p.resource_code = e.resource_code
where not (coalesce(e.category = 'base', false) or e.base_kind is not null)
order by e.resource_code
