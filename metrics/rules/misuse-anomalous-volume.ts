// misuse.anomalous_volume: daily volume far above the consumer's own robust baseline, and bulk downloads
// off hours. Findings are 'needs_review' (an evaluator confirms before anything is deducted), because a
// spike can be a legitimate campaign; the thresholds are the profile's choice, not an article's.
import { z } from 'zod';
import { defineRule, severity, SUBJECT_PREFIX } from '../rule-definition.ts';

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '应为形如 08:30 的本地时间')
  .describe('local time HH:MM');

export default defineRule({
  id: 'misuse.anomalous_volume',
  sql: 'misuse_anomalous_volume.sql',
  paramsSchema: z
    .object({
      threshold: z
        .number()
        .positive()
        .default(6)
        .describe(
          'a day is anomalous above median + threshold x spread of its baseline (1.4826 x MAD; 1.253314 x mean absolute deviation when the MAD is 0)',
        ),
      min_spread_ratio: z
        .number()
        .nonnegative()
        .default(0.1)
        .describe(
          'the spread is at least this share of the baseline median, so that a flat baseline (MAD and mean deviation 0) does not make every increase anomalous',
        ),
      min_baseline_days: z
        .number()
        .int()
        .positive()
        .default(20)
        .describe('days with reads among the 90 before, below which a day is not judged'),
      min_records: z
        .number()
        .int()
        .nonnegative()
        .default(1000)
        .describe('a day below this many records is never anomalous'),
      bulk_records: z
        .number()
        .int()
        .positive()
        .default(10000)
        .describe('a download of at least this many records is a bulk download'),
      work_start: clock.default('08:30').describe('working hours start (local time, HH:MM)'),
      work_end: clock.default('18:00').describe('working hours end (local time, HH:MM, exclusive)'),
    })
    .strict()
    .refine((p) => p.work_start < p.work_end, {
      path: ['work_end'],
      message: 'work_end 应晚于 work_start',
      // only between two valid times: a malformed work_start is its own problem, not work_end's
      when: (payload) => payload.issues.length === 0,
    }),
  bind: (_rule, p) => ({
    threshold: p.threshold,
    min_spread_ratio: p.min_spread_ratio,
    min_baseline_days: p.min_baseline_days,
    min_records: p.min_records,
    bulk_records: p.bulk_records,
    work_start: p.work_start,
    work_end: p.work_end,
  }),
  // a consumer's passing months on a resource are one evaluation row
  passGroup: SUBJECT_PREFIX,
  reviewGrounds: ['anomalous_days', 'off_hours_bulk_count', 'off_hours_bulk_records'],
  severity: severity('major'),
});
