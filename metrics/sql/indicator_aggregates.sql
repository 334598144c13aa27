-- Per department and indicator, what the score is computed from: for a rate, the units due and failed
-- (a subject judged by several rules of one indicator counts once and fails if any of them fails); for a
-- deduction, the counted subjects, the failed ones and their points. Reads _sw_counted (a row of passes of
-- a group counts its subjects). A passing subject may still have failed units: a conformance sample whose
-- bad rows stay within the profile's tolerance is no finding, but its bad rows count in the rate; a
-- dismissed finding counts none.
with shared_indicators as (
  select indicator_id from _sw_indicator_rules group by indicator_id having count(distinct rule_id) > 1
),

-- an indicator fed by one rule has one row per subject already: only the others need the grouping (a
-- province's supply windows are millions of rows)
rate_subjects as (
  select dept_code, indicator_id, subject_id, units,
    case when counted = 'fail' or status = 'ok' then least(failed_units, units) else 0 end as failed
  from _sw_counted
  where method = 'rate' and counted <> 'excluded'
    and indicator_id not in (select indicator_id from shared_indicators)
  union all
  select dept_code, indicator_id, subject_id, max(units) as units,
    max(case when counted = 'fail' or status = 'ok' then least(failed_units, units) else 0 end) as failed
  from _sw_counted
  where method = 'rate' and counted <> 'excluded'
    and indicator_id in (select indicator_id from shared_indicators)
  group by dept_code, indicator_id, subject_id
)

select dept_code, indicator_id, sum(units)::bigint as units, sum(failed)::bigint as failed_units, 0 as points
from rate_subjects
group by dept_code, indicator_id
union all
select dept_code, indicator_id, sum(subjects)::bigint as units,
  coalesce(sum(subjects) filter (where counted = 'fail'), 0)::bigint as failed_units,
  coalesce(sum(points) filter (where counted = 'fail'), 0)::integer as points
from _sw_counted
where method = 'deduction' and counted <> 'excluded'
group by dept_code, indicator_id
order by dept_code, indicator_id
