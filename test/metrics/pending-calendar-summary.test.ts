// A deadline that runs into a year the calendar does not cover leaves its finding pending (not counted); the
// run summary says how many and which file to add, as the error for an uncovered period does.
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../cli/score.ts';
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { WorkCalendar } from '../../metrics/calendar.ts';
import { repoConfig } from '../helpers.ts';
import { csv, scoreInbox } from './score-inbox.ts';

describe('the run summary of pending-calendar findings', () => {
  it('names the calendar file to add', async () => {
    const config = repoConfig();
    const calendar = new WorkCalendar(loadCalendarSource(config.calendarsDir), config.calendarsDir);
    const { summary } = await scoreInbox(
      {
        'share_requests_2026-12.csv': csv(
          'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,decision',
          // ten working days after 12-24 run into 2027, which the calendar does not cover: as of 01-20 the
          // request is past some deadline in January, which day is unknown
          'SQ9,D02,D03,R003,监管,2026-12-24 09:00:00,pending',
        ),
      },
      { asOf: '2027-01-20' },
    );
    const text = formatRunSummary(summary, 'shaanxi-2017', calendar);
    expect(text).toContain(
      `待补充节假日历：1 项问题的期限或答复日期落入日历未覆盖的年份，暂不计入得分。工作日历未覆盖 2027 年：` +
        `请按国务院办公厅公布的 2027 年节假日安排，新增文件 ${config.calendarsDir}/2027.yaml ` +
        '（格式见同目录 README.md：holidays 列出放假日期，workdays 列出调休上班日期）。补充后重新评估。\n',
    );
  });
});
