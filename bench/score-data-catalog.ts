// SQL that fills the province's slow-moving tables for bench/score: departments, the catalog snapshot, its
// changes and change events, verification tickets, monthly quality checks, a few exemptions and one supply
// batch per due window. Values come from hash(row, salt) so the same parameters always give the same rows;
// the rates (missing batches, late changes, incomplete entries) are plain constants chosen to look plausible.

/** Data items an entry can list; 60 names, so a stride of 7 through the pool never repeats within an entry. */
export const ITEM_POOL = [
  ...'公民身份号码 姓名 性别 民族 出生日期 户籍地址 婚姻状况 学历 统一社会信用代码 企业名称 法定代表人 注册资本'.split(
    ' ',
  ),
  ...'登记机关 成立日期 经营范围 不动产单元号 权利人 坐落 用途 面积 证照编号 证照类型 发证机关 有效期至'.split(
    ' ',
  ),
  ...'纳税人识别号 参保状态 缴费基数 车牌号码 驾驶证号 行政区划代码 联系电话 行政许可决定书文号 处罚决定书文号'.split(
    ' ',
  ),
  ...Array.from({ length: 25 }, (_, i) => `业务字段${String(i + 1).padStart(2, '0')}`),
];

const code = (n: string, width: number, prefix: string): string =>
  `'${prefix}' || lpad(cast(${n} as varchar), ${width}, '0')`;
export const dept = (n: string): string => code(n, 3, 'D');
/** The working day of index `idx` (0-based over the benchmark year, capped at its last), from a list variable. */
export const wdDate = (idx: string): string => `getvariable('wd_dates')[1 + least(${idx}, $last_wd)]`;
/** A timestamp on the working day of index `idx` plus `sec` seconds. */
export const onDay = (idx: string, sec: string): string =>
  `cast(${wdDate(idx)} as timestamp) + to_seconds(${sec})`;

export const DEPARTMENTS = `insert into raw_departments
  select ${dept('i')}, '陕西省' || ['公安', '民政', '人社', '自然资源', '市场监管', '卫健', '教育', '交通', '住建', '税务'][1 + i % 10]
      || '第' || i || '部门',
    case when i <= 60 then 'province' when i <= 200 then 'city' else 'county' end,
    case when i <= 60 then null else ${dept('1 + h(i, 1, 60)')} end,
    'd' || i || '@gov.example.cn', '联系人' || i, null, $batch, $seq
  from range(1, $depts + 1) t(i)`;

export const CATALOG = `insert into raw_catalog_snapshot
  with e as (
    select r, h(r, 2, 100) as u_cat, h(r, 3, 100) as u_share, h(r, 4, 100) as u_cycle, h(r, 5, 100) as u_meta,
      3 + h(r, 6, 10) as n_items, h(r, 7, ${ITEM_POOL.length}) as first_item, 1 + h(r, 1, $depts) as provider
    from range(1, $entries + 1) t(r)
  )
  select date '2026-01-01', ${code('r', 5, 'R')}, '资源' || r, ${dept('provider')},
    case when u_cat < 5 then 'base' when u_cat < 20 then 'theme' when u_meta = 99 then null else 'department' end,
    case when u_cat < 5
      then ['population', 'legal_entity', 'natural_resources_geo', 'e_license', 'social_credit'][1 + r % 5] end,
    case when u_cat < 5 then (case when u_share < 90 then 'unconditional' else 'conditional' end)
      when u_share < 55 then 'unconditional' when u_share < 95 then 'conditional' else 'none' end,
    case when u_share between 55 and 90 then '用于' || ['行政审批', '执法监管', '公共服务'][1 + r % 3] end,
    case when u_share >= 95 and u_meta >= 15 then '《政务信息资源共享管理办法》第十四条'
      when u_share between 55 and 80 then '相关法规' end,
    case when u_meta = 3 then null else ['接口', '库表', '文件'][1 + r % 3] end,
    ['不予开放', '有条件开放', '无条件开放'][1 + r % 3],
    case when u_cycle < 3 then 'realtime' when u_cycle < 45 then 'daily' when u_cycle < 63 then 'weekly'
      when u_cycle < 83 then 'monthly' when u_cycle < 90 then 'quarterly' when u_cycle < 93 then 'semiannual'
      when u_cycle < 96 then 'yearly' else 'irregular' end,
    case when u_meta = 2 then null else ['json', 'xlsx', 'csv', '数据库表'][1 + r % 4] end,
    case when u_meta < 2 then []::varchar[]
      else list_transform(range(n_items), lambda x: $pool[1 + (first_item + x * 7) % ${ITEM_POOL.length}]) end,
    '仅限履职使用', '联系人' || provider,
    case when u_meta = 4 then date '2026-01-01' + h(r, 8, 200) else date '2018-01-01' + h(r, 8, 2900) end,
    timestamp '2025-12-20 10:00:00',
    case when u_meta between 5 and 8 then false when u_meta = 9 then null else true end,
    case when u_meta = 10 then 'withdrawn' else 'published' end,
    null, $batch, $seq
  from e`;

