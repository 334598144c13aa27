// The canonical record kinds of DATA-CONTRACT.md: columns, types, required columns and the key that
// identifies one record across exports. The raw_* tables, the collectors' validation and the stg_* views
// all derive from this one list. Enumerations are stored as the English token; Chinese terms map to it.

export type ColumnType =
  'text' | 'timestamp' | 'date' | 'integer' | 'boolean' | 'list' | { enum: keyof typeof ENUMS };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** The file must have the column; its value must not be blank unless `blankIsFinding`. */
  required?: boolean;
  /**
   * A required column whose blank value loads (as null) for a rule to judge, instead of rejecting the row: a
   * catalog entry that states no update cycle or share type is a catalog.metadata_complete finding against
   * its department, and a dropped row would hide it.
   */
  blankIsFinding?: boolean;
  /**
   * A timestamp column that also takes a date alone, as the day it names: its first instant ('start') or its
   * last second ('end'). Approvals are often valid "until 2026-12-31", meaning the whole of that day.
   */
  dateOnly?: 'start' | 'end';
}

export interface RecordKind {
  kind: string;
  table: string;
  columns: ColumnSpec[];
  /** Columns that identify one record; a later export of the same key is a new version of it. */
  key: string[];
  /** Immutable events: a re-sent record is not stored again (access logs are too large to version). */
  immutable?: boolean;
  /**
   * Steps the record only ever takes forward (an answer, a decision, a correction): the current state is the
   * version with the most of them taken, then the latest loaded. An older export loaded after a newer one (a
   * backfilled month) must not undo an answer the newer one shows.
   */
  progress?: ProgressStep[];
  /**
   * Rows whose values contradict each other (an answer before the request): rejected with the reason, named
   * by `col`, like a malformed value. `fails` builds the SQL condition from the typed value of a column.
   */
  rowChecks?: RowCheck[];
}

/** A progress step is taken when the column is set to anything but the `not` values ('pending' decides nothing). */
export interface ProgressStep {
  col: string;
  not?: string[];
}

export interface RowCheck {
  col: string;
  fails: (typed: (column: string) => string) => string;
  reason: string;
}

/**
 * An outcome given means it was answered: responded_at cannot be missing. (Not for share_requests: a
 * decided request without its date still carries the approval the access rules need.)
 */
const decidedWithoutAnswer = (column: string, decided: string[], reason: string): RowCheck => ({
  col: 'responded_at',
  fails: (v) =>
    `${v(column)} in (${decided.map((d) => `'${d}'`).join(', ')}) and ${v('responded_at')} is null`,
  reason,
});

/** `later` must not be before `earlier` when both are given. */
const notBefore = (later: string, earlier: string, reason: string): RowCheck => ({
  col: later,
  fails: (v) => `${v(later)} < ${v(earlier)}`,
  reason,
});

