// catalog.quarterly_review: each department with a published catalog does a full review (全面维护) at least
// once per calendar quarter. Only a catalog_changes record with action full_review counts: an ordinary
// modification is not a review of the whole catalog, and snapshots alone cannot show one.
import { defineRule, severity } from '../rule-definition.ts';

export default defineRule({
  id: 'catalog.quarterly_review',
  sql: 'catalog_quarterly_review.sql',
  // what the department did in the quarter; not its entry count or the platform-wide catalog_changes_from,
  // which another department's export moves (a decision must not lapse for that)
  reviewGrounds: ['quarter', 'full_review_change_ids'],
  severity: severity('minor'),
});
