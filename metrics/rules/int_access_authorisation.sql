-- Shared by misuse.unapproved_access and misuse.beyond_scope: the successful accesses in the period by another
-- department (the provider's reads of its own resource are not sharing) to a
-- resource that is conditional (有条件共享) in its catalog listing in force on the access date
-- (sw_catalog_versions as known by the as-of date, the one definition the catalog and supply rules share; a
-- withdrawn listing shares nothing), judged against
-- the consumer's approvals valid at that instant. An approval authorises only its requester for its resource,
-- from the later of valid_from and responded_at (use follows the answer, 按答复意见使用: a valid_from backdated
-- before the answer does not approve the reads made while the request was unanswered; an approval exported
-- with neither date, from its submission, the earliest it can have been given) to valid_until (else open);
-- the log's approval_id is only a hint.
-- An approval without approved_items approves the requested items; without either, the whole resource.
-- Grain: one row per access the rules list (unapproved, or authorised with items outside the approved ones:
-- reads = 1, with its event columns), plus one row per consumer x resource x month for all its other
-- (authorised, in-scope) accesses (reads = their count, event columns null): a province's log is millions
-- of authorised reads that the rules only count. An unapproved read carries the consumer's own approvals of
-- the resource (own_approvals), for the evidence. Params: $period_start, $period_end, $as_of.
create or replace temp table int_access_authorisation as
with accesses as (
  select event_id, ts, consumer_dept, resource_code, provider_dept, records, items, approval_id
  from stg_access_log
  where ts >= cast($period_start as timestamp)
    and ts < cast($period_end as timestamp) + interval 1 day
    and ts < cast($as_of as timestamp) + interval 1 day
    and coalesce(result, 'ok') = 'ok'
    -- a department reading its own resource is not sharing: it needs no approval
    and consumer_dept <> provider_dept
    -- only resources conditional in some snapshot can be read without approval: most of the log drops here
    and resource_code in (select resource_code from stg_catalog_snapshot where share_type = 'conditional')
),

-- the conditional listings: on [valid_from, valid_to), valid_to null while still in force
catalog_versions as (
  select resource_code, snapshot_date, valid_from, valid_to
  from sw_catalog_versions(cast($as_of as date))
  where share_type = 'conditional' and coalesce(status, 'published') <> 'withdrawn'
),

-- valid_to is the first instant after the approval: valid_until names the last second it covers (23:59:59
-- covers 23:59:59.4), or the last minute when given to the minute (23:59 covers 23:59:30); an instant with
-- a fraction of a second ends there. Exactly midnight (2026-12-31 00:00:00) is a date an export wrote as a
-- time: it covers that whole day, as the date alone does, not its first minute.
approvals as (
  select request_id, requester_dept, resource_code,
    coalesce(greatest(valid_from, responded_at), submitted_at) as valid_from, valid_until,
    valid_from as exported_valid_from, responded_at,
    case
      when valid_until is null then null
      when valid_until = date_trunc('day', valid_until) then valid_until + interval 1 day
      when microsecond(valid_until) % 1000000 <> 0 then valid_until + interval 1 microsecond
      when second(valid_until) = 0 then valid_until + interval 1 minute
      else valid_until + interval 1 second
    end as valid_to,
    coalesce(approved_items, requested_items) as approved_items
  from stg_share_requests
  where decision = 'approved'
),

-- a pair's timeline cut where an approval starts or ends (valid on [valid_from, valid_to)): inside a
-- segment the valid approvals do not change. Open ends are
-- closed after the period's last access: OR ... IS NULL in a join makes DuckDB loop over the whole log.
bounds as (
  select requester_dept, resource_code, valid_from as bound_at from approvals
  union
  select requester_dept, resource_code, valid_to from approvals
  where valid_to is not null
),

segments as (
  select requester_dept, resource_code, bound_at as seg_from,
    coalesce(lead(bound_at) over (partition by requester_dept, resource_code order by bound_at),
      cast($period_end as timestamp) + interval 1 day) as seg_end
  from bounds
),

-- the approvals valid at a segment's first instant, hence throughout; segments without any are left out
segment_approvals as (
  select s.requester_dept, s.resource_code, s.seg_from, s.seg_end,
    list(p.request_id order by p.request_id) as approval_ids,
    bool_or(p.approved_items is null) as whole_resource,
    flatten(list(p.approved_items) filter (where p.approved_items is not null)) as approved_items
  from segments s
  join approvals p
    on p.requester_dept = s.requester_dept
   and p.resource_code = s.resource_code
   and s.seg_from >= p.valid_from
   and (p.valid_to is null or s.seg_from < p.valid_to)
  group by s.requester_dept, s.resource_code, s.seg_from, s.seg_end
),

-- joined before the catalog, so that the small segment table is the build side of the hash join
with_approvals as (
  select a.*, m.approval_ids, m.whole_resource, m.approved_items
  from accesses a
  left join segment_approvals m
    on m.requester_dept = a.consumer_dept
   and m.resource_code = a.resource_code
   and a.ts >= m.seg_from
   and a.ts < m.seg_end
),

conditional_accesses as (
  select a.*, c.snapshot_date as catalog_snapshot_date
  from with_approvals a
  join catalog_versions c
    on c.resource_code = a.resource_code
   and cast(a.ts as date) >= c.valid_from
   and cast(a.ts as date) < coalesce(c.valid_to, cast($period_end as date) + 1)
),

judged as (
  select a.* exclude (whole_resource, approved_items), date_trunc('month', a.ts) as month_start,
    a.approval_ids is not null as authorised,
    case when a.approval_ids is null then null
         when a.whole_resource or a.items is null then []
         else list_filter(a.items, lambda i: not list_contains(a.approved_items, i)) end as outside_items
  from conditional_accesses a
),

-- listed accesses keep their own group (their event_id); the others of a pair-month share one
grouped as (
  select consumer_dept, resource_code, month_start,
    case when not authorised or len(outside_items) > 0 then event_id end as listed_event,
    bool_and(authorised) as authorised, count(*) as reads, min(provider_dept) as provider_dept,
    min(catalog_snapshot_date) as catalog_snapshot_date,
    any_value(ts) as ts, any_value(records) as records, any_value(approval_id) as approval_id,
    any_value(approval_ids) as approval_ids, any_value(outside_items) as outside_items
  from judged
  group by all
),

-- a consumer's approvals of a resource, shown with its unapproved reads: an evaluator checks a 'before_approval'
-- or 'approval_expired' read against them (in_force_from: when the approval took effect, as judged above)
own_history as (
  select requester_dept, resource_code, min(valid_from) as first_valid_from,
    list({
      'request_id': request_id,
      'valid_from': exported_valid_from,
      'responded_at': responded_at,
      'in_force_from': valid_from,
      'valid_until': valid_until
    } order by valid_from, request_id) as own_approvals
  from approvals
  group by requester_dept, resource_code
)

select g.consumer_dept, g.resource_code, strftime(g.month_start, '%Y-%m') as month, g.authorised, g.reads,
  g.provider_dept, g.catalog_snapshot_date,
  g.listed_event as event_id,
  case when g.listed_event is not null then g.ts end as ts,
  case when g.listed_event is not null then g.records end as records,
  case when g.listed_event is not null then g.approval_id end as approval_id,
  case when g.listed_event is not null then g.approval_ids end as approval_ids,
  case when g.listed_event is not null then g.outside_items end as outside_items,
  case when not g.authorised then h.own_approvals end as own_approvals,
  case
    when g.authorised then null
    when hinted.requester_dept is not null and hinted.requester_dept <> g.consumer_dept
      then 'approval_of_other_department'
    when hinted.resource_code is not null and hinted.resource_code <> g.resource_code
      then 'approval_for_other_resource'
    -- the read cites an approval the records do not hold (a renewal whose export has not arrived, or an
    -- id that was never issued): which one only an evaluator can tell
    when g.approval_id is not null and hinted.request_id is null then 'approval_not_in_records'
    when h.first_valid_from is not null and g.ts < h.first_valid_from then 'before_approval'
    when h.first_valid_from is not null then 'approval_expired'
    else 'no_approval'
  end as unapproved_reason
from grouped g
left join own_history h on h.requester_dept = g.consumer_dept and h.resource_code = g.resource_code
left join (select request_id, requester_dept, resource_code from stg_share_requests) hinted
  on hinted.request_id = g.approval_id
