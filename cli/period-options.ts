// The period flags shared by score, export and review commands: --year with an optional --quarter or --month.
import { periodOf, type Period } from '../metrics/periods.ts';
import { AppError } from '../config/errors.ts';

export interface PeriodOptions {
  year: string;
  quarter?: string;
  month?: string;
}

export function parseYear(text: string): number {
  if (!/^[1-9]\d{3}$/.test(text))
    throw new AppError('bad_year', `--year 应为四位年份，例如 2026（收到：${text}）`);
  return Number(text);
}

export function parseDate(text: string, flag: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  if (!ok) throw new AppError('bad_date', `${flag} 应为真实日期 YYYY-MM-DD（收到：${text}）`);
  return text;
}

const whole = (text: string | undefined, flag: string, range: string): number | undefined => {
  if (text === undefined) return undefined;
  // the range itself is the period's own check (periods.ts): 012 is 12, 13 is out of range
  if (!/^\d+$/.test(text)) throw new AppError('bad_number', `${flag} 应为 ${range} 的整数（收到：${text}）`);
  return Number(text);
};

export function parsePeriod(options: PeriodOptions): Period {
  return periodOf(parseYear(options.year), {
    quarter: whole(options.quarter, '--quarter', '1 到 4'),
    month: whole(options.month, '--month', '1 到 12'),
  });
}
