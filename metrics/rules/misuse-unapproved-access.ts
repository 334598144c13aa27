// misuse.unapproved_access: reads of conditional data without a valid approval of the consumer's own.
import { defineRule, severity, SUBJECT_PREFIX } from '../rule-definition.ts';

export default defineRule({
  id: 'misuse.unapproved_access',
  sql: 'misuse_unapproved_access.sql',
  needs: ['int_access_authorisation'],
  // a consumer's passing months on a resource are one evaluation row
  passGroup: SUBJECT_PREFIX,
  reviewGrounds: ['event_ids', 'reasons'],
  severity: severity('serious'),
});
