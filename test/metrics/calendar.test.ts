// The legal clock, exact to the day: State Council holidays and make-up days for 2025-2026 (chinese-days
// data), deadlines per RULES.md "Counting working days", an uncovered year as an error, config calendar
// files for a further year, and the same answers whatever the process time zone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { AppError, CalendarGapError, ConfigError } from '../../config/errors.ts';
import { WorkCalendar, addDays, daysBetween, localDateOf } from '../../metrics/calendar.ts';
import { yearPeriod } from '../../metrics/periods.ts';
import { checkCalendarCovers } from '../../metrics/run-rules.ts';
import { REPO_ROOT, tempDir } from '../helpers.ts';
import { calendarDigest } from './calendar-digest.ts';

const CALENDAR_DIR = path.join(REPO_ROOT, 'config', 'calendars');
const calendar = new WorkCalendar(loadCalendarSource(CALENDAR_DIR), CALENDAR_DIR);

/** 'W' for a working day, '-' for a day off, for every date from..to inclusive. */
function workdayMap(cal: WorkCalendar, from: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let d = from; d <= to; d = addDays(d, 1)) out[d] = cal.isWorkday(d) ? 'W' : '-';
  return out;
}

function calendarWith(files: Record<string, string>): { cal: WorkCalendar; dir: string } {
  const dir = path.join(tempDir('sw-calendars-'), 'calendars');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { cal: new WorkCalendar(loadCalendarSource(dir), dir), dir };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('holiday periods of 2025 and 2026', () => {
  it('keeps the 2025 Spring Festival 01-28..02-04 off and works Sunday 01-26 and Saturday 02-08', () => {
    expect(workdayMap(calendar, '2025-01-24', '2025-02-09')).toEqual({
      '2025-01-24': 'W',
      '2025-01-25': '-',
      '2025-01-26': 'W',
      '2025-01-27': 'W',
      '2025-01-28': '-',
      '2025-01-29': '-',
      '2025-01-30': '-',
      '2025-01-31': '-',
      '2025-02-01': '-',
      '2025-02-02': '-',
      '2025-02-03': '-',
      '2025-02-04': '-',
      '2025-02-05': 'W',
      '2025-02-06': 'W',
      '2025-02-07': 'W',
      '2025-02-08': 'W',
      '2025-02-09': '-',
    });
  });

  it('keeps 2025 National Day and Mid-autumn 10-01..10-08 off and works Sunday 09-28 and Saturday 10-11', () => {
    expect(workdayMap(calendar, '2025-09-26', '2025-10-12')).toEqual({
      '2025-09-26': 'W',
      '2025-09-27': '-',
      '2025-09-28': 'W',
      '2025-09-29': 'W',
      '2025-09-30': 'W',
      '2025-10-01': '-',
      '2025-10-02': '-',
      '2025-10-03': '-',
      '2025-10-04': '-',
      '2025-10-05': '-',
      '2025-10-06': '-',
      '2025-10-07': '-',
      '2025-10-08': '-',
      '2025-10-09': 'W',
      '2025-10-10': 'W',
      '2025-10-11': 'W',
      '2025-10-12': '-',
    });
  });

  it('keeps 2026 Mid-autumn 09-25..09-27 and National Day 10-01..10-07 off and works 09-20 and 10-10', () => {
    expect(workdayMap(calendar, '2026-09-19', '2026-10-11')).toEqual({
      '2026-09-19': '-',
      '2026-09-20': 'W',
      '2026-09-21': 'W',
      '2026-09-22': 'W',
      '2026-09-23': 'W',
      '2026-09-24': 'W',
      '2026-09-25': '-',
      '2026-09-26': '-',
      '2026-09-27': '-',
      '2026-09-28': 'W',
      '2026-09-29': 'W',
      '2026-09-30': 'W',
      '2026-10-01': '-',
      '2026-10-02': '-',
      '2026-10-03': '-',
      '2026-10-04': '-',
      '2026-10-05': '-',
      '2026-10-06': '-',
      '2026-10-07': '-',
      '2026-10-08': 'W',
      '2026-10-09': 'W',
      '2026-10-10': 'W',
      '2026-10-11': '-',
    });
  });

  it('keeps 2026 May Day 05-01..05-05 off and works Saturday 05-09', () => {
    expect(workdayMap(calendar, '2026-04-30', '2026-05-11')).toEqual({
      '2026-04-30': 'W',
      '2026-05-01': '-',
      '2026-05-02': '-',
      '2026-05-03': '-',
      '2026-05-04': '-',
      '2026-05-05': '-',
      '2026-05-06': 'W',
      '2026-05-07': 'W',
      '2026-05-08': 'W',
      '2026-05-09': 'W',
      '2026-05-10': '-',
      '2026-05-11': 'W',
    });
  });

  it('keeps 2026 Dragon Boat 06-19..06-21 off with no make-up day', () => {
    expect(workdayMap(calendar, '2026-06-18', '2026-06-22')).toEqual({
      '2026-06-18': 'W',
      '2026-06-19': '-',
      '2026-06-20': '-',
      '2026-06-21': '-',
      '2026-06-22': 'W',
    });
    expect(calendar.specialDaysBetween('2026-06-01', '2026-06-30').makeupDays).toEqual([]);
  });

  it('names each day in the calendar table the SQL rules join', () => {
    expect(calendar.row('2026-10-10')).toEqual({
      date: '2026-10-10',
      is_workday: true,
      workday_index: calendar.row('2026-10-09').workday_index + 1,
      day_kind: 'makeup',
      day_name: '国庆节调休上班',
    });
    expect(calendar.row('2026-10-03')).toMatchObject({
      is_workday: false,
      day_kind: 'holiday',
      day_name: '国庆节',
    });
    expect(calendar.row('2026-10-11')).toMatchObject({
      is_workday: false,
      day_kind: 'weekend',
      day_name: null,
    });
    expect(calendar.row('2026-10-03').workday_index).toBe(calendar.row('2026-09-30').workday_index);
    // 2026: 261 weekdays, minus 19 holidays on weekdays, plus 6 make-up weekend days.
    const workdays2026 = calendar.rows().filter((r) => r.date.startsWith('2026-') && r.is_workday);
    expect(workdays2026).toHaveLength(248);
  });
});

describe('deadlines in working days (RULES.md)', () => {
  it('counts the make-up Saturday as a working day', () => {
    expect(calendar.deadline('2026-10-09', 1)).toBe('2026-10-10');
    expect(calendar.deadline('2025-02-07', 1)).toBe('2025-02-08');
    expect(calendar.deadline('2025-01-24', 1)).toBe('2025-01-26');
  });

  it('follows the RULES.md example day by day: received 2026-09-28, 10 working days end on 2026-10-16', () => {
    const days = Array.from({ length: 10 }, (_, i) => calendar.deadline('2026-09-28', i + 1));
    expect(days).toEqual([
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
      '2026-10-14',
      '2026-10-15',
      '2026-10-16',
    ]);
  });

  it('reports an answer on 2026-10-19 to the 2026-10-16 deadline as 1 working day (3 calendar days) late', () => {
    expect(calendar.workdaysLate('2026-10-16', '2026-10-19')).toBe(1);
    expect(daysBetween('2026-10-16', '2026-10-19')).toBe(3);
    expect(calendar.workdaysLate('2026-10-16', '2026-10-16')).toBe(0);
    expect(calendar.workdaysLate('2026-10-16', '2026-10-10')).toBe(0);
  });

  it('counts only working days of lateness across a holiday', () => {
    expect(calendar.workdaysLate('2026-09-30', '2026-10-09')).toBe(2);
    expect(calendar.workdaysLate('2026-09-30', '2026-10-07')).toBe(0);
  });

  it('gives the Yingkou 5-day deadlines across National Day, May Day and Dragon Boat', () => {
    expect(calendar.deadline('2026-09-28', 5)).toBe('2026-10-10');
    expect(calendar.deadline('2026-04-30', 5)).toBe('2026-05-11');
    expect(calendar.deadline('2026-06-18', 5)).toBe('2026-06-26');
  });

  it('makes the first working day after a Saturday or Sunday receipt day 1', () => {
    for (const received of ['2026-03-06', '2026-03-07', '2026-03-08']) {
      expect([received, calendar.deadline(received, 1), calendar.deadline(received, 10)]).toEqual([
        received,
        '2026-03-09',
        '2026-03-20',
      ]);
    }
  });

  it('does not count the day of receipt when it is itself a make-up Saturday', () => {
    expect(calendar.deadline('2026-10-10', 1)).toBe('2026-10-12');
  });

  it('makes the first working day after the holiday day 1 when a request arrives during a holiday', () => {
    expect(calendar.deadline('2026-10-03', 1)).toBe('2026-10-08');
    expect(calendar.deadline('2026-10-03', 5)).toBe('2026-10-13');
    expect(calendar.deadline('2025-10-01', 10)).toBe('2025-10-21');
    expect(calendar.deadline('2025-02-01', 1)).toBe('2025-02-05');
  });

  it('takes the local Asia/Shanghai date of a receipt instant', () => {
    expect(localDateOf(new Date('2026-09-27T16:00:00Z'))).toBe('2026-09-28');
    expect(localDateOf(new Date('2026-09-27T15:59:59Z'))).toBe('2026-09-27');
  });

  it('lists the holidays and make-up days between receipt and deadline, receipt day excluded', () => {
    expect(calendar.explainDeadline('2026-09-28', 10)).toEqual({
      start: '2026-09-28',
      days: 10,
      deadline: '2026-10-16',
      holidays: ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
        date: `2026-10-${d}`,
        kind: 'holiday',
        name: '国庆节',
      })),
      makeupDays: [{ date: '2026-10-10', kind: 'makeup', name: '国庆节调休上班' }],
    });
    expect(calendar.specialDaysBetween('2026-09-20', '2026-09-27')).toEqual({
      holidays: ['25', '26', '27'].map((d) => ({ date: `2026-09-${d}`, kind: 'holiday', name: '中秋' })),
      makeupDays: [],
    });
    expect(calendar.specialDaysBetween('2026-09-19', '2026-09-20').makeupDays).toEqual([
      { date: '2026-09-20', kind: 'makeup', name: '国庆节调休上班' },
    ]);
  });
});

