// Schema migrations. Raw tables keep every version of every record (with the batch that brought it);
// stg_* views give the current state (the latest loaded version per key), so an answer arriving in a later
// export updates a request without doubling it. Access logs are immutable and deduplicated at load instead.
import type { Db } from './db.ts';
import { RECORD_KINDS, sqlType, type RecordKind } from './record-kinds.ts';

export const SCHEMA_VERSION = 8;

export const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const TS_FORMATS = `['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M', '%Y/%m/%d %H:%M', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%f']`;
const TSZ_FORMATS = `['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M%z']`;

/** Placeholders for "no value" in Chinese government data: a stated text (sw_stated) or a subject key is none of them. */
export const NO_VALUE_PLACEHOLDERS = ['无', '空', '暂无', '不详', '未知', 'NULL', 'N/A', 'NA', 'NONE'];
/** The placeholders as sw_stated compares them: letters and digits only, upper-cased. */
const NO_VALUE_KEYS = [
  ...new Set(NO_VALUE_PLACEHOLDERS.map((p) => p.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase())),
];

/** JS twin of sw_stated's test: the text states nothing (blank, only punctuation or invisible marks, 无, N/A). */
export function statesNothing(text: string | null | undefined): boolean {
  const key = (text ?? '').replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
  return key === '' || NO_VALUE_KEYS.includes(key);
}

/**
 * Local (Asia/Shanghai) wall time from the accepted timestamp forms; an offset is converted to UTC+8. A year
 * before 1000 is no reading (%Y alone reads 26-03-05 as the year 26). The parse is written twice; DuckDB
 * evaluates it once (common subexpressions), so the check costs nothing on the access log's millions.
 */
const PARSE_TS = `coalesce(
     try_strptime(v, ${TS_FORMATS}),
     make_timestamp(epoch_us(try_strptime(regexp_replace(v, 'Z$', '+00:00'), ${TSZ_FORMATS})) + 28800000000))`;
const PARSE_DATE = `cast(try_strptime(v, ['%Y-%m-%d', '%Y/%m/%d']) as date)`;
const MACROS = [
  `create or replace macro sw_parse_ts(v) as
     case when ${PARSE_TS} >= timestamp '1000-01-01' then ${PARSE_TS} end`,
  `create or replace macro sw_parse_date(v) as
     case when ${PARSE_DATE} >= date '1000-01-01' then ${PARSE_DATE} end`,
  `create or replace macro sw_parse_bool(v) as case
     when lower(v) in ('true', 't', '1', 'yes', 'y', '是') then true
     when lower(v) in ('false', 'f', '0', 'no', 'n', '否') then false end`,
  // a data item's name as rules compare it: full-width letters and digits to half-width, punctuation, symbols
  // and blanks removed, case folded (联系电话（手机） and 联系电话(手机), Email and email, are one item)
  `create or replace macro sw_item_key(item) as lower(regexp_replace(
     translate(item,
       'ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９',
       'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
     '[\\p{P}\\p{S}\\p{Z}\\s]', '', 'g'))`,
  // a stated text (a legal basis, a condition, a reason), trimmed, or null when it states nothing: blank, only
  // punctuation (/, -, ——) or one of NO_VALUE_PLACEHOLDERS (compared without punctuation, upper-cased)
  `create or replace macro sw_stated(v) as case
     when upper(regexp_replace(coalesce(v, ''), '[^\\p{L}\\p{N}]', '', 'g'))
       in ('', ${NO_VALUE_KEYS.map((p) => `'${p}'`).join(', ')}) then null
     else trim(v) end`,
  // whether a data sample's file name holds a resource code after data_sample_ (12 characters, in any case),
  // followed by _, -, . or nothing: data_sample_R_003_20260315.csv holds R_003 and R, data_sample_R011-v2.csv R011
  `create or replace macro sw_sample_names(file_name, code) as
     substr(file_name, 13, length(code)) = code and substr(file_name, 13 + length(code), 1) in ('', '_', '-', '.')`,
  // string_split alone when nothing needs trimming or dropping (no ；, no Zs blank, no empty item)
  `create or replace macro sw_parse_list(v) as case
     when regexp_matches(v, '^;|;$|;;|^$|[；\\p{Zs}]')
       then list_filter(list_transform(regexp_split_to_array(v, '[;；]'), lambda x: trim(x)), lambda x: x <> '')
     else string_split(v, ';') end`,
];

function rawTableDdl(): string[] {
  return RECORD_KINDS.map((kind) => {
    const cols = kind.columns.map((c) => `${q(c.name)} ${sqlType(c.type)}`);
    return `create table if not exists ${kind.table} (
      ${cols.join(',\n      ')},
      extra json,
      _batch_id varchar not null,
      _seq bigint not null
    )`;
  });
}

