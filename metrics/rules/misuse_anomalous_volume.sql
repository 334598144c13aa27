-- misuse.anomalous_volume: a consumer's daily volume on a resource far above its own robust baseline, and
-- bulk downloads outside working hours. Flagged 'needs_review', never 'open': an evaluator confirms.
-- Grain: one row per consumer department x resource x month with successful reads (charged to the consumer).
-- Volume of a local day = sum of records (a read without a count counts 1). Baseline of day d = median and
-- MAD of the volumes of the days WITH reads among d-90..d-1 (idle days are not zeros, or a sparse consumer
-- would spike on every read); no judgement with fewer than $min_baseline_days such days. Anomalous when
-- volume >= $min_records and volume > median + $threshold * spread, the spread being 1.4826 * MAD, or, when
-- the MAD is 0 (most baseline days at the median: 1000 on 11 days and 50000 on 10 gives MAD 0, and every
-- 50000 day would be "far above"), 1.253314 * the mean absolute deviation from the median (the modified
-- z-score of Iglewicz and Hoaglin, as IBM SPSS computes it). The spread is at least $min_spread_ratio x the
-- median: a flat baseline (1000 every day: MAD and mean deviation 0) must not make 1001 "far above".
-- Off hours: a non-working day of the calendar, or before $work_start / from $work_end on a working day.
-- Params: $period_start, $period_end, $as_of, $threshold, $min_spread_ratio, $min_baseline_days, $min_records,
-- $bulk_records, $work_start, $work_end ('HH:MM'). The log is scanned once for volumes, once (filtered) for
-- bulk downloads.
with daily as (
  select consumer_dept, resource_code, cast(ts as date) as day,
    min(provider_dept) as provider_dept,
    count(*) as reads,
    -- BIGINT, not the HUGEINT of sum(): the median/MAD windows run several times faster on it
    cast(sum(coalesce(records, 1)) as bigint) as volume
  from stg_access_log
  where ts >= cast($period_start as timestamp) - interval 90 day
    and ts < cast(least(cast($period_end as date), cast($as_of as date)) as timestamp) + interval 1 day
    and coalesce(result, 'ok') = 'ok'
    -- the provider's reads of its own resource are not use of shared data
    and consumer_dept <> provider_dept
  group by consumer_dept, resource_code, cast(ts as date)
),

-- ENGINE-SPECIFIC: the robust baseline. DuckDB collects each judged day's baseline volumes as a window list
-- over a range frame and takes list_median of them and of their absolute deviations (the MAD); this is
-- faster than the median() and mad() window aggregates. On ClickHouse use groupArray over the same frame.
-- The frame orders by a day number: a DATE with interval offsets is compared as TIMESTAMP, which is slower.
-- A day that is never judged (before the period, or below $min_records) gets an empty frame.
history as (
  select *,
    case when judged then list(volume) over w end as baseline_volumes
  from (
    select *, date_diff('day', date '2000-01-01', day) as day_number,
      day >= cast($period_start as date) and volume >= $min_records as judged
    from daily
  ) numbered
  -- only consumers with a day big enough to judge: small lookups never reach the windows
  where (consumer_dept, resource_code) in (
    select consumer_dept, resource_code from daily
    where day >= cast($period_start as date) and volume >= $min_records
  )
  window w as (
    partition by consumer_dept, resource_code order by day_number
    range between (case when judged then 90 else 0 end) preceding and 1 preceding
  )
),

medians as (
  select consumer_dept, resource_code, day, volume, baseline_volumes,
    list_median(baseline_volumes) as base_median
  from history
  where judged
),

deviations as (
  select consumer_dept, resource_code, day, volume, base_median,
    list_transform(baseline_volumes, lambda v: abs(v - base_median)) as deviations,
    coalesce(len(baseline_volumes), 0) as baseline_days
  from medians
),

baseline as (
  select *,
    -- the mean absolute deviation only where it is used: a MAD of 0
    case when base_mad = 0 then list_avg(deviations) end as base_mean_ad
  from (
    select consumer_dept, resource_code, day, volume, base_median, baseline_days, deviations,
      list_median(deviations) as base_mad
    from deviations
  ) mads
),

spreads as (
  select consumer_dept, resource_code, day, volume, base_median, base_mad, base_mean_ad, baseline_days,
    greatest(
      case when base_mad > 0 then 1.4826 * base_mad else 1.253314 * coalesce(base_mean_ad, 0) end,
      $min_spread_ratio * base_median
    ) as spread
  from baseline
),

anomalous_days as (
  select consumer_dept, resource_code, day, volume, base_median, base_mad, base_mean_ad, baseline_days, spread,
    base_median + $threshold * spread as limit_volume
  from spreads
  where day >= cast($period_start as date)
    and volume >= $min_records
    and baseline_days >= $min_baseline_days
    and volume > base_median + $threshold * spread
),