describe('a year the calendar does not cover', () => {
  it('covers 2004 to 2026 from chinese-days and nothing after', () => {
    expect([calendar.firstYear, calendar.lastYear]).toEqual([2004, 2026]);
    expect([calendar.covers('2026-12-31'), calendar.covers('2027-01-01')]).toEqual([true, false]);
    expect(calendar.deadline('2026-12-25', 4)).toBe('2026-12-31');
  });

  it('throws CalendarGapError naming 2027 and config/calendars/2027.yaml when a deadline runs into 2027', () => {
    const error = thrown(() => calendar.deadline('2026-12-25', 10));
    expect(error).toBeInstanceOf(CalendarGapError);
    const gap = error as CalendarGapError;
    expect([gap.code, gap.year]).toEqual(['calendar_missing_year', 2027]);
    expect(gap.message).toContain('工作日历未覆盖 2027 年');
    expect(gap.message).toContain(`${CALENDAR_DIR}/2027.yaml`);
    expect(gap.message).toContain('config/calendars/2027.yaml');
    expect(gap.message).toContain('README.md');
  });

  it('refuses to guess whether a 2027 date is a working day or how late a 2027 answer is', () => {
    expect(thrown(() => calendar.isWorkday('2027-01-01'))).toMatchObject({ year: 2027 });
    expect(thrown(() => calendar.workdaysLate('2026-12-31', '2027-01-05'))).toMatchObject({ year: 2027 });
    expect(thrown(() => calendar.deadline('2027-01-04', 1))).toBeInstanceOf(CalendarGapError);
  });
});

