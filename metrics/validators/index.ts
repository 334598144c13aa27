// The system's own checks on data_sample values, by id, and which of them applies to a data item by default
// (from its usual Chinese name). A profile's item_checks override the defaults item by item; empty values
// are judged only by `required`, so a blank optional item is never reported as malformed.
import { checkDate } from './calendar-date.ts';
import { checkGb11643 } from './gb11643.ts';
import { checkGb32100 } from './gb32100.ts';
import { checkRegionCode } from './region-code.ts';

export const CHECK_IDS = ['gb32100', 'gb11643', 'date', 'region', 'required'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

const FORMAT_CHECKS: Record<Exclude<CheckId, 'required'>, (value: string) => string | null> = {
  gb32100: checkGb32100,
  gb11643: checkGb11643,
  date: checkDate,
  region: checkRegionCode,
};

/** The reason the value fails the check (Chinese), or null when it passes. */
export function runCheck(check: CheckId, value: string | null): string | null {
  if (value === null || value.trim() === '') return check === 'required' ? '必填项为空' : null;
  return check === 'required' ? null : FORMAT_CHECKS[check](value.trim());
}

const DEFAULT_PATTERNS: Array<[RegExp, CheckId]> = [
  [/社会信用代码$/, 'gb32100'],
  [/(身份号码|身份证号码?)$/, 'gb11643'],
  [/(日期|时间)$/, 'date'],
  [/区划代码$/, 'region'],
];

/** The format checks a data item's name calls for when the profile says nothing about it. */
export function defaultChecks(item: string): CheckId[] {
  return DEFAULT_PATTERNS.filter(([pattern]) => pattern.test(item.trim())).map(([, check]) => check);
}

/** Full-width ASCII forms and the ideographic space to their half-width forms, then trimmed. */
export function toHalfWidth(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}
