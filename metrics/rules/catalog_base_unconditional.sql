-- catalog.base_unconditional: base-data entries (基础信息资源) are shared unconditionally (无条件共享). An
-- entry is base data when its base_kind is one the profile's article names, or when it is classed 基础
-- (category base) without a base_kind (the articles list the kinds with "等"); an entry of an unnamed kind
-- is not evaluated. Grain: one row per base entry in force (subject = resource_code), charged to
-- provider_dept; 'open' when its share_type is not unconditional. An entry that states no share type is not
-- judged: the catalog says nothing to hold against it here, and catalog.metadata_complete reports the blank.
-- Params: $base_<kind> (one boolean per base kind, from the profile's params). Reads
-- int_catalog_entries (built with the period end and the as-of date).
with entries as (
  select resource_code, resource_name, provider_dept, snapshot_date, published_on, _batch_id,
    category, base_kind, share_type, share_condition, legal_basis
  from int_catalog_entries
  where share_type is not null
    and ((base_kind is null and category = 'base')
     or (base_kind = 'population' and $base_population)
     or (base_kind = 'legal_entity' and $base_legal_entity)
     or (base_kind = 'natural_resources_geo' and $base_natural_resources_geo)
     or (base_kind = 'e_license' and $base_e_license)
     or (base_kind = 'social_credit' and $base_social_credit))
)

select
  e.provider_dept as dept_code,
  'catalog_entry' as subject_type,
  e.resource_code as subject_id,
  e.published_on as started_on,
  null::date as deadline,
  e.snapshot_date as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when e.share_type = 'unconditional' then 'ok' else 'open' end as status,
  {
    'resource_code': e.resource_code,
    'resource_name': e.resource_name,
    'provider_dept': e.provider_dept,
    'snapshot_date': e.snapshot_date,
    'category': e.category,
    'base_kind': e.base_kind,
    'share_type': e.share_type,
    'share_condition': e.share_condition,
    'legal_basis': e.legal_basis,
    'batch_id': e._batch_id
  } as evidence
from entries e
order by e.resource_code
