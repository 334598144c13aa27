// The stable rule ids of RULES.md, used in config, code, findings, exports and reports.
export const RULE_IDS = [
  'catalog.change_update',
  'catalog.quarterly_review',
  'catalog.metadata_complete',
  'catalog.restricted_basis',
  'catalog.base_unconditional',
  'catalog.mounted',
  'supply.request_response',
  'supply.request_unanswered',
  'supply.rejection_basis',
  'supply.update_cycle',
  'quality.verification_response',
  'quality.error_corrected',
  'quality.conformance',
  'quality.one_source',
  'misuse.unapproved_access',
  'misuse.beyond_scope',
  'misuse.anomalous_volume',
  'misuse.duplicate_collection',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
