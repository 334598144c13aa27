// What a rule is: one TS wrapper per rule in metrics/rules/<rule-id>.ts (kebab-case), usually around one SQL
// file of the same name in snake_case. Rule-specific profile settings (`params:` in the profile YAML) are
// validated by the rule's own zod schema, so a typo in a profile fails with the file and the key path.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Profile, RuleConfig, RuleId } from '../config/profile.ts';
import type { Db, Params } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';
import type { RuleRow } from './findings.ts';
import type { GatedSource } from './data-gaps.ts';

export type Severity = 'minor' | 'major' | 'serious';

export interface RuleContext<P> {
  db: Db;
  rule: RuleConfig;
  profile: Profile;
  params: P;
  calendar: WorkCalendar;
  /** period_start, period_end, as_of, plus what the rule's `bind` adds. */
  values: Params;
}

export interface RuleDefinition<P = Record<string, unknown>> {
  id: RuleId;
  /** The SQL file in metrics/rules/ (snake_case); its rows and those of `compute` (if any) are the rule's. */
  sql?: string;
  /** The SQL gives `units` and `failed_units`: a subject weighs its rows in the rate indicator. */
  weighted?: boolean;
  /** Temp tables the rule reads, built first from metrics/rules/<name>.sql with the same parameters. */
  needs?: string[];
  paramsSchema?: z.ZodType<P>;
  /** Extra bound parameters for the SQL, from the rule settings and params. */
  bind?: (rule: RuleConfig, params: P, profile: Profile) => Params;
  /** Working days of the rule's clock, when it has one: its findings then explain the deadline. */
  clockDays?: (rule: RuleConfig, profile: Profile) => number | undefined;
  /** Rows computed in TypeScript (small counts: data samples), added to those of `sql`. */
  compute?: (ctx: RuleContext<P>) => Promise<RuleRow[]>;
  /**
   * The group whose passes are stored as one evaluation row counting them (`subjects`), as a SQL expression
   * over _sw_rows (subject_id, dept_code): a province-year has millions of passing windows, which nothing
   * shows one by one. Findings stay one row each. Not applied where the rule shares a rate indicator with
   * another rule (a subject judged by both counts once there, so each pass must be known).
   */
  passGroup?: string;
  /**
   * The SQL gives the passes of a group as one row itself (subject '<group>/*', `subjects` their count) when
   * the bound $group_passes is true (the run groups this rule's passes), and one row per pass otherwise.
   */
  groupsPasses?: boolean;
  /**
   * The keys of a finding's evidence records that an evaluator's decision rests on: when they change in a later
   * run (another unapproved read in the same month), the decision no longer applies. Default: every record
   * key but batch_id and snapshot_date (the same record re-sent in a later export, or a catalog entry unchanged
   * in a later snapshot, is the same ground).
   */
  reviewGrounds?: string[];
  /** Sources whose missing days make a finding a data gap rather than the department's fault. */
  dependsOn?: GatedSource[];
  /**
   * The severity of a finding as a SQL expression over the rule's rows (columns of _sw_rows: status, units,
   * failed_units, late_working_days, evidence as JSON), giving 'minor', 'major' or 'serious'.
   */
  severity: SeveritySql;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRuleDefinition = RuleDefinition<any>;

export function defineRule<P>(definition: RuleDefinition<P>): RuleDefinition<P> {
  return definition;
}

export function ruleSql(file: string): string {
  return readFileSync(new URL(`./rules/${file}`, import.meta.url), 'utf8');
}

/** Only the parameters a statement mentions are bound (DuckDB rejects unused ones). */
export function boundParams(sql: string, values: Params): Params {
  const used = new Set([...sql.matchAll(/\$([a-z_]+)/g)].map((m) => m[1]!));
  return Object.fromEntries(Object.entries(values).filter(([k]) => used.has(k)));
}

export type SeveritySql = string & { readonly __severitySql: true };

/** A fixed severity. */
export const severity = (value: Severity): SeveritySql => `'${value}'` as SeveritySql;

/** A severity computed per row; the expression must give one of the Severity values. */
export const severitySql = (expression: string): SeveritySql => `(${expression})` as SeveritySql;

/**
 * Minor when at most 5 working days late, else major. When the calendar does not reach the observation the
 * working days are unknown; at most 5 calendar days late is then still certainly minor (working days never
 * exceed calendar days), anything more is major.
 */
export const byLateness = severitySql(
  `case when coalesce(late_working_days, late_calendar_days) <= 5 then 'minor' else 'major' end`,
);

export const ruleDays = (rule: RuleConfig): number | undefined => rule.days;

/** passGroup: the subject id without its last part (R002/2026-W02 -> R002; D01/R002/2026-03 -> D01/R002). */
export const SUBJECT_PREFIX = `regexp_replace(subject_id, '/[^/]*$', '')`;
