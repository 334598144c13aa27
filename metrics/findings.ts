// Turns a rule's SQL rows into findings: a stable id (profile, rule, subject), the article, the profile
// and its version, and the evidence, to which deadline rules add how the deadline was counted (start,
// deadline, the holidays and make-up days in the window) so an evaluator can show it to the department.
import { createHash } from 'node:crypto';
import type { Profile, RuleConfig } from '../config/profile.ts';
import type { WorkCalendar } from './calendar.ts';

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
  evidence: Record<string, unknown>;
  /** What the subject weighs in a rate indicator (default 1) and how much of it failed (default 0 or 1). */
  units?: number;
  failed_units?: number;
}

export interface Finding extends RuleRow {
  finding_id: string;
  run_id: string;
  rule_id: string;
  dimension: string;
  article: string;
  profile: string;
  profile_version: string;
  period: string;
  severity: string;
}

const SEP = '\u001f';

/** The same id in SQL, for evaluations written without a round trip through JS. */
export const FINDING_ID_SQL = `'F-' || left(sha256(concat($profile, chr(31), $rule, chr(31), subject_id)), 16)`;

export function findingId(profileId: string, ruleId: string, subjectId: string): string {
  return (
    'F-' +
    createHash('sha256').update(`${profileId}${SEP}${ruleId}${SEP}${subjectId}`).digest('hex').slice(0, 16)
  );
}

function clockEvidence(
  calendar: WorkCalendar,
  rule: RuleConfig,
  row: RuleRow,
  days: number,
): Record<string, unknown> {
  const start = row.started_on!;
  const end =
    [row.deadline, row.observed_on]
      .filter((d): d is string => d !== null)
      .sort()
      .pop() ?? start;
  const coveredEnd = calendar.covers(end) ? end : `${calendar.lastYear}-12-31`;
  const { holidays, makeupDays } = calendar.specialDaysBetween(
    start,
    coveredEnd < start ? start : coveredEnd,
  );
  return {
    start,
    working_days: days,
    deadline: row.deadline,
    observed_on: row.observed_on,
    counting: `自 ${start} 的次日起算（起算日不计入），第 ${days} 个工作日为期限；节假日不计，调休上班日计入`,
    basis: rule.basis,
    holidays: holidays.map((d) => ({ date: d.date, name: d.name })),
    makeup_days: makeupDays.map((d) => ({ date: d.date, name: d.name })),
    late_working_days: row.late_working_days,
    late_calendar_days: row.late_calendar_days,
    pending_calendar: row.status === 'pending_calendar',
  };
}

export function buildFinding(opts: {
  row: RuleRow;
  rule: RuleConfig;
  profile: Profile;
  calendar: WorkCalendar;
  runId: string;
  period: string;
  severity: string;
  days: number | undefined;
}): Finding {
  const { row, rule, profile } = opts;
  const evidence: Record<string, unknown> = {
    records: row.evidence,
    article: rule.citation,
    basis: rule.basis,
    profile: { id: profile.id, version: profile.version, hash: profile.hash },
    run_id: opts.runId,
  };
  if (opts.days !== undefined && row.started_on)
    evidence.clock = clockEvidence(opts.calendar, rule, row, opts.days);
  return {
    ...row,
    evidence,
    finding_id: findingId(profile.id, rule.id, row.subject_id),
    run_id: opts.runId,
    rule_id: rule.id,
    dimension: rule.id.split('.')[0]!,
    article: rule.citation,
    profile: profile.id,
    profile_version: profile.version,
    period: opts.period,
    severity: opts.severity,
  };
}

/** Every evaluated subject, finding or not: the denominators of rate indicators. */
export interface Evaluation {
  run_id: string;
  rule_id: string;
  dept_code: string;
  subject_id: string;
  status: string;
  units: number;
  failed_units: number;
  finding_id: string;
}

export function toEvaluation(row: RuleRow, profileId: string, ruleId: string, runId: string): Evaluation {
  return {
    run_id: runId,
    rule_id: ruleId,
    dept_code: row.dept_code,
    subject_id: row.subject_id,
    status: row.status,
    units: row.units ?? 1,
    failed_units: row.failed_units ?? (row.status === 'ok' ? 0 : 1),
    finding_id: findingId(profileId, ruleId, row.subject_id),
  };
}
