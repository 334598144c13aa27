// misuse.unapproved_access: reads of conditional data without a valid approval of the consumer's own.
import { defineRule, severity } from '../rule-definition.ts';

export default defineRule({
  id: 'misuse.unapproved_access',
  sql: 'misuse_unapproved_access.sql',
  needs: ['int_access_authorisation'],
  severity: severity('serious'),
});
