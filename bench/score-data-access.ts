// SQL that fills the province's share requests and access log for bench/score. Reads go through "pairs"
// (a consumer department reading one resource); a pair on a conditional resource starts reading the day
// after its approval, except the few that read with an expired approval, with none, or with another
// department's. Events are laid out day by day in event_id order, as monthly exports would load them.
import { dept, onDay } from './score-data-catalog.ts';

/**
 * Pairs 0..$always_pairs-1 read unconditional data all year; the rest read conditional data. A pair has a
 * style: interactive lookups (70%), analysis (20%) or bulk downloads (10%), so volumes have real baselines.
 */
export const PAIRS = [
  `create or replace temp table _res as
     select row_number() over (partition by share_type order by resource_code) - 1 as n, resource_code,
       provider_dept, share_type, data_items
     from _entries where share_type in ('unconditional', 'conditional') and mounted is not false`,
  `set variable n_uncond = (select count(*) from _res where share_type = 'unconditional')`,
  `set variable n_cond = (select count(*) from _res where share_type = 'conditional')`,
  `create or replace temp table _pairs as
   with p as (
     select p, p >= $always_pairs as cond, h(p, 11, 100) as u_kind,
       case when h(p, 14, 100) < 80 then h(p, 15, 25) else h(p, 15, 200) end as submitted,
       case when h(p, 16, 100) < 8 then 11 + h(p, 17, 10) else 1 + h(p, 17, 10) end as delay,
       1 + h(p, 13, $depts) as consumer_no,
       case when h(p, 23, 100) < 70 then 0 when h(p, 23, 100) < 90 then 1 else 2 end as style
     from range($pairs) t(p)
   ),
   joined as (
     select p.*, r.resource_code, r.provider_dept, r.data_items,
       case when not cond then 'open' when u_kind < 88 then 'approved' when u_kind < 92 then 'expires'
         when u_kind < 95 then 'renewed' when u_kind < 98 then 'none' else 'other' end as kind,
       least(len(r.data_items), 2 + h(p, 18, 4)) as approved_n
     from p join _res r
       on r.share_type = case when cond then 'conditional' else 'unconditional' end
      and r.n = h(p, 12, case when cond then getvariable('n_cond') else getvariable('n_uncond') end)
   )
   select p, cond, kind, style, resource_code, provider_dept, submitted, submitted + delay as responded,
     case when consumer_no = cast(substr(provider_dept, 2) as integer) then consumer_no % $depts + 1
       else consumer_no end as consumer_no,
     case when kind in ('approved', 'expires', 'renewed') then submitted + delay + 1 else 0 end as start_idx,
     submitted + delay + 40 + h(p, 19, 60) as expiry_idx,
     list_slice(data_items, 1, approved_n) as approved_items,
     list_slice(data_items, 1, approved_n + case when h(p, 20, 100) < 4 then 1 else 0 end) as read_items
   from joined`,
  `set variable n_own = (select count(*) + count(*) filter (where kind = 'renewed') from _pairs
     where kind in ('approved', 'expires', 'renewed'))`,
];

/** The pairs' own requests, renewals, and other requests (approved, refused, pending) up to $requests. */
export const REQUESTS = `insert into raw_share_requests
  with own as (
    select p, 1 as nth, ${dept('consumer_no')} as requester, provider_dept, resource_code, approved_items,
      submitted, responded, kind, expiry_idx from _pairs where kind in ('approved', 'expires', 'renewed')
    union all
    select p, 2, ${dept('consumer_no')}, provider_dept, resource_code, approved_items,
      expiry_idx - 10, expiry_idx + h(p, 21, 3), 'approved', null from _pairs where kind = 'renewed'
  ),
  others as (
    select -1 - f as p, 3 as nth, ${dept('1 + h(f, 22, $depts)')} as requester, r.provider_dept, r.resource_code,
      list_slice(r.data_items, 1, 2) as approved_items, h(f, 23, $last_wd + 1) as submitted,
      case when h(f, 24, 100) < 8 then 11 + h(f, 25, 10) else 1 + h(f, 25, 10) end as delay, h(f, 26, 100) as u
    from range($requests - getvariable('n_own')) t(f)
    join _res r on r.share_type = 'conditional' and r.n = h(f, 27, getvariable('n_cond'))
  ),
  rows as (
    select p, nth, requester, provider_dept, resource_code, approved_items, submitted, responded, 'approved' as decision,
      case when kind in ('expires', 'renewed') then expiry_idx end as expiry_idx
    from own
    union all
    select p, nth, requester, provider_dept, resource_code, approved_items, submitted,
      case when u < 85 then submitted + delay end,
      case when u < 55 then 'approved' when u < 85 then 'rejected' else 'pending' end, null
    from others
  )
  select 'SQ2026' || lpad(cast(row_number() over (order by submitted, p, nth) as varchar), 6, '0'),
    requester, provider_dept, resource_code, '履行' || ['审批', '监管', '服务'][1 + h(p, 28, 3)] || '职责',
    approved_items, ${onDay('submitted', '3600 * 9 + h(p * 10 + nth, 29, 28000)')},
    case when responded is not null then ${onDay('responded', '3600 * 14 + h(p * 10 + nth, 30, 10000)')} end,
    decision,
    case when decision = 'rejected' and h(p, 31, 100) >= 10 then '不符合共享条件' end,
    case when decision = 'rejected' and h(p, 31, 100) >= 50 then '《政务信息资源共享管理办法》第十五条' end,
    case when decision = 'approved' then ${onDay('responded', '3600 * 14 + h(p * 10 + nth, 30, 10000)')} end,
    case when decision <> 'approved' then null
      when expiry_idx is not null then ${onDay('expiry_idx', '3600 * 18')}
      else ${onDay('responded', '3600 * 14')} + interval 1 year end,
    case when decision = 'approved' then approved_items end,
    json_object('pair', p, 'nth', nth), $batch, $seq
  from rows`;

