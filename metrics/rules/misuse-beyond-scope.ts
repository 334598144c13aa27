// misuse.beyond_scope: authorised reads that include items outside the approved items.
import { defineRule, severity, SUBJECT_PREFIX } from '../rule-definition.ts';

export default defineRule({
  id: 'misuse.beyond_scope',
  sql: 'misuse_beyond_scope.sql',
  needs: ['int_access_authorisation'],
  // a consumer's passing months on a resource are one evaluation row
  passGroup: SUBJECT_PREFIX,
  reviewGrounds: ['event_ids', 'items_beyond_scope'],
  severity: severity('major'),
});
