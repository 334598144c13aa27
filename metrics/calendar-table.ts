// Writes the working-day calendar into the `calendar` table that SQL rules join: deadlines become plain
// arithmetic on workday_index, identical in every rule and easy to show in evidence.
import type { Db } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';

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
}
