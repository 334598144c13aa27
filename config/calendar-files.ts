// Holiday calendars: chinese-days' bundled data (State Council announcements 2004-2026) plus YAML files in
// config/calendars/ for years it lacks. We read chinese-days' JSON data directly rather than its API,
// because the API answers by the process time zone; the data keyed by local date strings does not.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { readYaml } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';
import { AppError, ConfigError } from './errors.ts';

export type DayKind = 'holiday' | 'makeup';

export interface CalendarDay {
  date: string; // YYYY-MM-DD, local (Asia/Shanghai)
  kind: DayKind;
  name: string;
}

export interface CalendarSource {
  /** Years for which every holiday and make-up day is known. */
  years: number[];
  /** Holidays and make-up working days, by date. */
  days: Map<string, CalendarDay>;
  /** Identifies the data: chinese-days version plus the hash of each config calendar file. */
  version: string;
  /** The years a config file gives that chinese-days had too: a correction, or a mistake, to be told of. */
  replaced: Array<{ year: number; file: string }>;
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date: Date.parse rolls 2027-02-30 over to March, so compare the round trip. */
function isCalendarDate(d: string): boolean {
  const ms = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
}

const isoDate = z
  .string()
  .regex(DATE_SHAPE, '应为 YYYY-MM-DD 格式的日期')
  .refine((d) => !DATE_SHAPE.test(d) || isCalendarDate(d), '不是真实存在的日期');

// One object with optional fields rather than a union, so a mistake is reported on its own key.
const dayEntry = z
  .object({
    date: isoDate.optional().describe('a single date'),
    from: isoDate.optional().describe('first date of a range'),
    to: isoDate.optional().describe('last date of a range, inclusive'),
    name: z.string().min(1).describe('e.g. 春节'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const { date, from, to } = entry;
    const problem = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    if (date !== undefined && (from !== undefined || to !== undefined)) {
      problem('date', 'date 与 from/to 只能二选一');
    } else if (date === undefined && from === undefined && to === undefined) {
      problem('date', '缺少此项（应为 date，或 from 和 to）');
    } else if (date === undefined && (from === undefined || to === undefined)) {
      problem(from === undefined ? 'from' : 'to', '缺少此项（日期区间须同时给出 from 和 to）');
    } else if (from !== undefined && to !== undefined && DATE_SHAPE.test(from) && from > to) {
      problem('to', `应为不早于 ${from} 的日期`);
    }
  });
type DayEntry = z.infer<typeof dayEntry>;

/**
 * A year's notice sets that year's days, and may set days at the end of the year before: the notice for 2019
 * made 2018-12-29 a make-up day and 2018-12-30..31 the 元旦 holiday. Those December days belong in the file
 * of the notice that set them, which overrides what an earlier source has for them.
 */
const inFileYear = (date: string, year: number): boolean =>
  date.startsWith(`${year}-`) || date.startsWith(`${year - 1}-12-`);

const WEEKEND = new Set([0, 6]);
/** 0 (Sunday) to 6 of a YYYY-MM-DD date, whatever the process time zone. */
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

const calendarFileSchema = z
  .object({
    year: z.number().int().min(1990).max(2200).describe('the calendar year this file covers'),
    source: z.string().min(1).describe('the State Council notice the dates come from'),
    holidays: z.array(dayEntry).describe('public holidays (放假), single dates or from/to ranges'),
    workdays: z.array(dayEntry).default([]).describe('make-up working days (调休上班)'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    for (const key of ['holidays', 'workdays'] as const) {
      file[key].forEach((entry, i) => {
        for (const date of expandEntry(entry)) {
          const at = [key, i, entry.date ? 'date' : 'from'];
          if (!inFileYear(date, file.year)) {
            ctx.addIssue({
              code: 'custom',
              path: at,
              message: `${date} 不在 ${file.year} 年内（也不在当年通知可能安排的 ${file.year - 1} 年 12 月）`,
            });
          } else if (seen.has(date)) {
            ctx.addIssue({
              code: 'custom',
              path: at,
              message: `${date} 已列在 ${seen.get(date)}`,
            });
          } else if (key === 'workdays' && !WEEKEND.has(weekdayOf(date))) {
            // a make-up working day (调休上班) is a Saturday or Sunday worked: Monday to Friday are worked anyway
            ctx.addIssue({
              code: 'custom',
              path: at,
              message: `${date} 是星期${'日一二三四五六'[weekdayOf(date)]}：调休上班日应为周六或周日（周一至周五本来就上班）`,
            });
          }
          seen.set(date, `${key}.${i}`);
        }
      });
    }
  });

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

function loadChineseDays(): { data: ChineseDaysData; version: string } {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const pkg = require('chinese-days/package.json') as { version: string };
  return { data, version: `chinese-days@${pkg.version}` };
}

/** Names in chinese-days read "English,中文,n"; keep the Chinese name for users. */
function chineseName(raw: string): string {
  return raw.split(',')[1] ?? raw;
}

function expandEntry(entry: DayEntry): string[] {
  if (entry.date !== undefined) return [entry.date];
  const out: string[] = [];
  if (entry.from === undefined || entry.to === undefined) return out;
  for (
    let ms = Date.parse(`${entry.from}T00:00:00Z`);
    ms <= Date.parse(`${entry.to}T00:00:00Z`);
    ms += 86_400_000
  ) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** Reads one `<year>.yaml`; its `year` must match the file name, so a copied file cannot shadow a year. */
export function loadCalendarFile(file: string): { year: number; days: CalendarDay[]; hash: string } {
  const text = readFileSync(file, 'utf8');
  const yaml = readYaml(file, text);
  const { year, holidays, workdays } = validateConfig(calendarFileSchema, file, yaml);
  const nameYear = /^(\d{4})\.ya?ml$/.exec(path.basename(file))?.[1];
  if (nameYear !== undefined && Number(nameYear) !== year) {
    throw new ConfigError(file, [
      `year${yaml.at(['year'])}：应为 ${nameYear}（与文件名相同）（收到：${year}）`,
    ]);
  }
  const days: CalendarDay[] = [];
  for (const [entries, kind] of [
    [holidays, 'holiday'],
    [workdays, 'makeup'],
  ] as const) {
    for (const entry of entries) {
      for (const date of expandEntry(entry)) days.push({ date, kind, name: entry.name });
    }
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return { year, days, hash };
}

/** Loads chinese-days' data and every `<year>.yaml` in calendarDir; a config file replaces that year. */
export function loadCalendarSource(calendarDir: string): CalendarSource {
  const { data, version } = loadChineseDays();
  const days = new Map<string, CalendarDay>();
  const years = new Set<number>();
  for (const [date, raw] of Object.entries(data.holidays)) {
    days.set(date, { date, kind: 'holiday', name: chineseName(raw) });
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, raw] of Object.entries(data.workdays)) {
    days.set(date, { date, kind: 'makeup', name: `${chineseName(raw)}调休上班` });
  }
  const versions = [version];
  // a folder that is not there, or a file named otherwise, would leave a year to the bundled data in silence
  if (!existsSync(calendarDir))
    throw new AppError(
      'calendar_dir_missing',
      `工作日历目录 ${calendarDir} 不存在：请检查配置文件中的 calendarsDir（不设置时使用项目自带的 config/calendars）`,
    );
  // hidden files (._2027.yaml of macOS, an editor's lock file) are no calendars, as the inbox skips them
  const yamlFiles = readdirSync(calendarDir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.'));
  const misnamed = yamlFiles.filter((f) => !/^\d{4}\.ya?ml$/.test(f));
  if (misnamed.length > 0)
    throw new AppError(
      'calendar_file_name',
      `工作日历目录 ${calendarDir} 中的 ${misnamed.join('、')} 不会被读取：日历文件应以年份命名，如 2027.yaml`,
    );
  const files = yamlFiles.sort();
  const replaced: CalendarSource['replaced'] = [];
  for (const name of files) {
    const file = path.join(calendarDir, name);
    const loaded = loadCalendarFile(file);
    if (years.has(loaded.year)) replaced.push({ year: loaded.year, file });
    for (const date of [...days.keys()]) if (date.startsWith(`${loaded.year}-`)) days.delete(date);
    for (const day of loaded.days) days.set(day.date, day);
    years.add(loaded.year);
    versions.push(`${name}#${loaded.hash}`);
  }
  return { years: [...years].sort((a, b) => a - b), days, version: versions.join('+'), replaced };
}
