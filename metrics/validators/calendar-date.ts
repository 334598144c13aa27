// Calendar dates as data items carry them: YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, optionally followed by a
// time (HH:MM or HH:MM:SS) for items named …时间, which may carry a UTC offset (Z, +08:00, +0800) as ISO 8601
// exports write it. A well-formed but impossible date (2018-02-30) is its own reason, apart from an unreadable
// one, since it is the typical defect of hand-entered data.
const DATE_FORM =
  /^(\d{4})([-/]?)(\d{2})\2(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/** Beijing time, UTC+8: the local date of an instant given with another offset. */
const LOCAL_OFFSET_MINUTES = 8 * 60;

/** Whether year-month-day exists in the (proleptic) Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * The date as YYYY-MM-DD when the value is a real date in an accepted form (a time part is dropped). An
 * instant with a UTC offset gives its local (Beijing) date: 2026-03-01T20:00:00Z is 2026-03-02 there.
 */
export function parseItemDate(value: string): string | null {
  const m = DATE_FORM.exec(value);
  if (!m || checkDate(value) !== null) return null;
  const date = `${m[1]}-${m[3]}-${m[4]}`;
  if (m[8] === undefined) return date;
  const offset = m[8] === 'Z' ? 0 : (m[8][0] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const utc = Date.UTC(Number(m[1]), Number(m[3]) - 1, Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(utc + (LOCAL_OFFSET_MINUTES - offset) * 60_000).toISOString().slice(0, 10);
}

/** null when the value is a real date (and time) in an accepted form, else the reason in Chinese. */
export function checkDate(value: string): string | null {
  const m = DATE_FORM.exec(value);
  if (!m) return '日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）';
  if (!isRealDate(Number(m[1]), Number(m[3]), Number(m[4]))) return '日期不存在';
  if (m[5] !== undefined && (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7] ?? 0) > 59))
    return '时间不存在';
  if (m[8] !== undefined && m[8] !== 'Z' && (Number(m[9]) > 14 || Number(m[10]) > 59))
    return '时区偏移不存在';
  return null;
}
