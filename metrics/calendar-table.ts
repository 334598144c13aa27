// Writes the working-day calendar into the `calendar` table that SQL rules join, and the macros that count
// deadlines on it: deadlines are plain arithmetic on workday_index, defined once here for every rule and easy
// to show in evidence (RULES.md, counting working days).
import type { Db } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';

/**
 * The deadline counting every deadline rule uses (temp macros: the connection that runs the rules).
 * - sw_deadline(start, n): the n-th working day after the start day, which is never counted; null when the
 *   calendar does not reach it.
 * - sw_late_working_days / sw_late_calendar_days(deadline, observed): how late, 0 when on time; working
 *   days are null when the calendar does not reach the deadline or the observation (not a guess).
 * - sw_deadline_status(done, deadline, observed): 'open' when done after the deadline, or not done by the
 *   end of the observation day when that day is the deadline or later; this holds when the observation lies
 *   beyond the calendar too, for a known deadline makes it certain (only the count of working days late is
 *   unknown then). Else 'pending_calendar' when the observation lies beyond the calendar and the calendar
 *   does not reach the deadline (whether it is late cannot be known); else 'ok' (also when the calendar ends
 *   before the deadline: observed before it, on time).
 *   A subject certainly late must never drop out of a score because a later day was observed: a run as of
 *   an uncovered year would otherwise score a department better than the same run a day earlier.
 * - sw_in_period(start, deadline, period_start, period_end): a subject belongs to the period its deadline
 *   falls in ("requests due"), or, when the calendar does not reach the deadline, the period it started in.
 *   Selecting by the start instead would leave what starts near a period's end and falls due in the next one
 *   out of both periods.
 * - sw_due(done, deadline, as_of): a subject is judged once done, or once its deadline has passed by the
 *   end of the as-of day (or the calendar ended before the as-of date without reaching the deadline).
 *   An as-of date D means "the records through the end of day D", as every rule reads it (an answer dated
 *   D counts as given, a supply window ending on D is judged): a subject due on D and not done by then is
 *   late, so a period's complete run (as-of = its last day) judges what falls due on that day.
 */
const DEADLINE_MACROS = [
  `create or replace temp macro sw_deadline(start_day, n) as (
     select d.date from calendar s join calendar d on d.workday_index = s.workday_index + n and d.is_workday
     where s.date = start_day)`,
  `create or replace temp macro sw_late_working_days(deadline, observed) as case
     when deadline is not null and observed <= (select max(date) from calendar) then greatest(
       (select workday_index from calendar where date = observed)
         - (select workday_index from calendar where date = deadline), 0) end`,
  `create or replace temp macro sw_late_calendar_days(deadline, observed) as case when deadline is not null
     then greatest(date_diff('day', deadline, observed), 0) end`,
  `create or replace temp macro sw_deadline_status(done, deadline, observed) as case
     when deadline is not null and (observed > deadline or (not done and observed >= deadline)) then 'open'
     when observed > (select max(date) from calendar) then 'pending_calendar'
     else 'ok' end`,
  `create or replace temp macro sw_in_period(start_day, deadline, period_start, period_end) as
     coalesce(deadline, start_day) between cast(period_start as date) and cast(period_end as date)`,
  `create or replace temp macro sw_due(done, deadline, as_of) as
     done
     or (deadline is not null and deadline <= cast(as_of as date))
     or (deadline is null and cast(as_of as date) > (select max(date) from calendar))`,
];

export async function writeCalendarTable(db: Db, calendar: WorkCalendar): Promise<void> {
  await db.run(
    'create or replace temp table _sw_calendar (date varchar, is_workday boolean, workday_index integer, day_kind varchar, day_name varchar)',
  );
  const appender = await db.connection.createAppender('_sw_calendar', 'main', 'temp');
  for (const row of calendar.rows()) {
    appender.appendVarchar(row.date);
    appender.appendBoolean(row.is_workday);
    appender.appendInteger(row.workday_index);
    appender.appendVarchar(row.day_kind);
    if (row.day_name === null) appender.appendNull();
    else appender.appendVarchar(row.day_name);
    appender.endRow();
  }
  appender.closeSync();
  await db.run('delete from calendar');
  await db.run(
    'insert into calendar select cast(date as date), is_workday, workday_index, day_kind, day_name from _sw_calendar',
  );
  await db.run('drop table _sw_calendar');
  for (const sql of DEADLINE_MACROS) await db.run(sql);
}
