-- misuse.unapproved_access: reads of conditional data with no valid approval of the consumer's own
-- (none, expired, not yet valid, or another department's). Grain: one row per consumer department x
-- resource x month with conditional reads; status 'open' when any read was unapproved, whose event_ids
-- the evidence lists; 'needs_review' when every unapproved read cites an approval id the share_requests
-- records do not hold (approval_not_in_records): missing records must not make a serious finding, and an
-- evaluator confirms it once the id is known not to exist. The evidence gives the reads per reason
-- (by_reason) and the consumer's own approvals of the resource with the instants they held from and until
-- (own_approvals), so that each read's judgement can be checked. Reads int_access_authorisation (unapproved
-- reads one row each, the others counted).
-- the unapproved reads per consumer x resource x month x reason, in one pass over them: their reads in order
-- (instant, event id), counts and the approval ids the log cited. Which read is unapproved why, and which
-- only needs review (approval_not_in_records).
with per_reason as (
  select consumer_dept, resource_code, month, unapproved_reason,
    list({'ts': ts, 'event_id': event_id} order by ts, event_id) as reads_in_order,
    count(*)::integer as reads,
    sum(coalesce(records, 0))::double as records,
    min(ts) as first_ts,
    max(ts) as last_ts,
    coalesce(list(distinct approval_id order by approval_id) filter (where approval_id is not null), [])
      as approval_ids_in_log,
    any_value(own_approvals) as own_approvals
  from int_access_authorisation
  where not authorised
  group by consumer_dept, resource_code, month, unapproved_reason
),

-- the month's unapproved reads from its reasons (the few groups, not the reads again)
unapproved as (
  select consumer_dept, resource_code, month,
    list({
      'reason': unapproved_reason,
      'count': reads,
      'records': records,
      'event_ids': list_transform(reads_in_order, lambda r: r.event_id),
      'approval_ids_in_log': approval_ids_in_log
    } order by unapproved_reason) as by_reason,
    -- all reasons' reads in order (instant, then event id)
    list_transform(list_sort(flatten(list(reads_in_order))), lambda r: r.event_id) as event_ids,
    sum(reads) as unapproved_reads,
    coalesce(sum(reads) filter (where unapproved_reason <> 'approval_not_in_records'), 0) as open_reads,
    sum(records) as records,
    min(first_ts) as first_ts,
    max(last_ts) as last_ts,
    list(unapproved_reason order by unapproved_reason) as reasons,
    list_sort(list_distinct(flatten(list(approval_ids_in_log)))) as approval_ids_in_log,
    any_value(own_approvals) as own_approvals
  from per_reason
  group by consumer_dept, resource_code, month
),

months as (
  select consumer_dept, resource_code, month, min(provider_dept) as provider_dept,
    sum(reads)::integer as reads_in_month, min(catalog_snapshot_date) as catalog_snapshot_date
  from int_access_authorisation
  group by consumer_dept, resource_code, month
)

select
  m.consumer_dept as dept_code,
  'access_month' as subject_type,
  m.consumer_dept || '/' || m.resource_code || '/' || m.month as subject_id,
  cast(u.first_ts as date) as started_on,
  null::date as deadline,
  cast(u.last_ts as date) as observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case
    when u.open_reads > 0 then 'open'
    when u.unapproved_reads > 0 then 'needs_review'
    else 'ok'
  end as status,
  {
    'consumer_dept': m.consumer_dept,
    'resource_code': m.resource_code,
    'provider_dept': m.provider_dept,
    'month': m.month,
    'event_ids': coalesce(u.event_ids, []),
    'count': coalesce(u.unapproved_reads, 0)::integer,
    'reads_in_month': m.reads_in_month,
    'records': coalesce(u.records, 0)::double,
    'first_ts': u.first_ts,
    'last_ts': u.last_ts,
    'reasons': coalesce(u.reasons, []),
    'approval_ids_in_log': coalesce(u.approval_ids_in_log, []),
    'by_reason': coalesce(u.by_reason, []),
    'own_approvals': coalesce(u.own_approvals, []),
    'catalog_snapshot_date': m.catalog_snapshot_date
  } as evidence
from months m
left join unapproved u
  on u.consumer_dept = m.consumer_dept and u.resource_code = m.resource_code and u.month = m.month
-- not ordered: the rows go to a table, and exports order the findings themselves
