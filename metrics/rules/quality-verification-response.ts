// quality.verification_response: data verification requests answered within N working days.
import { byLateness, defineRule, ruleDays } from '../rule-definition.ts';

export default defineRule({
  id: 'quality.verification_response',
  sql: 'quality_verification_response.sql',
  bind: (rule) => ({ days: rule.days! }),
  clockDays: ruleDays,
  severity: byLateness,
});
