// Builds the SQL that turns a relation of raw text values (one column per canonical column, already
// trimmed, empty as NULL) into typed values, and lists each value's problem with a reason for the user.
// Only identifiers from the static record-kind list and escaped literals go into the SQL text.
import { ENUMS, type ColumnSpec, type RecordKind } from '../store/record-kinds.ts';
import { q } from '../store/schema.ts';
import { mappingProblems, type ColumnMapping } from '../config/app-config.ts';
import { AppError } from '../config/errors.ts';
import type { Db } from '../store/db.ts';

export const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Edge blanks trimmed from every value, by both paths alike: the Unicode space separators (category Zs:
 * space, no-break space, ideographic space...), which is exactly what DuckDB's trim() removes. Tabs and
 * line breaks are content. A wider set would cost the fast path a slower trim on every value.
 */
const EDGE_BLANKS = /^\p{Zs}+|\p{Zs}+$/gu;

/** JS twin of trimmedSql: the value without edge blanks, or null when nothing is left. */
export function trimValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.replace(EDGE_BLANKS, '');
  return trimmed === '' ? null : trimmed;
}

/** SQL twin of trimValue. */
export const trimmedSql = (expr: string): string => `nullif(trim(${expr}), '')`;

const REASONS = {
  timestamp:
    '无法识别的时间：应为 YYYY-MM-DD HH:MM:SS、带时区偏移的 ISO 8601 或 YYYY/MM/DD HH:MM，且为真实存在的时间',
  date: '无法识别的日期：应为 YYYY-MM-DD 或 YYYY/MM/DD，且为真实存在的日期',
  integer: '应为非负整数（只能由数字 0-9 组成）',
  boolean: '应为 true/false 或 是/否',
  list: '',
  text: '',
} as const;

function enumReason(spec: ColumnSpec): string {
  if (typeof spec.type !== 'object') return '';
  const accepted = Object.entries(ENUMS[spec.type.enum]).map(([token, zh]) => `${zh.join('/')}|${token}`);
  return `不在取值范围内：应为 ${accepted.join('、')}`;
}

export function typedExpr(spec: ColumnSpec): string {
  const v = `src.${q(spec.name)}`;
  if (typeof spec.type === 'object') return `vm_${spec.name}.canonical`;
  switch (spec.type) {
    case 'text':
      return v;
    case 'timestamp':
      if (spec.dateOnly === 'start')
        return `coalesce(sw_parse_ts(${v}), cast(sw_parse_date(${v}) as timestamp))`;
      if (spec.dateOnly === 'end')
        return `coalesce(sw_parse_ts(${v}), cast(sw_parse_date(${v}) as timestamp) + interval 86399 second)`;
      return `sw_parse_ts(${v})`;
    case 'date':
      return `sw_parse_date(${v})`;
    case 'integer':
      // digits only: try_cast alone would round '2.5' to 3 and read '1e3' or '0x10' as numbers
      return `case when regexp_full_match(${v}, '[0-9]+') then try_cast(${v} as bigint) end`;
    case 'boolean':
      return `sw_parse_bool(${v})`;
    case 'list':
      return `sw_parse_list(${v})`;
  }
}

export function enumJoins(kind: RecordKind): string {
  return kind.columns
    .filter((c) => typeof c.type === 'object')
    .map(
      (c) =>
        `left join (select raw, canonical from _sw_vm where col = ${sqlString(c.name)}) vm_${c.name} ` +
        `on vm_${c.name}.raw = lower(src.${q(c.name)})`,
    )
    .join('\n');
}

function failedCondition(spec: ColumnSpec): string | null {
  const v = `src.${q(spec.name)}`;
  if (spec.type === 'text' || spec.type === 'list') return null;
  if (spec.type === 'integer') return `${v} is not null and coalesce(${typedExpr(spec)} < 0, true)`;
  return `${v} is not null and ${typedExpr(spec)} is null`;
}

function reasonFor(spec: ColumnSpec): string {
  if (spec.dateOnly) return `${REASONS.timestamp}，或只写日期 YYYY-MM-DD`;
  return typeof spec.type === 'object' ? enumReason(spec) : REASONS[spec.type];
}