/** Canonical token -> accepted spellings (the token itself always accepted, case-insensitively). */
export const ENUMS = {
  level: { province: ['省级', '省'], city: ['市级', '市'], county: ['县级', '区县', '县'] },
  category: { base: ['基础', '基础库'], theme: ['主题', '主题库'], department: ['部门', '部门库'] },
  base_kind: {
    population: ['人口'],
    legal_entity: ['法人单位', '法人'],
    natural_resources_geo: ['自然资源和空间地理', '自然资源', '空间地理'],
    e_license: ['电子证照'],
    social_credit: ['社会信用', '信用'],
  },
  share_type: { unconditional: ['无条件共享'], conditional: ['有条件共享'], none: ['不予共享'] },
  update_cycle: {
    realtime: ['实时'],
    daily: ['每日', '每天'],
    weekly: ['每周'],
    monthly: ['每月'],
    quarterly: ['每季度', '每季'],
    semiannual: ['每半年'],
    yearly: ['每年'],
    irregular: ['不定期'],
  },
  catalog_status: { published: ['已发布', '发布'], withdrawn: ['已撤销', '撤销', '已撤回', '撤回'] },
  change_action: {
    add: ['新增'],
    modify: ['修改', '变更'],
    withdraw: ['撤销', '撤回'],
    full_review: ['全面维护', '全面梳理'],
  },
  event_kind: { law_revision: ['法规修订'], function_change: ['职能调整', '职能变化'] },
  decision: {
    approved: ['同意', '批准', '通过'],
    rejected: ['拒绝', '不同意', '驳回'],
    pending: ['待审核', '处理中', '待处理'],
  },
  batch_status: { ok: ['成功'], failed: ['失败'] },
  operation: {
    query: ['查询'],
    compare: ['比对', '核验'],
    download: ['下载'],
    api: ['接口调用', '接口'],
    analysis: ['分析'],
  },
  access_result: { ok: ['成功'], denied: ['拒绝'], error: ['错误', '失败'] },
  outcome: {
    error_confirmed: ['确认错误', '存在错误'],
    no_error: ['无错误', '无误'],
    pending: ['待处理', '处理中'],
  },
  dimension: {
    normative: ['规范性'],
    complete: ['完整性'],
    accurate: ['准确性'],
    consistent: ['一致性'],
    timely: ['时效性'],
    accessible: ['可访问性'],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

const t = (name: string, required = false): ColumnSpec => ({ name, type: 'text', required });
const ts = (name: string, required = false): ColumnSpec => ({ name, type: 'timestamp', required });
const d = (name: string, required = false): ColumnSpec => ({ name, type: 'date', required });
const e = (name: string, en: keyof typeof ENUMS, required = false): ColumnSpec => ({
  name,
  type: { enum: en },
  required,
});

export const RECORD_KINDS: RecordKind[] = [
  {
    kind: 'departments',
    table: 'raw_departments',
    key: ['dept_code'],
    columns: [
      t('dept_code', true),
      t('dept_name', true),
      e('level', 'level'),
      t('parent_code'),
      t('notice_email'),
      t('contact'),
    ],
  },
  {
    kind: 'catalog_snapshot',
    table: 'raw_catalog_snapshot',
    key: ['snapshot_date', 'resource_code'],
    columns: [
      d('snapshot_date', true),
      t('resource_code', true),
      t('resource_name', true),
      t('provider_dept', true),
      e('category', 'category'),
      e('base_kind', 'base_kind'),
      { ...e('share_type', 'share_type', true), blankIsFinding: true },
      t('share_condition'),
      t('legal_basis'),
      t('share_method'),
      t('open_type'),
      { ...e('update_cycle', 'update_cycle', true), blankIsFinding: true },
      t('format'),
      { name: 'data_items', type: 'list' },
      t('usage_requirements'),
      t('contact'),
      d('published_on'),
      ts('updated_at'),
      { name: 'mounted', type: 'boolean' },
      e('status', 'catalog_status'),
    ],
  },
  {
    kind: 'catalog_changes',
    table: 'raw_catalog_changes',
    key: ['change_id'],
    columns: [
      t('change_id', true),
      t('resource_code', true),
      t('dept_code', true),
      e('action', 'change_action', true),
      ts('changed_at', true),
      t('note'),
    ],
  },
  {
    kind: 'change_events',
    table: 'raw_change_events',
    key: ['event_id'],
    columns: [
      t('event_id', true),
      t('dept_code', true),
      e('kind', 'event_kind', true),
      d('occurred_on', true),
      t('reference'),
      t('description'),
    ],
  },
  {
    kind: 'share_requests',
    table: 'raw_share_requests',
    key: ['request_id'],
    progress: [{ col: 'responded_at' }, { col: 'decision', not: ['pending'] }],
    rowChecks: [
      notBefore('responded_at', 'submitted_at', '答复时间早于申请提交时间'),
      notBefore('valid_until', 'valid_from', '有效期截止时间早于生效时间'),
    ],
    columns: [
      t('request_id', true),
      t('requester_dept', true),
      t('provider_dept', true),
      t('resource_code', true),
      t('purpose', true),
      { name: 'requested_items', type: 'list' },
      ts('submitted_at', true),
      ts('responded_at'),
      e('decision', 'decision'),
      t('reason'),
      t('legal_basis'),
      { ...ts('valid_from'), dateOnly: 'start' },
      { ...ts('valid_until'), dateOnly: 'end' },
      { name: 'approved_items', type: 'list' },
    ],
  },
  {
    kind: 'supply_batches',
    table: 'raw_supply_batches',
    key: ['batch_id'],
    columns: [
      t('batch_id', true),
      t('resource_code', true),
      t('provider_dept', true),
      ts('delivered_at', true),
      { name: 'rows', type: 'integer' },
      e('status', 'batch_status'),
    ],
  },
  {
    kind: 'supply_exemptions',
    table: 'raw_supply_exemptions',
    key: ['resource_code', 'dept_code', 'from'],
    rowChecks: [notBefore('to', 'from', '报备截止日期早于起始日期')],
    columns: [t('resource_code', true), t('dept_code', true), d('from', true), d('to', true), t('reason')],
  },
  {
    kind: 'access_log',
    table: 'raw_access_log',
    key: ['event_id'],
    immutable: true,
    columns: [
      t('event_id', true),
      ts('ts', true),
      t('consumer_dept', true),
      t('user_id', true),
      t('resource_code', true),
      t('provider_dept', true),
      e('operation', 'operation', true),
      { name: 'records', type: 'integer' },
      { name: 'items', type: 'list' },
      t('approval_id'),
      t('client_ip'),
      e('result', 'access_result'),
    ],
  },
  {
    kind: 'verification_requests',
    table: 'raw_verification_requests',
    key: ['ticket_id'],
    progress: [{ col: 'responded_at' }, { col: 'outcome', not: ['pending'] }, { col: 'corrected_at' }],
    rowChecks: [
      notBefore('responded_at', 'raised_at', '答复时间早于提出时间'),
      decidedWithoutAnswer('outcome', ['error_confirmed', 'no_error'], '已有校核结论，但缺少答复时间'),
    ],
    columns: [
      t('ticket_id', true),
      t('resource_code', true),
      t('provider_dept', true),
      t('raised_by_dept', true),
      ts('raised_at', true),
      t('item'),
      t('description'),
      ts('responded_at'),
      e('outcome', 'outcome'),
      ts('corrected_at'),
    ],
  },
  {
    kind: 'quality_checks',
    table: 'raw_quality_checks',
    key: ['check_id'],
    rowChecks: [
      {
        col: 'rows_failed',
        fails: (v) => `${v('rows_failed')} > ${v('rows_checked')}`,
        reason: '不合格行数大于检查行数',
      },
    ],
    columns: [
      t('check_id', true),
      t('resource_code', true),
      t('provider_dept', true),
      ts('checked_at', true),
      e('dimension', 'dimension', true),
      t('rule'),
      { name: 'rows_checked', type: 'integer', required: true },
      { name: 'rows_failed', type: 'integer', required: true },
    ],
  },
];

/** data_sample files carry a resource's own items; stored whole as JSON, one row per sampled record. */
export const DATA_SAMPLE_KIND = 'data_sample';

export function recordKind(kind: string): RecordKind {
  const found = RECORD_KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`internal: unknown record kind ${kind}`);
  return found;
}

export function sqlType(type: ColumnType): string {
  if (typeof type === 'object') return 'varchar';
  return {
    text: 'varchar',
    timestamp: 'timestamp',
    date: 'date',
    integer: 'bigint',
    boolean: 'boolean',
    list: 'varchar[]',
  }[type];
}
