-- Shared by misuse.unapproved_access and misuse.beyond_scope: every successful access in the period to a
-- resource that is conditional (有条件共享) in the catalog snapshot in force on the access date, with the
-- consumer's approvals valid at that instant. An approval authorises only its requester for its resource,
-- from valid_from (else responded_at) to valid_until (else open); the log's approval_id is only a hint.
-- An approval without approved_items approves the requested items; without either, the whole resource.
-- Params: $period_start, $period_end, $as_of.
create or replace temp table int_access_authorisation as
with accesses as (
  select event_id, ts, consumer_dept, resource_code, provider_dept, operation, records, items, approval_id
  from stg_access_log
  where ts >= cast($period_start as timestamp)
    and ts < cast($period_end as timestamp) + interval 1 day
    and ts < cast($as_of as timestamp) + interval 1 day
    and coalesce(result, 'ok') = 'ok'
),

catalog_versions as (
  select resource_code, snapshot_date, share_type,
    lead(snapshot_date) over (partition by resource_code order by snapshot_date) as next_snapshot_date
  from stg_catalog_snapshot
),

conditional_accesses as (
  select a.*, c.snapshot_date as catalog_snapshot_date
  from accesses a
  join catalog_versions c
    on c.resource_code = a.resource_code
   and cast(a.ts as date) >= c.snapshot_date
   and (c.next_snapshot_date is null or cast(a.ts as date) < c.next_snapshot_date)
  where c.share_type = 'conditional'
),

approvals as (
  select request_id, requester_dept, resource_code,
    coalesce(valid_from, responded_at) as valid_from, valid_until,
    coalesce(approved_items, requested_items) as approved_items
  from stg_share_requests
  where decision = 'approved' and coalesce(valid_from, responded_at) is not null
),

matched as (
  select a.event_id,
    count(p.request_id) as valid_approvals,
    list(p.request_id order by p.request_id) filter (where p.request_id is not null) as approval_ids,
    bool_or(p.request_id is not null and p.approved_items is null) as whole_resource,
    flatten(list(p.approved_items) filter (where p.approved_items is not null)) as approved_items
  from conditional_accesses a
  left join approvals p
    on p.requester_dept = a.consumer_dept
   and p.resource_code = a.resource_code
   and a.ts >= p.valid_from
   and (p.valid_until is null or a.ts <= p.valid_until)
  group by a.event_id
),

own_history as (
  select a.event_id, min(p.valid_from) as first_valid_from
  from conditional_accesses a
  join approvals p on p.requester_dept = a.consumer_dept and p.resource_code = a.resource_code
  group by a.event_id
)

select a.*, m.valid_approvals, m.approval_ids, m.whole_resource, m.approved_items,
  case
    when m.valid_approvals > 0 then null
    when hinted.requester_dept is not null and hinted.requester_dept <> a.consumer_dept then 'approval_of_other_department'
    when h.first_valid_from is not null and a.ts < h.first_valid_from then 'before_approval'
    when h.first_valid_from is not null then 'approval_expired'
    else 'no_approval'
  end as unapproved_reason
from conditional_accesses a
join matched m on m.event_id = a.event_id
left join own_history h on h.event_id = a.event_id
left join stg_share_requests hinted on hinted.request_id = a.approval_id
