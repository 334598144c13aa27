// supply.request_response: conditional-share requests answered within N working days.
import { byLateness, defineRule, ruleDays } from '../rule-definition.ts';

export default defineRule({
  id: 'supply.request_response',
  sql: 'supply_request_response.sql',
  bind: (rule) => ({ days: rule.days! }),
  clockDays: ruleDays,
  severity: byLateness,
});
