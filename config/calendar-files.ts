// Holiday calendars: chinese-days' bundled data (State Council announcements 2004-2026) plus YAML files in
// config/calendars/ for years it lacks. We read chinese-days' JSON data directly rather than its API,
// because the API answers by the process time zone; the data keyed by local date strings does not.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from './zod-issues.ts';
import { ConfigError } from './errors.ts';

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
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const dayEntry = z.union([
  z.object({ date: isoDate, name: z.string().min(1) }).strict(),
  z.object({ from: isoDate, to: isoDate, name: z.string().min(1) }).strict(),
]);
const calendarFileSchema = z
  .object({
    year: z.number().int().min(1990).max(2200).describe('the calendar year this file covers'),
    source: z.string().min(1).describe('the State Council notice the dates come from'),
    holidays: z.array(dayEntry).describe('public holidays (放假), single dates or from/to ranges'),
    workdays: z.array(dayEntry).default([]).describe('make-up working days (调休上班)'),
  })
  .strict();

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

function expandEntry(entry: z.infer<typeof dayEntry>): string[] {
  if ('date' in entry) return [entry.date];
  const out: string[] = [];
  for (let d = new Date(`${entry.from}T00:00:00Z`); d <= new Date(`${entry.to}T00:00:00Z`);) {
    out.push(d.toISOString().slice(0, 10));
    d = new Date(d.getTime() + 86_400_000);
  }
  return out;
}

export function loadCalendarFile(file: string): { year: number; days: CalendarDay[]; hash: string } {
  const text = readFileSync(file, 'utf8');
  const parsed = calendarFileSchema.safeParse(parseYaml(text));
  if (!parsed.success) throw new ConfigError(file, formatZodIssues(parsed.error));
  const { year, holidays, workdays } = parsed.data;
  const days: CalendarDay[] = [];
  for (const [entries, kind] of [
    [holidays, 'holiday'],
    [workdays, 'makeup'],
  ] as const) {
    for (const entry of entries) {
      for (const date of expandEntry(entry)) {
        if (!date.startsWith(`${year}-`)) {
          throw new ConfigError(file, [
            `${kind === 'holiday' ? 'holidays' : 'workdays'}: ${date} is not in ${year}`,
          ]);
        }
        days.push({ date, kind, name: entry.name });
      }
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
  const files = existsSync(calendarDir)
    ? readdirSync(calendarDir)
        .filter((f) => /^\d{4}\.ya?ml$/.test(f))
        .sort()
    : [];
  for (const name of files) {
    const file = path.join(calendarDir, name);
    const loaded = loadCalendarFile(file);
    for (const date of [...days.keys()]) if (date.startsWith(`${loaded.year}-`)) days.delete(date);
    for (const day of loaded.days) days.set(day.date, day);
    years.add(loaded.year);
    versions.push(`${name}#${loaded.hash}`);
  }
  return { years: [...years].sort((a, b) => a - b), days, version: versions.join('+') };
}
