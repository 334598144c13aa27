// A rule's rows and the finding ids: a finding is a row that is not 'ok', identified by a stable hash of
// profile, rule and subject, so that an evaluator's decision on it carries over to later runs. Findings and
// their evidence are written by SQL (metrics/rule-rows.ts).

export interface RuleRow {
  dept_code: string;
  subject_type: string;
  subject_id: string;
  started_on: string | null;
  deadline: string | null;
  observed_on: string | null;
  late_working_days: number | null;
  late_calendar_days: number | null;
  /** 'ok' (evaluated, no finding), 'open', 'pending_calendar', 'needs_review', 'data_gap'. */
  status: string;
  evidence: Record<string, unknown> | null;
  /** What the subject weighs in a rate indicator (default 1) and how much of it failed (default 0 or 1). */
  units?: number;
  failed_units?: number;
}

/** The finding id in SQL over a subject column, with $profile and $rule bound: sha256 of the three, chr(31)-separated. */
export const findingIdSql = (subjectColumn: string): string =>
  `'F-' || left(sha256(concat($profile, chr(31), $rule, chr(31), ${subjectColumn})), 16)`;
