// A fingerprint of the working-day calendar: deadlines, workday flags and lateness for every start date of
// 2025-2026. The calendar test computes it in-process (TZ=America/New_York) and in child processes under
// other time zones; the lists must be identical, since the legal clock must not depend on the machine.
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { WorkCalendar, addDays } from '../../metrics/calendar.ts';

export function calendarDigest(calendarDir: string): string[] {
  const calendar = new WorkCalendar(loadCalendarSource(calendarDir), calendarDir);
  const lines: string[] = [];
  for (let date = '2025-01-01'; date <= '2026-12-10'; date = addDays(date, 1)) {
    const deadlines = [1, 5, 10, 15].map((n) => calendar.deadline(date, n));
    const late = calendar.workdaysLate(deadlines[0]!, addDays(date, 14));
    lines.push(`${date} ${calendar.isWorkday(date) ? 'W' : '-'} ${deadlines.join(' ')} late=${late}`);
  }
  return lines;
}
