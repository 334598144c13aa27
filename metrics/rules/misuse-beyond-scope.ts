// misuse.beyond_scope: authorised reads that include items outside the approved items.
import { defineRule, severity } from '../rule-definition.ts';

export default defineRule({
  id: 'misuse.beyond_scope',
  sql: 'misuse_beyond_scope.sql',
  needs: ['int_access_authorisation'],
  severity: severity('major'),
});
