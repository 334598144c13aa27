-- misuse.unapproved_access: reads of conditional data with no valid approval of the consumer's own
-- (none, expired, not yet valid, or another department's). Grain: one row per consumer department x
-- resource x month with conditional reads; status 'open' when any read was unapproved, whose event_ids
-- the evidence lists; 'needs_review' when every unapproved read cites an approval id the share_requests
-- records do not hold (approval_not_in_records): missing records must not make a serious finding, and an
-- evaluator confirms it once the id is known not to exist. The evidence gives the reads per reason
-- (by_reason) and the consumer's own approvals of the resource with the instants they held from and until
-- (own_approvals), so that each read's judgement can be checked. Reads int_access_authorisation (unapproved
-- reads one row each, the others counted).
-- the unapproved reads of a consumer x resource x month per reason: which read is unapproved why, and which
-- only needs review (approval_not_in_records)
with by_reason as (
  select consumer_dept, resource_code, month,
    list({
      'reason': unapproved_reason,
      'count': reads,
      'records': records,
      'event_ids': event_ids,
      'approval_ids_in_log': approval_ids_in_log
    } order by unapproved_reason) as by_reason
  from (
    select consumer_dept, resource_code, month, unapproved_reason, count(*)::integer as reads,
      sum(coalesce(records, 0))::double as records,
      list(event_id order by ts, event_id) as event_ids,
      coalesce(list(distinct approval_id order by approval_id) filter (where approval_id is not null), [])
        as approval_ids_in_log
    from int_access_authorisation
    where not authorised
    group by consumer_dept, resource_code, month, unapproved_reason
  ) reasons
  group by consumer_dept, resource_code, month
),

months as (
  select consumer_dept, resource_code, month,
    cast(min(ts) filter (where not authorised) as date) as started_on,
    cast(max(ts) filter (where not authorised) as date) as observed_on,
    count(*) filter (where not authorised and unapproved_reason <> 'approval_not_in_records') as open_reads,
    count(*) filter (where not authorised) as unapproved_reads,
    min(provider_dept) as provider_dept,
    coalesce(list(event_id order by ts, event_id) filter (where not authorised), []) as event_ids,
    sum(reads)::integer as reads_in_month,
    coalesce(sum(coalesce(records, 0)) filter (where not authorised), 0)::double as records,
    min(ts) filter (where not authorised) as first_ts,
    max(ts) filter (where not authorised) as last_ts,
    coalesce(list(distinct unapproved_reason order by unapproved_reason) filter (where not authorised), []) as reasons,
    coalesce(list(distinct approval_id order by approval_id) filter (where not authorised and approval_id is not null), [])
      as approval_ids_in_log,
    coalesce(any_value(own_approvals) filter (where not authorised), []) as own_approvals,
    min(catalog_snapshot_date) as catalog_snapshot_date
  from int_access_authorisation
  group by consumer_dept, resource_code, month
)

select
  m.consumer_dept as dept_code,
  'access_month' as subject_type,
  m.consumer_dept || '/' || m.resource_code || '/' || m.month as subject_id,
  m.started_on,
  null::date as deadline,
  m.observed_on,
  null::integer as late_working_days,
  null::integer as late_calendar_days,
  case
    when m.open_reads > 0 then 'open'
    when m.unapproved_reads > 0 then 'needs_review'
    else 'ok'
  end as status,
  {
    'consumer_dept': m.consumer_dept,
    'resource_code': m.resource_code,
    'provider_dept': m.provider_dept,
    'month': m.month,
    'event_ids': m.event_ids,
    'count': m.unapproved_reads::integer,
    'reads_in_month': m.reads_in_month,
    'records': m.records,
    'first_ts': m.first_ts,
    'last_ts': m.last_ts,
    'reasons': m.reasons,
    'approval_ids_in_log': m.approval_ids_in_log,
    'by_reason': coalesce(r.by_reason, []),
    'own_approvals': m.own_approvals,
    'catalog_snapshot_date': m.catalog_snapshot_date
  } as evidence
from months m
left join by_reason r
  on r.consumer_dept = m.consumer_dept and r.resource_code = m.resource_code and r.month = m.month
-- not ordered: the rows go to a table, and exports order the findings themselves
