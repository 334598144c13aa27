-- Shared by the catalog entry rules (metadata_complete, restricted_basis, base_unconditional, mounted): the
-- catalog in force at the end of the period, min(period_end, as_of), by sw_catalog_listings as known by that
-- day (a snapshot taken later cannot end a listing in force then; a catalog_changes 'withdraw' does): each
-- resource's latest listing on or before that day, unless its department's catalog was exported again
-- since without it. A defect fixed by a later snapshot inside the period is therefore not judged, and an
-- entry withdrawn by then (its listing says so, it was left out, or catalog_changes withdraw it) is not
-- evaluated at all (null status counts as published).
-- Params: $period_end, $as_of.
create or replace temp table int_catalog_entries as
select * exclude (valid_from, valid_to)
from sw_catalog_listings(least(cast($period_end as date), cast($as_of as date)))
where snapshot_date <= least(cast($period_end as date), cast($as_of as date))
  and (valid_to is null or valid_to > least(cast($period_end as date), cast($as_of as date)))
  and coalesce(status, 'published') = 'published'
