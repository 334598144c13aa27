-- The evaluations of one run as the scores count them, after the evaluators' decisions the run includes:
-- 'ok' passes; a dismissed finding passes; an exempted one, a pending-calendar one and a data gap are left
-- out; a needs-review finding fails only once confirmed; any other finding fails. Each row is mapped to the
-- indicator(s) its rule feeds (_sw_indicator_rules, written from the profile's scoring method). A row may
-- stand for the passes of a group ('subjects' of them, their units summed): never in a shared indicator.
-- The decisions are those that apply to the run (_sw_decisions, from metrics/reviews.ts decisionsForRun: the
-- latest per finding in the review log the run includes, unless the finding's grounds changed since).
-- Params: $run.
create or replace temp table _sw_counted as
with counted as (
  select e.dept_code, e.rule_id, e.subject_id, e.finding_id, e.status, e.units, e.failed_units, e.subjects,
    case
      when e.status = 'ok' then 'pass'
      when e.status in ('pending_calendar', 'data_gap') or d.decision = 'exempt' then 'excluded'
      when e.status = 'needs_review' then case when d.decision = 'confirm' then 'fail' else 'pass' end
      when d.decision = 'dismiss' then 'pass'
      else 'fail'
    end as counted,
    coalesce(d.decision = 'confirm', false) as confirmed
  from evaluations e
  left join _sw_decisions d on d.finding_id = e.finding_id
  where e.run_id = $run
)

select c.*, m.indicator_id, m.method, m.points
from counted c
left join _sw_indicator_rules m on m.rule_id = c.rule_id