/** Working days of the benchmark year, 0-based, and the published entries with their provider number. */
export const HELPERS = [
  `create or replace temp table _wd as
     select cast(row_number() over (order by date) - 1 as integer) as idx, date
     from calendar where is_workday and year(date) = $year`,
  `set variable wd_dates = (select list(date order by idx) from _wd)`,
  `create or replace temp table _entries as
     select row_number() over (order by resource_code) as r, resource_code, provider_dept, share_type, update_cycle,
       published_on, mounted, data_items
     from raw_catalog_snapshot where status = 'published'`,
  `set variable n_entries = (select count(*) from _entries)`,
];

export const CHANGE_EVENTS = `insert into raw_change_events
  select ${code('i', 5, 'CE')}, ${dept('1 + h(i, 40, $depts)')},
    case when h(i, 41, 3) = 0 then 'function_change' else 'law_revision' end,
    ${wdDate('h(i, 42, $last_wd - 20)')}, '文号' || i, '法规或职能变化', null, $batch, $seq
  from range(1, $change_events + 1) t(i)`;

/** Per change event an update (late for some, missing for a few), a full review per department and quarter. */
export const CATALOG_CHANGES = `insert into raw_catalog_changes
  with any_entry as (
    select provider_dept, min(resource_code) as resource_code from _entries group by provider_dept
  ),
  after_events as (
    select e.event_id, e.dept_code, w.idx + case when h(e.event_id, 43, 100) < 10 then 16 + h(e.event_id, 44, 10)
      else 1 + h(e.event_id, 44, 14) end as idx
    from raw_change_events e join _wd w on w.date = e.occurred_on
    where h(e.event_id, 45, 100) >= 5
  ),
  reviews as (
    select ${dept('d')} as dept_code, q,
      (select min(idx) from _wd where quarter(date) = q) + h(d * 10 + q, 46, 55) as idx
    from range(1, $depts + 1) t(d), range(1, 5) s(q)
    where h(d * 10 + q, 47, 100) >= 8
  ),
  rows as (
    select dept_code, 'modify' as action, idx, '按' || event_id || '更新' as note from after_events
    union all
    select dept_code, 'full_review', idx, '第' || q || '季度全面维护' from reviews
  )
  select 'CC' || lpad(cast(row_number() over (order by idx, dept_code, action) as varchar), 6, '0'),
    coalesce(a.resource_code, 'R00001'), x.dept_code, x.action, ${onDay('x.idx', '3600 * 10')}, x.note,
    null, $batch, $seq
  from rows x left join any_entry a on a.provider_dept = x.dept_code`;