describe('time zone independence', () => {
  it('runs this suite in a zone other than Asia/Shanghai (America/New_York)', () => {
    expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(300);
  });

  it('gives the same deadline list under Pacific/Kiritimati and Asia/Shanghai as here', () => {
    const here = calendarDigest(CALENDAR_DIR);
    expect(here).toHaveLength(709);
    expect(here).toContain('2026-09-28 W 2026-09-29 2026-10-10 2026-10-16 2026-10-23 late=5');
    const moduleUrl = pathToFileURL(path.join(REPO_ROOT, 'test', 'metrics', 'calendar-digest.ts')).href;
    const code =
      `const { calendarDigest } = await import(${JSON.stringify(moduleUrl)});` +
      `process.stdout.write(JSON.stringify({ offset: new Date('2026-01-15T12:00:00Z').getTimezoneOffset(), ` +
      `lines: calendarDigest(${JSON.stringify(CALENDAR_DIR)}) }));`;
    for (const [tz, offset] of [
      ['Pacific/Kiritimati', -840],
      ['Asia/Shanghai', -480],
    ] as const) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        cwd: REPO_ROOT,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual({ offset, lines: here });
    }
  });
});

describe('config calendar files (config/calendars/<year>.yaml)', () => {
  const readmeExample = /```yaml\n([\s\S]*?)```/.exec(
    readFileSync(path.join(CALENDAR_DIR, 'README.md'), 'utf8'),
  )?.[1];

  it('extends the calendar to 2027 with the README example and honours its holidays and make-up day', () => {
    expect(readmeExample).toContain('year: 2027');
    const { cal, dir } = calendarWith({ '2027.yaml': readmeExample ?? '' });
    expect(cal.lastYear).toBe(2027);
    expect(cal.version).toMatch(/^chinese-days@1\.5\.7\+2027\.yaml#[0-9a-f]{12}$/);
    expect(workdayMap(cal, '2026-12-31', '2027-01-04')).toEqual({
      '2026-12-31': 'W',
      '2027-01-01': '-',
      '2027-01-02': '-',
      '2027-01-03': '-',
      '2027-01-04': 'W',
    });
    expect(workdayMap(cal, '2027-02-05', '2027-02-15')).toEqual({
      '2027-02-05': 'W',
      '2027-02-06': '-',
      '2027-02-07': '-',
      '2027-02-08': '-',
      '2027-02-09': '-',
      '2027-02-10': '-',
      '2027-02-11': '-',
      '2027-02-12': '-',
      '2027-02-13': '-',
      '2027-02-14': 'W',
      '2027-02-15': 'W',
    });
    expect(cal.deadline('2026-12-25', 10)).toBe('2027-01-11');
    expect(cal.deadline('2027-02-05', 3)).toBe('2027-02-16');
    expect(cal.specialDaysBetween('2027-02-05', '2027-02-16')).toEqual({
      holidays: ['06', '07', '08', '09', '10', '11', '12'].map((d) => ({
        date: `2027-02-${d}`,
        kind: 'holiday',
        name: '春节',
      })),
      makeupDays: [{ date: '2027-02-14', kind: 'makeup', name: '春节调休上班' }],
    });
    const gap = thrown(() => cal.deadline('2027-12-27', 10)) as CalendarGapError;
    expect([gap.year, gap.message.includes(`${dir}/2028.yaml`)]).toEqual([2028, true]);
  });

  it("takes the days a year's notice sets in the December before (as the 2019 notice set 2018-12-29..31)", () => {
    const { cal } = calendarWith({
      '2027.yaml': [
        'year: 2027',
        'source: test',
        'holidays:',
        '  - { from: 2026-12-31, to: 2027-01-02, name: 元旦 }',
        'workdays:',
        '  - { date: 2026-12-26, name: 元旦调休上班 }',
        '',
      ].join('\n'),
    });
    expect(workdayMap(cal, '2026-12-24', '2027-01-04')).toEqual({
      '2026-12-24': 'W',
      '2026-12-25': 'W',
      '2026-12-26': 'W',
      '2026-12-27': '-',
      '2026-12-28': 'W',
      '2026-12-29': 'W',
      '2026-12-30': 'W',
      '2026-12-31': '-',
      '2027-01-01': '-',
      '2027-01-02': '-',
      '2027-01-03': '-',
      '2027-01-04': 'W',
    });
    // the 5th working day after 12-24: 12-25, the make-up 12-26, 12-28, 12-29, 12-30
    expect(cal.deadline('2026-12-24', 5)).toBe('2026-12-30');
    expect(cal.specialDaysBetween('2026-12-24', '2027-01-04').makeupDays).toEqual([
      { date: '2026-12-26', kind: 'makeup', name: '元旦调休上班' },
    ]);
  });

  it('asks for the first missing year when a later year has a file but the year before it does not', () => {
    const { cal, dir } = calendarWith({
      '2028.yaml': 'year: 2028\nsource: test\nholidays:\n  - { date: 2028-01-03, name: 元旦 }\n',
    });
    expect(cal.lastYear).toBe(2026);
    const gap = thrown(() => cal.deadline('2028-03-01', 1)) as CalendarGapError;
    expect([gap.year, gap.message.includes(`${dir}/2027.yaml`)]).toEqual([2027, true]);
    // scoring 2028 asks for 2027.yaml too, not for the 2028.yaml that is there
    const scoring = thrown(() => checkCalendarCovers(cal, yearPeriod(2028))) as CalendarGapError;
    expect([scoring.year, scoring.message.includes(`${dir}/2027.yaml`)]).toEqual([2027, true]);
  });

  it('lets a file replace what chinese-days says about its year', () => {
    const { cal } = calendarWith({
      '2026.yaml':
        'year: 2026\nsource: test\nholidays:\n  - { from: 2026-01-01, to: 2026-01-03, name: 元旦 }\n',
    });
    expect(workdayMap(cal, '2026-10-01', '2026-10-02')).toEqual({ '2026-10-01': 'W', '2026-10-02': 'W' });
    expect([cal.isWorkday('2026-10-10'), cal.isWorkday('2026-01-02'), cal.isWorkday('2025-10-01')]).toEqual([
      false,
      false,
      false,
    ]);
  });

  const header = 'year: 2027\nsource: 国务院办公厅关于2027年部分节假日安排的通知\n';
  it.each([
    [
      'a date not written YYYY-MM-DD',
      'holidays:\n  - { date: 2027-1-1, name: 元旦 }\n',
      ['holidays.0.date（第 4 行第 7 列）：应为 YYYY-MM-DD 格式的日期'],
    ],
    [
      'a date that does not exist',
      'holidays:\n  - { date: 2027-02-30, name: 春节 }\n',
      ['holidays.0.date（第 4 行第 7 列）：不是真实存在的日期'],
    ],
    [
      'a range ending before it starts',
      'holidays:\n  - { from: 2027-02-12, to: 2027-02-06, name: 春节 }\n',
      ['holidays.0.to（第 4 行第 25 列）：应为不早于 2027-02-12 的日期'],
    ],
    [
      'a range without its end',
      'holidays:\n  - { from: 2027-02-06, name: 春节 }\n',
      ['holidays.0.to（第 4 行第 5 列）：缺少此项（日期区间须同时给出 from 和 to）'],
    ],
    [
      'an entry without a name',
      'holidays:\n  - { date: 2027-01-01 }\n',
      ['holidays.0.name（第 4 行第 5 列）：缺少此项（应为文本）'],
    ],
    [
      'a date of another year',
      'holidays:\n  - { date: 2028-01-01, name: 元旦 }\n',
      [
        'holidays.0.date（第 4 行第 7 列）：2028-01-01 不在 2027 年内（也不在当年通知可能安排的 2026 年 12 月）',
      ],
    ],
    [
      'a date of the year before, outside its December',
      'holidays: []\nworkdays:\n  - { date: 2026-11-28, name: 元旦调休上班 }\n',
      [
        'workdays.0.date（第 5 行第 7 列）：2026-11-28 不在 2027 年内（也不在当年通知可能安排的 2026 年 12 月）',
      ],
    ],
    [
      'a date both off and worked',
      'holidays:\n  - { date: 2027-02-14, name: 春节 }\nworkdays:\n  - { date: 2027-02-14, name: 春节调休上班 }\n',
      ['workdays.0.date（第 6 行第 7 列）：2027-02-14 已列在 holidays.0'],
    ],
    [
      'a misspelt key',
      'holidays: []\nworkday: []\n',
      ['workday（第 4 行第 1 列）：未知的键（此处可用：year, source, holidays, workdays）'],
    ],
  ])('rejects %s with a ConfigError naming the file and key path', (_what, body, issues) => {
    const error = thrown(() => calendarWith({ '2027.yaml': header + body }));
    expect(error).toBeInstanceOf(ConfigError);
    const file = (error as ConfigError).file;
    expect(path.basename(file)).toBe('2027.yaml');
    expect((error as ConfigError).issues).toEqual(issues);
    expect((error as ConfigError).message).toBe(issues.map((i) => `${file}：${i}`).join('\n'));
  });

  it('rejects a make-up working day on a weekday, a calendar file named otherwise, and a folder not there', () => {
    const weekday = thrown(() =>
      calendarWith({
        '2027.yaml':
          'year: 2027\nsource: x\nholidays: []\nworkdays:\n  - { date: 2027-02-20, name: 春节 }\n  - { date: 2027-11-03, name: 春节 }\n',
      }),
    );
    // 2027-02-20 is a Saturday: accepted; 2027-11-03 a Wednesday
    expect((weekday as ConfigError).issues).toEqual([
      'workdays.1.date（第 6 行第 7 列）：2027-11-03 是星期三：调休上班日应为周六或周日（周一至周五本来就上班）',
    ]);
    const misnamed = thrown(() =>
      calendarWith({
        '2027-holidays.yaml': 'year: 2027\nsource: x\nholidays: []\n',
        'README.md': '#',
        // hidden files are no calendars: a macOS ._ file is not even text
        '._2028.yaml': '\u0000\u0005',
      }),
    ) as AppError;
    expect(misnamed.code).toBe('calendar_file_name');
    expect(misnamed.message).toMatch(
      / 中的 2027-holidays\.yaml 不会被读取：日历文件应以年份命名，如 2027\.yaml$/,
    );
    const missing = path.join(tempDir('sw-calendars-'), 'calendar');
    const notThere = thrown(() => loadCalendarSource(missing)) as AppError;
    expect(notThere.message).toBe(
      `工作日历目录 ${missing} 不存在：请检查配置文件中的 calendarsDir（不设置时使用项目自带的 config/calendars）`,
    );
  });

  it('rejects a file whose year differs from its name, and one that is not YAML', () => {
    const wrongYear = thrown(() => calendarWith({ '2027.yaml': 'year: 2028\nsource: x\nholidays: []\n' }));
    expect((wrongYear as ConfigError).issues).toEqual([
      'year（第 1 行第 1 列）：应为 2027（与文件名相同）（收到：2028）',
    ]);
    const notYaml = thrown(() => calendarWith({ '2027.yaml': 'year: 2027\nholidays: [\n' }));
    expect(notYaml).toBeInstanceOf(ConfigError);
    expect((notYaml as ConfigError).issues).toEqual([
      'YAML 格式错误（第 3 行第 1 列）：缩进不正确（检查这一行和上一行的缩进，以及括号是否闭合）' +
        '（Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1）',
    ]);
  });
});
