-- Shared by the catalog entry rules (metadata_complete, restricted_basis, base_unconditional, mounted): the
-- catalog in force at the end of the period, i.e. each resource's latest snapshot on or before
-- min(period_end, as_of). A defect fixed by a later snapshot inside the period is therefore not judged, and
-- an entry whose latest snapshot says withdrawn is not evaluated at all (null status counts as published).
-- Params: $period_end, $as_of.
create or replace temp table int_catalog_entries as
select * exclude (version_rank)
from (
  select s.*,
    row_number() over (partition by s.resource_code order by s.snapshot_date desc) as version_rank
  from stg_catalog_snapshot s
  where s.snapshot_date <= least(cast($period_end as date), cast($as_of as date))
) latest
where version_rank = 1
  and coalesce(status, 'published') = 'published'
