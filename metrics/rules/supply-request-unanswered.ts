// supply.request_unanswered: requests still open past their deadline. It runs on the clock of
// supply.request_response (its days), so the two rules can never disagree about a deadline.
import type { Profile } from '../../config/profile.ts';
import { defineRule, severity } from '../rule-definition.ts';

const responseDays = (profile: Profile): number => profile.rules.get('supply.request_response')?.days ?? 10;

export default defineRule({
  id: 'supply.request_unanswered',
  sql: 'supply_request_unanswered.sql',
  bind: (_rule, _params, profile) => ({ days: responseDays(profile) }),
  clockDays: (_rule, profile) => responseDays(profile),
  severity: severity('major'),
});
