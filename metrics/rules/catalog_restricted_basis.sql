-- catalog.restricted_basis: an entry in force classed in a share class the profile's article covers
-- (有条件共享 and/or 不予共享) cites its legal basis, and, where the article says so, a conditional entry states
-- its share conditions. Entries outside what the article covers are not evaluated (no row), so no finding
-- claims more than the article says. Grain: one row per covered entry (subject = resource_code), charged to
-- provider_dept; 'open' when the basis or the condition is missing (blank, or a placeholder such as 无 or
-- /: sw_stated), which the evidence lists with the values as exported.
-- Params: $basis_conditional, $basis_none, $require_condition (booleans). Reads int_catalog_entries
-- (built with the period end and the as-of date).
with entries as (
  select resource_code, resource_name, provider_dept, snapshot_date, published_on, _batch_id,
    share_type, nullif(trim(legal_basis), '') as legal_basis, nullif(trim(share_condition), '') as share_condition,
    (share_type = 'conditional' and $basis_conditional) or (share_type = 'none' and $basis_none) as needs_basis,
    share_type = 'conditional' and $require_condition as needs_condition
  from int_catalog_entries
),

checked as (
  select e.*,
    list_filter([
      case when e.needs_basis and sw_stated(e.legal_basis) is null then 'legal_basis' end,
      case when e.needs_condition and sw_stated(e.share_condition) is null then 'share_condition' end
    ], lambda x: x is not null) as missing
  from entries e
  where e.needs_basis or e.needs_condition
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
    'share_type': c.share_type,
    'legal_basis': c.legal_basis,
    'share_condition': c.share_condition,
    'missing': c.missing,
    'batch_id': c._batch_id
  } as evidence
from checked c
order by c.resource_code
