// The system's own checks on data_sample values, by id, and which of them applies to a data item by default
// (from its usual Chinese name). A profile's item_checks override the defaults item by item; empty values
// (blank, or a placeholder such as 无 or /) are judged only by `required`, so a blank optional item is never
// reported as malformed.
import { statesNothing } from '../../store/schema.ts';
import { checkDate, parseItemDate } from './calendar-date.ts';
import { checkGb11643 } from './gb11643.ts';
import { checkGb32100 } from './gb32100.ts';
import { checkRegionCode, checkStatisticalRegionCode } from './region-code.ts';

export const CHECK_IDS = [
  'gb32100',
  'gb11643',
  'date',
  'date_or_long_term',
  'region',
  'stat_region',
  'required',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** The words an open-ended validity (有效期至) takes instead of a date on Chinese licences and certificates. */
const LONG_TERM = new Set(['长期', '长期有效', '永久', '永久有效', '无固定期限']);

/** A validity as a period: 2020-01-01至2030-01-01, 2020-01-01~长期 (licences write 有效期 so). */
const VALIDITY_RANGE = /^(.+?)\s*(?:至|到|~|～|—+|--)\s*(.+)$/u;

/** A validity's end (a date or 长期), or its whole period (a start date, then an end that is not before it). */
function checkValidity(value: string): string | null {
  if (LONG_TERM.has(value)) return null;
  const range = VALIDITY_RANGE.exec(value);
  if (!range) return checkDate(value);
  const [from, to] = [range[1]!, range[2]!];
  const reason = checkDate(from) ?? (LONG_TERM.has(to) ? null : checkDate(to));
  if (reason) return `${reason}（有效期写作“起始日期至截止日期”时，两端各应为日期，截止端也可为“长期”）`;
  if (!LONG_TERM.has(to) && parseItemDate(to)! < parseItemDate(from)!) return '有效期的截止日期早于起始日期';
  return null;
}

/** The value's check against `on` (YYYY-MM-DD): the day it was recorded by, where the check needs one. */
const FORMAT_CHECKS: Record<Exclude<CheckId, 'required'>, (value: string, on?: string) => string | null> = {
  gb32100: checkGb32100,
  gb11643: checkGb11643,
  date: checkDate,
  date_or_long_term: checkValidity,
  region: checkRegionCode,
  stat_region: checkStatisticalRegionCode,
};

/**
 * The reason the value fails the check (Chinese), or null when it passes. `on` is the day the value was
 * recorded by (a sample's date, else the run's as-of date): a 公民身份号码 cannot carry a later birth date.
 */
export function runCheck(check: CheckId, value: string | null, on?: string): string | null {
  if (value === null || value.trim() === '') return check === 'required' ? '必填项为空' : null;
  // the usual written forms of a blank (无, /, -, N/A) state no value: an optional item holding one is not
  // malformed, and a required one is as empty as a blank
  if (statesNothing(value)) return check === 'required' ? `必填项为空（填写为“${value.trim()}”）` : null;
  return check === 'required' ? null : FORMAT_CHECKS[check](value.trim(), on);
}

// Items named …时间 that hold hours or a duration, not a point in time (营业时间 09:00-17:00, 承诺办结时间
// 5个工作日): no date check by default.
const NOT_A_POINT_IN_TIME = /(营业|办公|服务|开放|工作|接待|咨询|办结|办理)时间$/;

const DEFAULT_PATTERNS: Array<[RegExp, CheckId]> = [
  [/信用代码$/, 'gb32100'],
  [/(身份号码|身份证号码?)$/, 'gb11643'],
  [/(有效期|有效期限|有效期至|截止日期|到期日期)$/, 'date_or_long_term'],
  [/(日期|时间)$/, 'date'],
  [/统计用区划代码$/, 'stat_region'],
  [/区划代码$/, 'region'],
];

/**
 * The format checks a data item's name calls for when the profile says nothing about it. A trailing note in
 * brackets is not part of the name (身份证号（18位）), and the first pattern that matches decides.
 */
export function defaultChecks(item: string): CheckId[] {
  const name = toHalfWidth(item)
    .replace(/\([^()]*\)$/, '')
    .trim();
  if (NOT_A_POINT_IN_TIME.test(name)) return [];
  const found = DEFAULT_PATTERNS.find(([pattern]) => pattern.test(name));
  return found ? [found[1]] : [];
}

/** Full-width ASCII forms and the ideographic space to their half-width forms, then trimmed. */
export function toHalfWidth(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}