/** The loads of a file that a later load of the same file (under other, corrected mappings) supersedes. */
const SUPERSEDED_VIEW = `create or replace view superseded_batches as
  select b.batch_id from batches b
  where b.file_hash is not null
    and exists (select 1 from batches l where l.file_hash = b.file_hash and l.seq > b.seq and l.status = 'loaded')`;

/**
 * How many progress steps a version of a record has taken (RecordKind.progress: answered, decided), as SQL over
 * its typed columns; null for a kind without steps. The current state of a key is its version with the most.
 */
export function progressSteps(kind: RecordKind): string | null {
  const steps = (kind.progress ?? []).map(
    (p) =>
      `(${q(p.col)} is not null${(p.not ?? []).map((v) => ` and ${q(p.col)} <> '${v}'`).join('')})::integer`,
  );
  return steps.length > 0 ? `(${steps.join(' + ')})` : null;
}

/**
 * Current state per key: the version with the most progress steps taken (RecordKind.progress), then the one
 * from the latest batch (then the last row of that batch). The rows of a superseded load are no version at all.
 */
function stgViewDdl(): string[] {
  return [
    SUPERSEDED_VIEW,
    ...RECORD_KINDS.map((kind) => {
      const name = kind.table.replace(/^raw_/, 'stg_');
      if (kind.immutable)
        return `create or replace view ${name} as select * from ${kind.table}
          where _batch_id not in (select batch_id from superseded_batches)`;
      const key = kind.key.map(q).join(', ');
      const progress = progressSteps(kind);
      const order = [...(progress ? [`${progress} desc`] : []), '_seq desc'].join(', ');
      return `create or replace view ${name} as
      select * exclude (_rn) from (
        select *, row_number() over (partition by ${key} order by ${order}) as _rn from ${kind.table}
        where _batch_id not in (select batch_id from superseded_batches)
      ) where _rn = 1`;
    }),
  ];
}

/**
 * When each catalog listing is in force: on [valid_from, valid_to), dates, valid_to exclusive (null: still).
 * A department's catalog exported on a date lists all its entries then, whether the platform exports the
 * whole catalog at once or each department's on its own dates: a listing holds until the resource is listed
 * again or until its department's next snapshot, where an entry left out is gone (withdrawn); a department
 * that is not in a later snapshot keeps its entries. A listing holds from its publication when that falls
 * after the platform's previous snapshot (none: the first snapshot reaches back to it), as an entry added
 * (or published again after a withdrawal) between two snapshots; an earlier published_on, which that
 * snapshot would have shown, is not taken: the listing holds from its snapshot. The listing before it then
 * ends on that publication. Status is left to the reader: a listing that says withdrawn is still a listing
 * (it ends the previous one).
 * As known by a cutoff date: only the snapshots taken by then date the listings, so that a snapshot taken
 * after a run's as-of date (whose publication dates can reach back before it) cannot end a listing the run
 * saw in force, and a period's result does not change when later exports are loaded.
 */
const CATALOG_VERSIONS_MACRO = `create or replace macro sw_catalog_versions(sw_cutoff) as table
  with known as (
    select * from stg_catalog_snapshot where snapshot_date <= cast(sw_cutoff as date)
  ),
  snapshot_dates as (
    select distinct snapshot_date from known
  ),
  dept_snapshots as (
    select distinct provider_dept, snapshot_date from known
  ),
  dated as (
    select s.*,
      case
        when s.published_on <= s.snapshot_date
          and s.published_on > coalesce(
            (select max(d.snapshot_date) from snapshot_dates d where d.snapshot_date < s.snapshot_date),
            date '0001-01-01')
        then s.published_on
        else s.snapshot_date
      end as valid_from
    from known s
  )
  select l.*,
    least(lead(l.valid_from) over (partition by l.resource_code order by l.snapshot_date), (
      select min(d.snapshot_date) from dept_snapshots d
      where d.provider_dept = l.provider_dept and d.snapshot_date > l.snapshot_date
    )) as valid_to
  from dated l`;

/**
 * The listings as the catalog rules and the supply obligations hold them by a cutoff: sw_catalog_versions,
 * each cut short by a catalog_changes 'withdraw' on or after its snapshot and known by the cutoff.
 */
const CATALOG_LISTINGS_MACRO = `create or replace macro sw_catalog_listings(sw_cutoff) as table
  select v.* replace (least(v.valid_to, (
      select min(cast(w.changed_at as date)) from stg_catalog_changes w
      where w.resource_code = v.resource_code and w.action = 'withdraw'
        and cast(w.changed_at as date) >= v.snapshot_date
        and cast(w.changed_at as date) <= cast(sw_cutoff as date)
    )) as valid_to)
  from sw_catalog_versions(sw_cutoff) v`;

