// Runs a profile's rules the way the metrics tests do: the repo's calendars, the year 2026 (or a given
// period), as of 2026-12-31 unless told, code version 'test' and the fixed clock. A rule's params can be
// replaced for one run.
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { loadProfile, type Profile, type RuleId } from '../../config/profile.ts';
import { WorkCalendar } from '../../metrics/calendar.ts';
import type { Period } from '../../metrics/periods.ts';
import { runRules, yearPeriod, type RunSummary } from '../../metrics/run-rules.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, repoConfig } from '../helpers.ts';

const config = repoConfig();
export const testCalendar = new WorkCalendar(loadCalendarSource(config.calendarsDir), config.calendarsDir);

export type RuleParams = Partial<Record<RuleId, Record<string, unknown>>>;

/** The profile (by id, from the repo) with the params of some rules replaced. */
export function testProfile(profile: Profile | string, params: RuleParams = {}): Profile {
  const base = typeof profile === 'string' ? loadProfile(config.profilesDir, profile) : profile;
  const rules = new Map(base.rules);
  for (const [id, p] of Object.entries(params))
    rules.set(id as RuleId, { ...rules.get(id as RuleId)!, params: p });
  return { ...base, rules };
}

export function runTestRules(
  db: Db,
  profile: Profile | string,
  options: { params?: RuleParams; period?: Period; asOf?: string } = {},
): Promise<RunSummary> {
  return runRules(db, {
    profile: testProfile(profile, options.params),
    calendar: testCalendar,
    period: options.period ?? yearPeriod(2026),
    asOf: options.asOf ?? '2026-12-31',
    codeVersion: 'test',
    now: FIXED_NOW,
  });
}

/** The findings of one rule in the profile's latest 2026 run, evidence parsed. */
export async function ruleFindings(db: Db, profileId: string, ruleId: string) {
  const { rows } = await latestRunFindings(db, profileId, '2026');
  return rows
    .filter((r) => r.rule_id === ruleId)
    .map((r) => ({ ...r, evidence: JSON.parse(r.evidence) as { records: Record<string, unknown> } }));
}