export const VERIFICATION = `insert into raw_verification_requests
  with t as (
    select i, e.resource_code, e.provider_dept, h(i, 51, $last_wd - 15) as raised, h(i, 52, 100) as u,
      1 + h(i, 53, 14) as answer_days, 1 + h(i, 54, 16) as fix_days
    from range(1, $tickets + 1) s(i)
    join _entries e on e.r = 1 + h(i, 50, getvariable('n_entries'))
  )
  select ${code('i', 6, 'VT')}, resource_code, provider_dept, ${dept('1 + h(i, 55, $depts)')},
    ${onDay('raised', '3600 * 9 + h(i, 56, 30000)')}, '数据项', '数据疑义',
    case when u < 92 then ${onDay('raised + answer_days', '3600 * 15')} end,
    case when u < 30 then 'error_confirmed' when u < 92 then 'no_error' else 'pending' end,
    case when u < 24 then ${onDay('raised + answer_days + fix_days', '3600 * 16')} end,
    null, $batch, $seq
  from t`;

export const QUALITY_CHECKS = `insert into raw_quality_checks
  select 'QC-' || e.resource_code || '-' || m, e.resource_code, e.provider_dept,
    cast(make_date($year, m, 25) as timestamp) + to_seconds(3600 * 2),
    ['normative', 'complete', 'accurate', 'consistent', 'timely', 'accessible'][1 + h(e.r * 100 + m, 60, 6)],
    'platform-rule-' || h(e.r * 100 + m, 61, 20), 1000 + h(e.r * 100 + m, 62, 100000) as checked,
    case when h(e.r * 100 + m, 63, 100) < 85 then 0 else h(e.r * 100 + m, 64, 2000) end,
    null, $batch, $seq
  from _entries e, range(1, 13) t(m)
  where e.mounted`;

export const EXEMPTIONS = `insert into raw_supply_exemptions
  select e.resource_code, e.provider_dept, w.date, w.date + 6 + h(i, 71, 20), '系统升级改造报备', null, $batch, $seq
  from range(1, $exemptions + 1) t(i)
  join _entries e on e.r = 1 + h(i, 70, getvariable('n_entries'))
  join _wd w on w.idx = h(i, 72, $last_wd - 30)`;

/**
 * One batch per due window of every cycle from publication on: daily and realtime on each working day,
 * the others on one working day of the window; 1.5% missing, 1% failed.
 */
export const SUPPLY_BATCHES = `insert into raw_supply_batches
  with windows as (
    select idx, date, case when c = 'weekly' then cast(date_trunc('week', date) as varchar)
      when c = 'monthly' then strftime(date, '%Y-%m') when c = 'quarterly' then strftime(date, '%Y-Q') || quarter(date)
      when c = 'semiannual' then strftime(date, '%Y-') || (month(date) > 6) else strftime(date, '%Y') end as window_key, c
    from _wd, (values ('weekly'), ('monthly'), ('quarterly'), ('semiannual'), ('yearly')) v(c)
  ),
  picked as (
    select c, window_key, list(idx order by idx) as days from windows group by c, window_key
  ),
  due as (
    select e.r, e.resource_code, e.provider_dept, w.idx
    from _entries e join _wd w on w.date >= e.published_on
    where e.update_cycle in ('daily', 'realtime')
    union all
    select e.r, e.resource_code, e.provider_dept, p.days[1 + h(e.r * 1000 + len(p.days), 80, len(p.days))]
    from _entries e join picked p on p.c = e.update_cycle
    where ${wdDate('p.days[len(p.days)]')} >= e.published_on
  ),
  judged as (select *, h(r * 1000 + idx, 81, 1000) as u from due)
  select 'SB-' || resource_code || '-' || idx, resource_code, provider_dept,
    ${onDay('idx', '3600 + h(r * 1000 + idx, 82, 70000)')}, h(r * 1000 + idx, 83, 50000),
    case when u < 25 then 'failed' else 'ok' end, null, $batch, $seq
  from judged
  where u >= 15`;