/** Every listing as the whole store dates it; rules use sw_catalog_versions with their cutoff. */
const CATALOG_VERSIONS_VIEW = `create or replace view stg_catalog_versions as
  select * from sw_catalog_versions(date '9999-12-31')`;

/**
 * Catalog activity per department: the catalog_changes records, or, when no catalog_changes were ever
 * loaded, changes derived from consecutive snapshots as stg_catalog_versions dates the listings, on the
 * later snapshot's date: an entry first listed after the first snapshot, or listed again after it was gone,
 * is added; one whose content differs from its previous listing is modified; one left out of its
 * department's next snapshot is withdrawn on that snapshot's date.
 */
const ACTIVITY_VIEW = `create or replace view stg_catalog_activity as
  select change_id, resource_code, dept_code, action, changed_at, 'catalog_changes' as source, _batch_id
  from stg_catalog_changes
  union all
  select 'SNAPSHOT:' || resource_code || ':' || strftime(changed_on, '%Y-%m-%d') as change_id, resource_code,
    provider_dept as dept_code, action, cast(changed_on as timestamp) as changed_at, 'catalog_snapshot' as source,
    _batch_id
  from (
    with listings as (
      select *,
        lag(content_hash) over w as prev_hash,
        lag(valid_to) over w as prev_valid_to,
        lead(valid_from) over w as next_valid_from
      from (
        select resource_code, provider_dept, snapshot_date, valid_from, valid_to, _batch_id,
          md5(cast(row(resource_name, provider_dept, category, base_kind, share_type, share_condition,
            legal_basis, share_method, open_type, update_cycle, format, data_items, usage_requirements, contact,
            published_on, mounted, status) as varchar)) as content_hash
        from stg_catalog_versions
      ) hashed
      window w as (partition by resource_code order by snapshot_date)
    )
    select resource_code, provider_dept, snapshot_date as changed_on, _batch_id,
      case when prev_hash is null or prev_valid_to < valid_from then 'add' else 'modify' end as action
    from listings
    where snapshot_date > (select min(snapshot_date) from stg_catalog_snapshot)
      and (prev_hash is null or prev_valid_to < valid_from or prev_hash <> content_hash)
    union all
    select resource_code, provider_dept, valid_to, _batch_id, 'withdraw'
    from listings
    where valid_to is not null and (next_valid_from is null or valid_to < next_valid_from)
  ) listed
  where not exists (select 1 from raw_catalog_changes)`;

const CORE_DDL = [
  `create sequence if not exists batch_seq start 1`,
  `create sequence if not exists run_seq start 1`,
  `create table if not exists batches (
     batch_id varchar primary key,
     seq bigint not null,
     content_hash varchar not null unique,
     file_path varchar not null,
     file_name varchar not null,
     kind varchar,
     encoding varchar,
     rows_total bigint not null,
     rows_loaded bigint not null,
     rows_rejected bigint not null,
     status varchar not null,
     detail varchar,
     loaded_at timestamp not null,
     file_hash varchar,
     warnings varchar
   )`,
  `create table if not exists rejects (
     batch_id varchar not null,
     file_path varchar not null,
     line bigint,
     column_name varchar,
     value varchar,
     reason varchar not null,
     row_text varchar
   )`,
  `create table if not exists raw_data_sample (
     resource_code varchar not null,
     row_no bigint not null,
     line bigint not null,
     record json not null,
     _batch_id varchar not null,
     _seq bigint not null
   )`,
  `create table if not exists calendar (
     date date primary key,
     is_workday boolean not null,
     workday_index integer not null,
     day_kind varchar not null,
     day_name varchar
   )`,
  `create table if not exists runs (
     run_id varchar primary key,
     profile_id varchar not null,
     profile_version varchar not null,
     profile_hash varchar not null,
     calendar_version varchar not null,
     period varchar not null,
     period_start date not null,
     period_end date not null,
     as_of date not null,
     batch_hashes json not null,
     review_seq bigint not null,
     code_version varchar not null,
     created_at timestamp not null,
     seq bigint not null default nextval('run_seq'),
     -- the run of the previous period the change is measured against (part of the manifest), or null
     previous_run_id varchar,
     -- sha256 of the review log up to review_seq when the run was made: verify names an altered log
     review_hash varchar
   )`,
  // the profile each run used, by its hash: verify and fix-first recompute with the method of the run, not
  // with the file as it reads today
  `create table if not exists profile_sources (
     profile_hash varchar primary key,
     profile_id varchar not null,
     profile_version varchar not null,
     file_name varchar not null,
     text varchar not null,
     default_scoring_text varchar
   )`,
  // the holiday calendar each run counted with, by its version: verify recomputes with the same days even
  // after a calendar file for another year was added
  `create table if not exists calendar_sources (
     version varchar primary key,
     source varchar not null
   )`,
  `create table if not exists reviews (
     seq bigint primary key,
     finding_id varchar not null,
     decision varchar not null,
     reason varchar,
     actor varchar not null,
     "at" timestamp not null,
     -- digest of the finding's grounds when decided (metrics/reviews.ts): a decision applies to those only
     grounds varchar
   )`,
  `create table if not exists scores (
     run_id varchar not null,
     dept_code varchar not null,
     dept_name varchar,
     period varchar not null,
     catalog decimal(5, 2),
     supply decimal(5, 2),
     quality decimal(5, 2),
     misuse decimal(5, 2),
     total decimal(5, 2),
     grade varchar,
     rank integer,
     veto boolean not null,
     change decimal(6, 2),
     primary key (run_id, dept_code)
   )`,
  `create table if not exists indicator_scores (
     run_id varchar not null,
     dept_code varchar not null,
     indicator_id varchar not null,
     dimension varchar not null,
     units bigint not null,
     failed_units bigint not null,
     deducted_points integer not null,
     score decimal(5, 2),
     primary key (run_id, dept_code, indicator_id)
   )`,
  `create table if not exists findings (
     finding_id varchar not null,
     run_id varchar not null,
     rule_id varchar not null,
     dimension varchar not null,
     dept_code varchar not null,
     subject_type varchar not null,
     subject_id varchar not null,
     article varchar not null,
     profile varchar not null,
     profile_version varchar not null,
     period varchar not null,
     started_on date,
     deadline date,
     observed_on date,
     late_working_days integer,
     late_calendar_days integer,
     severity varchar not null,
     status varchar not null,
     evidence json not null,
     primary key (run_id, finding_id)
   )`,
  `create table if not exists evaluations (
     run_id varchar not null,
     rule_id varchar not null,
     dept_code varchar not null,
     subject_id varchar not null,
     status varchar not null,
     units bigint not null,
     failed_units bigint not null,
     finding_id varchar, -- null for 'ok': only findings carry an id
     -- how many evaluated subjects the row stands for: 1, or the passes of one group (a resource's windows)
     subjects bigint not null default 1
   )`,
  `create table if not exists audit_log (
     seq bigint primary key,
     "at" timestamp not null,
     actor varchar not null,
     action varchar not null,
     payload varchar not null,
     prev_hash varchar not null,
     hash varchar not null
   )`,
  `create table if not exists schema_version (version integer not null)`,
];

