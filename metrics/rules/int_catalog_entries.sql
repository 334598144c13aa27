-- Shared by the catalog entry rules (metadata_complete, restricted_basis, base_unconditional, mounted): the
-- catalog in force at the end of the period, min(period_end, as_of), by sw_catalog_versions as known by that
-- day (a snapshot taken later cannot end a listing in force then): each
-- resource's latest listing on or before that day, unless its department's catalog was exported again
-- since without it. A defect fixed by a later snapshot inside the period is therefore not judged, and an
-- entry withdrawn by then (its listing says so, it was left out, or catalog_changes withdraw it) is not
-- evaluated at all (null status counts as published).
-- Params: $period_end, $as_of.
create or replace temp table int_catalog_entries as
select * exclude (valid_from, valid_to)
from sw_catalog_versions(least(cast($period_end as date), cast($as_of as date))) v
where snapshot_date <= least(cast($period_end as date), cast($as_of as date))
  and (valid_to is null or valid_to > least(cast($period_end as date), cast($as_of as date)))
  and coalesce(status, 'published') = 'published'
  -- a catalog_changes 'withdraw' on or after the listing's snapshot and by that day ends it, as the supply
  -- rule and catalog.quarterly_review hold (supply-obligations.ts)
  and not exists (
    select 1 from stg_catalog_changes w
    where w.resource_code = v.resource_code and w.action = 'withdraw'
      and cast(w.changed_at as date) >= v.snapshot_date
      and cast(w.changed_at as date) <= least(cast($period_end as date), cast($as_of as date))
  )
