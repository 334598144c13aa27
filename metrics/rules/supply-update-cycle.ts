// supply.update_cycle: data supplied at the resource's declared update cycle (实时/每日/每周/每月/…), one
// calendar window per cycle; a window without a successful batch is a missed cycle. Whether daily and
// realtime resources owe a batch on working days only or every calendar day is a profile setting
// (daily_days, default working); with working days, a week without one (the Spring Festival week) owes no
// weekly batch either. Passing windows carry no evidence: a province has millions a year.
import { z } from 'zod';
import { defineRule, severitySql, SUBJECT_PREFIX } from '../rule-definition.ts';

export default defineRule({
  id: 'supply.update_cycle',
  sql: 'supply_update_cycle.sql',
  paramsSchema: z
    .object({
      daily_days: z
        .enum(['working', 'calendar'])
        .default('working')
        .describe(
          'days on which daily and realtime resources owe a batch: working days or every day (with working days, a week without one owes no weekly batch)',
        ),
    })
    .strict(),
  bind: (_rule, params) => ({ daily_days: params.daily_days }),
  // a resource's passing windows are one evaluation row
  passGroup: SUBJECT_PREFIX,
  groupsPasses: true,
  // a working day with no batch at all from any provider is the platform's gap, not the department's
  dependsOn: ['supply_batches'],
  // one missed day or week is a gap; a missed month, quarter, half-year or year leaves the data stale
  // a missed day or week is minor; a missed month, quarter, half-year or year is major
  severity: severitySql(
    `case when json_extract_string(evidence, '$.cycle') in ('realtime', 'daily', 'weekly') then 'minor' else 'major' end`,
  ),
});
