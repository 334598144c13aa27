// catalog.change_update: the catalog updated within N working days of a law revision or function change.
import { byLateness, defineRule, ruleDays } from '../rule-definition.ts';

export default defineRule({
  id: 'catalog.change_update',
  sql: 'catalog_change_update.sql',
  bind: (rule) => ({ days: rule.days! }),
  clockDays: ruleDays,
  // the event and the department's update; not records_cover, which another department's export moves
  reviewGrounds: [
    'event_id',
    'kind',
    'occurred_on',
    'reference',
    'first_change_id',
    'first_changed_at',
    'change_source',
    'updated',
  ],
  severity: byLateness,
});