export async function migrate(db: Db): Promise<void> {
  for (const sql of [...MACROS, ...CORE_DDL, ...rawTableDdl()]) await db.run(sql);
  await upgrade(db);
  // views last: they read the columns the upgrades add
  for (const sql of [
    ...stgViewDdl(),
    CATALOG_VERSIONS_MACRO,
    CATALOG_LISTINGS_MACRO,
    CATALOG_VERSIONS_VIEW,
    ACTIVITY_VIEW,
  ])
    await db.run(sql);
}

/** A store made by an older version gets the columns added since; a new one is stamped with this version. */
async function upgrade(db: Db): Promise<void> {
  const rows = await db.query<{ version: number }>('select version from schema_version');
  if (rows.length === 0) {
    await db.run('insert into schema_version values ($v)', { v: SCHEMA_VERSION });
    return;
  }
  const version = rows[0]!.version;
  // v2: evaluations that pass carry no finding id
  if (version < 2) await db.run('alter table evaluations alter column finding_id drop not null');
  // v3: a run names the previous period's run its change is measured against
  if (version < 3) await db.run('alter table runs add column previous_run_id varchar');
  // v4: the passes of a group (a resource's update windows) may be one row, counting its subjects
  if (version < 4) await db.run('alter table evaluations add column subjects bigint default 1');
  // v5: a review decision keeps the digest of the grounds it was made on; a run the hash of its review log
  if (version < 5) {
    await db.run('alter table reviews add column grounds varchar');
    await db.run('alter table runs add column review_hash varchar');
  }
  // v6: a batch keeps its file's own identity, so a file loaded again under corrected mappings supersedes it
  if (version < 6) await db.run('alter table batches add column file_hash varchar');
  // v7: a reject keeps the whole record as the file had it, not only the offending value
  if (version < 7) await db.run('alter table rejects add column row_text varchar');
  // v8: a batch keeps what its load warned of (a column that looks like a misspelt canonical one), JSON
  if (version < 8) await db.run('alter table batches add column warnings varchar');
  if (version < SCHEMA_VERSION) {
    await db.run('update schema_version set version = $v', { v: SCHEMA_VERSION });
    // Write the altered tables into the file now: DuckDB 1.5.6 cannot replay an ALTER of a table with a
    // nextval() default (runs) from its write-ahead log, so a process that ended before its next checkpoint
    // would leave a store that no longer opens ("Failure while replaying WAL file"; duckdb/duckdb#18259,
    // #20543).
    await db.run('checkpoint');
  }
}
