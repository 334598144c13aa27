// The demo year as arrays: day index -> date and working-day flag, from the project's WorkCalendar. Times
// are seconds since local midnight of January 1 (a plain number, cheap to sort); only formatting turns
// them into `YYYY-MM-DD HH:MM:SS`, so neither the process time zone nor DST can shift a record.
import { CalendarGapError } from '../config/errors.ts';
import { addDays, type WorkCalendar } from '../metrics/calendar.ts';
import type { Rng } from './demo-data-random.ts';

export const DAY = 86_400;

export interface DemoYear {
  year: number;
  dates: string[];
  isWorkday: boolean[];
  /** Day indices of the working days, in order. */
  workdays: number[];
  /** workdaysUpTo[d] = number of working days with index < d (length dates.length + 1). */
  workdaysUpTo: Int32Array;
  /** First day index of each month, plus dates.length at the end (13 entries). */
  monthStart: number[];
}

export function buildYear(cal: WorkCalendar, year: number): DemoYear {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  if (!cal.covers(first) || !cal.covers(last)) throw new CalendarGapError(year, cal.calendarDir);
  const dates: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  const isWorkday = dates.map((d) => cal.isWorkday(d));
  const workdays: number[] = [];
  const workdaysUpTo = new Int32Array(dates.length + 1);
  isWorkday.forEach((w, i) => {
    if (w) workdays.push(i);
    workdaysUpTo[i + 1] = workdays.length;
  });
  const monthStart = [...Array.from({ length: 12 }, (_, m) => dates.indexOf(monthDate(year, m + 1, 1)))];
  monthStart.push(dates.length);
  return { year, dates, isWorkday, workdays, workdaysUpTo, monthStart };
}

export function monthDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `HH:MM:SS` of a second of the day. */
export function clockTime(s: number): string {
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** `YYYY-MM-DD HH:MM:SS` of a time in seconds since the year's start. */
export function stamp(y: DemoYear, t: number): string {
  const day = Math.floor(t / DAY);
  return `${y.dates[day]} ${clockTime(t - day * DAY)}`;
}

/** The n-th working day after `day` (the day itself not counted), or null past the year's end. */
export function workdayAfter(y: DemoYear, day: number, n: number): number | null {
  return y.workdays[y.workdaysUpTo[day + 1]! + n - 1] ?? null;
}

export function workdaysIn(y: DemoYear, from: number, to: number): number {
  return to < from ? 0 : y.workdaysUpTo[to + 1]! - y.workdaysUpTo[from]!;
}

/** A random working day in [from, to], or null when there is none. */
export function randomWorkday(y: DemoYear, rng: Rng, from: number, to: number): number | null {
  const n = workdaysIn(y, Math.max(0, from), Math.min(to, y.dates.length - 1));
  if (n <= 0) return null;
  return y.workdays[y.workdaysUpTo[Math.max(0, from)]! + Math.floor(rng.next() * n)]!;
}

/** A second of the office day, 09:00:00-17:29:59. */
export function officeSecond(rng: Rng): number {
  return 9 * 3600 + Math.floor(rng.next() * 8.5 * 3600);
}

/** A second late at night, 22:00-23:59 or 00:00-04:59. */
export function nightSecond(rng: Rng): number {
  const s = Math.floor(rng.next() * 7 * 3600);
  return s < 2 * 3600 ? 22 * 3600 + s : s - 2 * 3600;
}

/** A random office-hours time on a working day in [fromDay, toDay], or null. */
export function officeTime(y: DemoYear, rng: Rng, fromDay: number, toDay: number): number | null {
  const day = randomWorkday(y, rng, fromDay, toDay);
  return day === null ? null : day * DAY + officeSecond(rng);
}

/** The date `months` calendar months after `date`, minus one day (the last day of a validity period). */
export function validityEnd(date: string, months: number): string {
  const [yy, mm, dd] = date.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(yy, mm - 1 + months, dd));
  if (end.getUTCDate() !== dd) end.setUTCDate(0);
  return addDays(end.toISOString().slice(0, 10), -1);
}
