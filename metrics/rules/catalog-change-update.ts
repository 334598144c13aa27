// catalog.change_update: the catalog updated within N working days of a law revision or function change.
import { byLateness, defineRule, ruleDays } from '../rule-definition.ts';

export default defineRule({
  id: 'catalog.change_update',
  sql: 'catalog_change_update.sql',
  bind: (rule) => ({ days: rule.days! }),
  clockDays: ruleDays,
  severity: byLateness,
});
