-- catalog.mounted: a published entry in force that is shared (无条件 or 有条件共享) has its data mounted
-- (挂接/注册挂载) on the platform.
-- mounted null means the export does not say: such an entry is not evaluated, but not hidden either: its
-- row is 'data_gap' (listed with the evidence, left out of the 资源挂接率 and never counted against the
-- department). Grain: one row per entry (subject = resource_code), charged to provider_dept; 'open' when
-- mounted is false. Reads int_catalog_entries (built with the period end and the as-of date).
select
  e.provider_dept as dept_code,
  'catalog_entry' as subject_type,
  e.resource_code as subject_id,
  e.published_on as started_on,
  null::date as deadline,
  e.snapshot_date as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when e.mounted is null then 'data_gap' when e.mounted then 'ok' else 'open' end as status,
  {
    'resource_code': e.resource_code,
    'resource_name': e.resource_name,
    'provider_dept': e.provider_dept,
    'snapshot_date': e.snapshot_date,
    'published_on': e.published_on,
    'mounted': e.mounted,
    'mounted_known': e.mounted is not null,
    'batch_id': e._batch_id
  } as evidence
from int_catalog_entries e
-- a 不予共享 entry supplies no data to other departments: it has nothing to mount on the sharing platform
where e.share_type is distinct from 'none'
order by e.resource_code
