-- Shared by quality.conformance and quality.one_source: the data_sample rows that belong to the period, with
-- the resource's provider, category and declared data items from the latest catalog snapshot of the period
-- known by the as-of date, as the catalog rules take it (a sample of a resource not in that catalog has no
-- provider to charge and is left out).
-- Samples carry no date of their own: a date in the file name (data_sample_R002_20260315.csv or
-- data_sample_R002_2026-03-15.csv) places the sample in the period containing it, if not after the as-of
-- date; an undated sample stands for the resource's data as supplied and belongs to every period.
-- The resource is the longest catalog resource code the file name starts with after data_sample_, followed by
-- _, -, . or nothing (data_sample_R_003_20260315.csv is R_003's when the catalog lists R_003, and
-- data_sample_R011-v2.csv is R011's); a name that starts with no listed code keeps the code the ingest read
-- (up to the first _ or .), and its sample, of a resource the catalog does not list, is left out.
-- Params: $period_start, $period_end, $as_of.
create or replace temp table int_data_sample as
with samples as (
  select s.resource_code, s._batch_id as batch_id, b.file_name, b.seq as batch_seq, s.row_no, s.line,
    cast(s.record as varchar) as record,
    cast(try_strptime(
      nullif(regexp_extract(lower(b.file_name), '^data_sample_[^_.]+_(?:[^.]*_)?(\d{4}-\d{2}-\d{2}|\d{8})(?:[_.]|$)', 1), ''),
      ['%Y-%m-%d', '%Y%m%d']
    ) as date) as sampled_on
  from raw_data_sample s
  join batches b on b.batch_id = s._batch_id
  where b.status = 'loaded'
    -- a sample loaded again (under corrected mappings) is one sample: the earlier load is no input
    and b.batch_id not in (select batch_id from superseded_batches)
),

catalog as (
  select resource_code, provider_dept, category, data_items, snapshot_date
  from (
    select c.*, row_number() over (partition by c.resource_code order by c.snapshot_date desc) as rn
    from stg_catalog_snapshot c
    where c.snapshot_date <= least(cast($period_end as date), cast($as_of as date))
  ) latest
  where rn = 1
),

-- each sample file's resource: the longest listed code its name holds (sw_sample_names), the few files
-- against the codes
named as (
  select f.batch_id, arg_max(c.resource_code, length(c.resource_code)) as resource_code
  from (select distinct batch_id, file_name from samples) f
  join catalog c
    on sw_sample_names(f.file_name, c.resource_code)
  group by f.batch_id
)

select coalesce(n.resource_code, s.resource_code) as resource_code, s.batch_id, s.file_name, s.batch_seq,
  s.sampled_on, c.provider_dept, c.category, c.data_items as catalog_items,
  c.snapshot_date as catalog_snapshot_date, s.row_no, s.line, s.record
from samples s
left join named n on n.batch_id = s.batch_id
join catalog c on c.resource_code = coalesce(n.resource_code, s.resource_code)
where s.sampled_on is null
   or (s.sampled_on between cast($period_start as date) and cast($period_end as date)
       and s.sampled_on <= cast($as_of as date))
