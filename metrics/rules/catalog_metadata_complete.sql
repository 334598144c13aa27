-- catalog.metadata_complete: each published entry in force states the elements its jurisdiction requires
-- (classification, responsible party, format, data items, update cycle, share type, share method, usage
-- requirements; Yingkou: open type and a contact instead of usage requirements; Shaanxi: a conditional
-- entry's conditions, after the 指南). A blank
-- text, one that states nothing (only punctuation, or a placeholder such as 无 or 暂无: sw_stated), or a
-- data-item list with no item that states something is missing; the open type is a class ('none' is one),
-- only blank is missing there. Grain: one row per entry (subject = resource_code), charged
-- to provider_dept; 'open' when any required element is missing, which the evidence lists.
-- Params: $need_<element> (one boolean per element, from the profile's params). Reads
-- int_catalog_entries (built with the period end and the as-of date).
with entries as (
  select resource_code, resource_name, provider_dept, snapshot_date, published_on, _batch_id,
    category, format, data_items, update_cycle, share_type, share_method, share_condition, open_type,
    usage_requirements, contact
  from int_catalog_entries
),

checked as (
  select e.*,
    list_filter([
      case when $need_category and e.category is null then 'category' end,
      case when $need_provider_dept and nullif(trim(e.provider_dept), '') is null then 'provider_dept' end,
      case when $need_format and sw_stated(e.format) is null then 'format' end,
      case when $need_data_items and coalesce(len(list_filter(e.data_items, lambda x: sw_stated(x) is not null)), 0) = 0 then 'data_items' end,
      case when $need_update_cycle and e.update_cycle is null then 'update_cycle' end,
      case when $need_share_type and e.share_type is null then 'share_type' end,
      case when $need_share_condition and e.share_type = 'conditional' and sw_stated(e.share_condition) is null
        then 'share_condition' end,
      case when $need_share_method and sw_stated(e.share_method) is null then 'share_method' end,
      case when $need_open_type and nullif(trim(e.open_type), '') is null then 'open_type' end,
      case when $need_usage_requirements and sw_stated(e.usage_requirements) is null
        then 'usage_requirements' end,
      case when $need_contact and sw_stated(e.contact) is null then 'contact' end
    ], lambda x: x is not null) as missing
  from entries e
)

select
  c.provider_dept as dept_code,
  'catalog_entry' as subject_type,
  c.resource_code as subject_id,
  c.published_on as started_on,
  null::date as deadline,
  c.snapshot_date as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when len(c.missing) > 0 then 'open' else 'ok' end as status,
  {
    'resource_code': c.resource_code,
    'resource_name': c.resource_name,
    'provider_dept': c.provider_dept,
    'snapshot_date': c.snapshot_date,
    'missing': c.missing,
    'batch_id': c._batch_id,
    -- the texts as exported, so that a department sees what was read as stating nothing (无, /, 暂无)
    'values_as_exported': {
      'format': c.format,
      'data_items': c.data_items,
      'share_method': c.share_method,
      'share_condition': c.share_condition,
      'usage_requirements': c.usage_requirements,
      'contact': c.contact
    }
  } as evidence
from checked c
order by c.resource_code
