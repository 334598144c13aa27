// The legal clock: working days per RULES.md "Counting working days". All dates are local
// (Asia/Shanghai) date strings; arithmetic runs on UTC midnights so the process time zone never matters.
// A deadline of N working days is the date whose workday index is index(start) + N: the start day itself
// is never counted, and a start on a weekend or holiday makes the next working day day 1.
import { CalendarGapError, AppError } from '../config/errors.ts';
import { localDate } from '../config/local-time.ts';
import type { CalendarSource, CalendarDay } from '../config/calendar-files.ts';

const DAY_MS = 86_400_000;

export interface CalendarRow {
  date: string;
  is_workday: boolean;
  /** Working days from the start of the calendar up to and including this date. */
  workday_index: number;
  day_kind: 'workday' | 'weekend' | 'holiday' | 'makeup';
  day_name: string | null;
}

export interface DeadlineExplanation {
  start: string;
  days: number;
  deadline: string;
  /** Holidays and make-up working days strictly after start, up to and including the deadline. */
  holidays: CalendarDay[];
  makeupDays: CalendarDay[];
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The local Asia/Shanghai date of an instant (China has kept UTC+8 without DST since 1991). */
export function localDateOf(instant: Date): string {
  return localDate(instant);
}

export class WorkCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  readonly version: string;
  private readonly rowsByDate = new Map<string, CalendarRow>();
  private readonly dateByIndex = new Map<number, string>();
  private readonly special: Map<string, CalendarDay>;
  /** the years the calendar files give (the calendar runs only through the first gap) */
  readonly years: number[];
  /** the years a config file gives in place of the bundled data (CalendarSource.replaced) */
  readonly replaced: CalendarSource['replaced'];

  constructor(
    source: CalendarSource,
    readonly calendarDir: string,
  ) {
    if (source.years.length === 0) throw new AppError('calendar_empty', '没有可用的节假日日历数据。');
    this.firstYear = source.years[0]!;
    this.lastYear = this.firstYear;
    while (source.years.includes(this.lastYear + 1)) this.lastYear += 1;
    this.version = source.version;
    this.special = source.days;
    this.years = source.years;
    this.replaced = source.replaced;
    let index = 0;
    for (let date = `${this.firstYear}-01-01`; date <= `${this.lastYear}-12-31`; date = addDays(date, 1)) {
      const special = source.days.get(date);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const kind = special ? special.kind : weekend ? 'weekend' : 'workday';
      const isWorkday = kind === 'workday' || kind === 'makeup';
      if (isWorkday) {
        index += 1;
        this.dateByIndex.set(index, date);
      }
      this.rowsByDate.set(date, {
        date,
        is_workday: isWorkday,
        workday_index: index,
        day_kind: kind,
        day_name: special?.name ?? null,
      });
    }
  }

  /** The data it was built from, as JSON: a run stores it, so that verify counts with the same days. */
  serialize(): string {
    const days = [...this.special.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return JSON.stringify({ version: this.version, years: this.years, days });
  }

  /** A calendar from serialize()'s JSON (the calendar directory is where a missing year would go). */
  static deserialize(json: string, calendarDir: string): WorkCalendar {
    const data = JSON.parse(json) as { version: string; years: number[]; days: CalendarDay[] };
    const days = new Map(data.days.map((d) => [d.date, d]));
    // what a stored run counted with: which file replaced what is told when scoring, not again
    return new WorkCalendar({ version: data.version, years: data.years, days, replaced: [] }, calendarDir);
  }

  /**
   * Throws CalendarGapError when the date's year is not covered. Past the end it names the first missing
   * year: with 2028.yaml but no 2027.yaml, a 2028 date needs 2027 first (working days are counted through).
   */
  row(date: string): CalendarRow {
    const row = this.rowsByDate.get(date);
    if (!row) {
      const year = Number(date.slice(0, 4));
      throw new CalendarGapError(year > this.lastYear ? this.lastYear + 1 : year, this.calendarDir);
    }
    return row;
  }

  covers(date: string): boolean {
    return this.rowsByDate.has(date);
  }

  isWorkday(date: string): boolean {
    return this.row(date).is_workday;
  }

  /** The N-th working day after start; throws CalendarGapError if it runs past the calendar. */
  deadline(start: string, days: number): string {
    const target = this.row(start).workday_index + days;
    const date = this.dateByIndex.get(target);
    if (!date) throw new CalendarGapError(this.lastYear + 1, this.calendarDir);
    return date;
  }

  /** Working days after `deadline` up to and including `observed` (0 when on time). */
  workdaysLate(deadline: string, observed: string): number {
    if (observed <= deadline) return 0;
    return this.row(observed).workday_index - this.row(deadline).workday_index;
  }

  /** Holidays and make-up days in (from, to], for the evidence of a deadline. */
  specialDaysBetween(from: string, to: string): { holidays: CalendarDay[]; makeupDays: CalendarDay[] } {
    const holidays: CalendarDay[] = [];
    const makeupDays: CalendarDay[] = [];
    for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
      const day = this.special.get(date);
      if (day?.kind === 'holiday') holidays.push(day);
      if (day?.kind === 'makeup') makeupDays.push(day);
    }
    return { holidays, makeupDays };
  }

  explainDeadline(start: string, days: number): DeadlineExplanation {
    const deadline = this.deadline(start, days);
    return { start, days, deadline, ...this.specialDaysBetween(start, deadline) };
  }

  /** Every covered date, in order, for the `calendar` table that SQL rules join. */
  rows(): CalendarRow[] {
    return [...this.rowsByDate.values()];
  }
}