/** Each pair's approval_id hint: its own first request; for kind 'other', some other pair's request. */
export const PAIR_HINTS = [
  `create or replace temp table _own_request as
     select cast(json_extract(extra, '$.pair') as integer) as p, request_id
     from raw_share_requests where cast(json_extract(extra, '$.nth') as integer) = 1`,
  `update raw_share_requests set extra = null`,
  `create or replace temp table _hints as
     select p.p, coalesce(o.request_id,
       case when p.kind = 'other' then (select min(request_id) from _own_request x
         where x.p = (p.p * 7919) % $always_pairs + $always_pairs) end
     ) as hint
     from _pairs p left join _own_request o on o.p = p.p`,
];

/**
 * Reads $from_event..$to_event of $events over the year's working days (run in chunks, so each chunk's rows
 * land together); 1.5% off hours; download sizes heavy-tailed.
 */
export const ACCESS_LOG = `insert into raw_access_log
  with ev as (
    select i, cast(i * ($last_wd + 1) // $events as integer) as d,
      cast((hash(i, 90) % (1 + hash(i, 91) % $pairs)) * 7919 % $pairs as integer) as p0
    from range($from_event, $to_event) t(i)
  ),
  chosen as (
    select e.i, e.d, case when p.start_idx > e.d then h(e.i, 92, $always_pairs) else e.p0 end as p
    from ev e join _pairs p on p.p = e.p0
  ),
  shaped as (
    select c.i, w.date, p.*, k.hint, h(c.i, 93, 1000) as u_time,
      [['query', 'query', 'query', 'query', 'query', 'compare', 'compare', 'api', 'api', 'api'],
       ['query', 'query', 'query', 'compare', 'api', 'api', 'analysis', 'analysis', 'query', 'compare'],
       ['query', 'query', 'compare', 'api', 'download', 'download', 'download', 'query', 'api', 'analysis']
      ][1 + p.style][1 + h(c.i, 94, 10)] as op,
      greatest(len(p.read_items), 1) as n_read
    from chosen c join _pairs p on p.p = c.p join _wd w on w.idx = c.d left join _hints k on k.p = c.p
  )
  select 'EV2026' || lpad(cast(i + 1 as varchar), 9, '0'),
    cast(date as timestamp) + to_seconds(case
      when u_time >= 15 then 30600 + h(i, 95, 34200)
      when u_time < 7 then 64800 + h(i, 95, 21600)
      else h(i, 95, 30600) end),
    ${dept('consumer_no')},
    'U' || lpad(cast(consumer_no as varchar), 3, '0') || lpad(cast(h(i, 96, 20) as varchar), 2, '0'),
    resource_code, provider_dept,
    op,
    (case when op = 'download'
        then (case when h(i, 97, 100) < 5 then 10000 + h(i, 98, 40000) else 100 + h(i, 98, 5000) end)
      when op = 'analysis' then 1 + h(i, 98, 300) when op = 'api' then 1 + h(i, 98, 200)
      when op = 'compare' then 1 + h(i, 98, 5) else 1 + h(i, 98, 20) end)
      -- a rare spike: one read in 20,000 is a hundred times its usual size
      * case when h(i, 105, 20000) = 0 then 100 else 1 end,
    case when len(read_items) > 0
      then list_slice(read_items, 1 + h(i, 99, n_read), 1 + h(i, 99, n_read) + h(i, 100, 3)) end,
    case when hint is not null and h(i, 101, 10) < 9 then hint end,
    '10.' || (consumer_no % 250) || '.' || h(i, 102, 256) || '.' || (1 + h(i, 103, 254)),
    case when h(i, 104, 1000) < 995 then 'ok' when h(i, 104, 1000) < 998 then 'denied' else 'error' end,
    null, $batch, $seq
  from shaped`;