bulk_downloads as (
  select a.event_id, a.ts, a.consumer_dept, a.resource_code, a.user_id, a.records,
    coalesce(c.day_kind, 'unknown') as day_kind,
    row_number() over (
      partition by a.consumer_dept, a.resource_code, strftime(a.ts, '%Y-%m') order by a.ts, a.event_id
    ) as nth_in_month
  from stg_access_log a
  left join calendar c on c.date = cast(a.ts as date)
  where a.operation = 'download'
    and a.records >= $bulk_records
    and a.ts >= cast($period_start as timestamp)
    and a.ts < cast(least(cast($period_end as date), cast($as_of as date)) as timestamp) + interval 1 day
    and coalesce(a.result, 'ok') = 'ok'
    and a.consumer_dept <> a.provider_dept
    -- the run checks that the calendar covers the period; a day missing from it would count as working
    and (not coalesce(c.is_workday, true)
      or cast(a.ts as time) < cast($work_start as time)
      or cast(a.ts as time) >= cast($work_end as time))
),

-- grouped on the month's first day, a date: formatting millions of days as 'YYYY-MM' first is slower
months as (
  select consumer_dept, resource_code, strftime(month_start, '%Y-%m') as month, provider_dept, reads, volume
  from (
    select consumer_dept, resource_code, date_trunc('month', day) as month_start,
      min(provider_dept) as provider_dept, sum(reads) as reads, sum(volume) as volume
    from daily
    where day >= cast($period_start as date)
    group by consumer_dept, resource_code, date_trunc('month', day)
  ) by_month
),

anomalous_months as (
  select consumer_dept, resource_code, strftime(day, '%Y-%m') as month,
    min(day) as first_day, max(day) as last_day,
    list({
      'date': day,
      'volume': volume::double,
      'baseline_median': base_median::double,
      'baseline_mad': base_mad::double,
      -- set when the MAD is 0 and the spread is taken from it instead
      'baseline_mean_ad': round(base_mean_ad, 2)::double,
      'baseline_days': baseline_days::integer,
      'threshold': round(limit_volume, 2)::double
    } order by day) as days,
    -- how each day's threshold was reached, to recompute it from the log (not in the review grounds): the
    -- baseline's days (those with reads among these 90), and the spread the threshold factor multiplies
    list({
      'date': day,
      'baseline_from': day - 90,
      'baseline_to': day - 1,
      'spread': round(spread, 2)::double,
      'spread_from': case when base_mad > 0 then 'mad' else 'mean_absolute_deviation' end,
      'spread_at_floor': spread = $min_spread_ratio * base_median
    } order by day) as baselines
  from anomalous_days
  group by consumer_dept, resource_code, strftime(day, '%Y-%m')
),

-- the evidence lists the first 100 downloads of a month (a busy month can have thousands); the count
-- and the records cover all of them
bulk_months as (
  select consumer_dept, resource_code, strftime(ts, '%Y-%m') as month,
    cast(min(ts) as date) as first_day, cast(max(ts) as date) as last_day,
    count(*) as bulk_count, sum(records) as bulk_records,
    list({
      'event_id': event_id,
      'ts': ts,
      'user_id': user_id,
      'records': records::double,
      'day_kind': day_kind
    } order by ts, event_id) filter (where nth_in_month <= 100) as events
  from bulk_downloads
  group by consumer_dept, resource_code, strftime(ts, '%Y-%m')
)

select
  m.consumer_dept as dept_code,
  'access_month' as subject_type,
  m.consumer_dept || '/' || m.resource_code || '/' || m.month as subject_id,
  least(coalesce(a.first_day, b.first_day), coalesce(b.first_day, a.first_day)) as started_on,
  null::date as deadline,
  greatest(coalesce(a.last_day, b.last_day), coalesce(b.last_day, a.last_day)) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case when a.days is not null or b.events is not null then 'needs_review' else 'ok' end as status,
  {
    'consumer_dept': m.consumer_dept,
    'resource_code': m.resource_code,
    'provider_dept': m.provider_dept,
    'month': m.month,
    'reads_in_month': m.reads::integer,
    'records_in_month': m.volume::double,
    'anomalous_days': coalesce(a.days, []),
    'anomalous_day_baselines': coalesce(a.baselines, []),
    'off_hours_bulk_downloads': coalesce(b.events, []),
    'off_hours_bulk_count': coalesce(b.bulk_count, 0)::integer,
    'off_hours_bulk_records': coalesce(b.bulk_records, 0)::double,
    'threshold_factor': $threshold::double,
    'min_spread_ratio': $min_spread_ratio::double,
    'min_records': $min_records::double,
    'min_baseline_days': $min_baseline_days::integer,
    'bulk_records': $bulk_records::double,
    'working_hours': $work_start || '-' || $work_end
  } as evidence
from months m
left join anomalous_months a
  on a.consumer_dept = m.consumer_dept and a.resource_code = m.resource_code and a.month = m.month
left join bulk_months b
  on b.consumer_dept = m.consumer_dept and b.resource_code = m.resource_code and b.month = m.month
-- not ordered: the rows go to a table, and exports order the findings themselves