/** The reason of a failed value as SQL: digits too many for a BIGINT are another fault than a non-digit. */
function reasonSql(spec: ColumnSpec): string {
  const reason = sqlString(reasonFor(spec));
  if (spec.type !== 'integer') return reason;
  return `case when regexp_full_match(src.${q(spec.name)}, '[0-9]+') then ${sqlString(TOO_LARGE)} else ${reason} end`;
}

const TOO_LARGE = '数值过大：应为不超过 9223372036854775807 的非负整数';

/** The row checks' conditions, true when the row's values contradict each other (null when one is missing). */
function rowCheckConditions(kind: RecordKind): Array<{ col: string; failed: string; reason: string }> {
  const typed = (name: string): string => {
    const spec = kind.columns.find((c) => c.name === name);
    if (!spec) throw new Error(`internal: row check on unknown column ${kind.kind}.${name}`);
    return typedExpr(spec);
  };
  return (kind.rowChecks ?? []).map((c) => ({
    col: c.col,
    failed: `coalesce(${c.fails(typed)}, false)`,
    reason: c.reason,
  }));
}

/** A boolean SQL expression: true when any value of the row cannot be loaded. */
export function badRowExpr(kind: RecordKind): string {
  const parts: string[] = [];
  for (const spec of kind.columns) {
    if (spec.required && !spec.blankIsFinding) parts.push(`src.${q(spec.name)} is null`);
    const failed = failedCondition(spec);
    if (failed) parts.push(`(${failed})`);
  }
  for (const check of rowCheckConditions(kind)) parts.push(check.failed);
  return parts.length > 0 ? parts.join(' or ') : 'false';
}

/** A list of structs {col, value, reason}, one per problem of the row (empty when the row is fine). */
export function problemsExpr(kind: RecordKind): string {
  const items: string[] = [];
  for (const spec of kind.columns) {
    const col = sqlString(spec.name);
    if (spec.required && !spec.blankIsFinding) {
      items.push(
        `case when src.${q(spec.name)} is null then {'col': ${col}, 'value': null::varchar, 'reason': '必填项为空'} end`,
      );
    }
    const failed = failedCondition(spec);
    if (failed) {
      items.push(
        `case when ${failed} then {'col': ${col}, 'value': src.${q(spec.name)}, 'reason': ${reasonSql(spec)}} end`,
      );
    }
  }
  for (const check of rowCheckConditions(kind)) {
    items.push(
      `case when ${check.failed} then {'col': ${sqlString(check.col)}, 'value': src.${q(check.col)}, 'reason': ${sqlString(check.reason)}} end`,
    );
  }
  return `list_filter([${items.join(', ')}], lambda p: p is not null)`;
}

/**
 * Config value maps may only name enumeration columns and map to one of their canonical tokens: checked when the
 * config loads; again here for a config built in code.
 */
function checkValueMapping(kind: RecordKind, mapping: ColumnMapping | undefined): void {
  const problems = mappingProblems({ [kind.kind]: { columns: {}, values: mapping?.values ?? {} } });
  if (problems.length > 0)
    throw new AppError(
      'mapping_invalid',
      problems.map(([at, message]) => `配置 ${at.map(String).join('.')}：${message}`).join('\n'),
    );
}

/** Fills the temp value map: every accepted spelling (lowercased) of every enum, plus config mappings. */
export async function prepareValueMap(
  db: Db,
  kind: RecordKind,
  mapping: ColumnMapping | undefined,
): Promise<void> {
  checkValueMapping(kind, mapping);
  await db.run('create or replace temp table _sw_vm (col varchar, raw varchar, canonical varchar)');
  const rows: Array<[string, string, string]> = [];
  for (const spec of kind.columns) {
    if (typeof spec.type !== 'object') continue;
    const seen = new Set<string>();
    const add = (raw: string, canonical: string) => {
      const key = raw.trim().toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      rows.push([spec.name, key, canonical]);
    };
    for (const [raw, canonical] of Object.entries(mapping?.values[spec.name] ?? {})) add(raw, canonical);
    for (const [token, spellings] of Object.entries(ENUMS[spec.type.enum])) {
      add(token, token);
      for (const s of spellings) add(s, token);
    }
  }
  const appender = await db.connection.createAppender('_sw_vm', 'main', 'temp');
  for (const [col, raw, canonical] of rows) {
    appender.appendVarchar(col);
    appender.appendVarchar(raw);
    appender.appendVarchar(canonical);
    appender.endRow();
  }
  appender.closeSync();
}
