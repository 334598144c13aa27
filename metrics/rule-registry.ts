// The rules implemented so far: which SQL file computes each, what it is about and how severe a finding is.
// A profile may enable a rule that is not implemented yet; the run then reports it as skipped, never as clean.
import { readFileSync } from 'node:fs';
import type { RuleConfig, RuleId } from '../config/profile.ts';

export interface RuleDefinition {
  id: RuleId;
  sqlFile: string;
  /** Views the rule reads besides stg_* and calendar, created first (from metrics/rules/<name>.sql). */
  needs?: string[];
  /** Extra bound parameters from the profile's rule settings. */
  params?: (rule: RuleConfig, all: Map<RuleId, RuleConfig>) => Record<string, number | boolean>;
  severity: (row: { late_working_days: number | null; status: string }) => 'minor' | 'major' | 'serious';
}

const byLateness = (row: { late_working_days: number | null }) =>
  row.late_working_days !== null && row.late_working_days <= 5 ? 'minor' : 'major';

const days = (rule: RuleConfig) => ({ days: rule.days! });

export const RULES: RuleDefinition[] = [
  { id: 'catalog.change_update', sqlFile: 'catalog_change_update.sql', params: days, severity: byLateness },
  {
    id: 'supply.request_response',
    sqlFile: 'supply_request_response.sql',
    params: days,
    severity: byLateness,
  },
  {
    id: 'supply.request_unanswered',
    sqlFile: 'supply_request_unanswered.sql',
    // The unanswered rule runs on the response rule's clock, so both always agree on the deadline.
    params: (_rule, all) => ({ days: all.get('supply.request_response')?.days ?? 10 }),
    severity: () => 'major',
  },
  {
    id: 'supply.rejection_basis',
    sqlFile: 'supply_rejection_basis.sql',
    params: (rule) => ({ require_legal_basis: rule.require_legal_basis ?? false }),
    severity: () => 'minor',
  },
  {
    id: 'quality.verification_response',
    sqlFile: 'quality_verification_response.sql',
    params: days,
    severity: byLateness,
  },
  {
    id: 'misuse.unapproved_access',
    sqlFile: 'misuse_unapproved_access.sql',
    needs: ['int_access_authorisation'],
    severity: () => 'serious',
  },
  {
    id: 'misuse.beyond_scope',
    sqlFile: 'misuse_beyond_scope.sql',
    needs: ['int_access_authorisation'],
    severity: () => 'major',
  },
];

export function ruleSql(file: string): string {
  return readFileSync(new URL(`./rules/${file}`, import.meta.url), 'utf8');
}

export const DIMENSION_OF_GROUP: Record<string, string> = {
  catalog: 'catalog',
  supply: 'supply',
  quality: 'quality',
  misuse: 'misuse',
};
