// Assessment periods: a year, a quarter or a month, labelled "2026", "2026-Q3", "2026-10".
import { AppError } from '../config/errors.ts';
import { addDays } from './calendar.ts';

export interface Period {
  label: string;
  start: string;
  end: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function monthEnd(year: number, month: number): string {
  return addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`, -1);
}

export function yearPeriod(year: number): Period {
  return { label: String(year), start: `${year}-01-01`, end: `${year}-12-31` };
}

export function quarterPeriod(year: number, quarter: number): Period {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new AppError('bad_quarter', `--quarter 应为 1 到 4（收到：${quarter}）`);
  }
  const first = (quarter - 1) * 3 + 1;
  return { label: `${year}-Q${quarter}`, start: `${year}-${pad(first)}-01`, end: monthEnd(year, first + 2) };
}

export function monthPeriod(year: number, month: number): Period {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new AppError('bad_month', `--month 应为 1 到 12（收到：${month}）`);
  }
  return { label: `${year}-${pad(month)}`, start: `${year}-${pad(month)}-01`, end: monthEnd(year, month) };
}

export function periodOf(year: number, opts: { quarter?: number; month?: number }): Period {
  if (opts.quarter !== undefined && opts.month !== undefined) {
    throw new AppError('bad_period', '--quarter 与 --month 只能指定一个。');
  }
  if (opts.quarter !== undefined) return quarterPeriod(year, opts.quarter);
  if (opts.month !== undefined) return monthPeriod(year, opts.month);
  return yearPeriod(year);
}

/** The period's label parsed back, for verify and for the previous-period comparison. */
export function periodFromLabel(label: string): Period {
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  if (q) return quarterPeriod(Number(q[1]), Number(q[2]));
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return monthPeriod(Number(m[1]), Number(m[2]));
  return yearPeriod(Number(label));
}

/** The period just before: the same length (year, quarter or month). */
export function previousPeriodLabel(label: string): string {
  const year = Number(label.slice(0, 4));
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  if (q) return Number(q[2]) === 1 ? `${year - 1}-Q4` : `${year}-Q${Number(q[2]) - 1}`;
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m)
    return Number(m[2]) === 1 ? `${year - 1}-12` : `${year}-${String(Number(m[2]) - 1).padStart(2, '0')}`;
  return String(year - 1);
}
