// quality.error_corrected: a confirmed error is corrected (更正) within a grace period of N working days
// after the answer that confirmed it. No regulation gives a number ("及时更正" at most), so the grace period
// is the profile's choice (params.days, basis: default), counted like every other working-day deadline.
import { z } from 'zod';
import { byLateness, defineRule } from '../rule-definition.ts';

const paramsSchema = z
  .object({
    days: z
      .number()
      .int()
      .positive()
      .default(10)
      .describe('working days after the confirming answer within which the error must be corrected'),
  })
  .strict();

export default defineRule({
  id: 'quality.error_corrected',
  sql: 'quality_error_corrected.sql',
  paramsSchema,
  bind: (_rule, params) => ({ days: params.days }),
  // the run validates params before anything else, so parsing here cannot fail on a bad profile
  clockDays: (rule) => paramsSchema.parse(rule.params ?? {}).days,
  severity: byLateness,
});
