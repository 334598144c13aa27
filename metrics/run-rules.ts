// One scoring run: the profile's enabled rules over one period as of one date. The run id is a hash of
// everything the result depends on (loaded batches, profile hash, calendar version, period, as-of, code
// version), so the same inputs always give the same run id and the same findings, which replace the old.
import { createHash } from 'node:crypto';
import { AppError, CalendarGapError } from '../config/errors.ts';
import { enabledRule, type Profile, type RuleId } from '../config/profile.ts';
import type { Db, Params } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';
import { writeCalendarTable } from './calendar-table.ts';
import { buildFinding, type Finding, type RuleRow } from './findings.ts';
import { RULES, ruleSql } from './rule-registry.ts';
import { insertFindings } from './store-findings.ts';

export interface Period {
  label: string; // "2026", "2026-Q3", "2026-10"
  start: string;
  end: string;
}

export interface RunInput {
  profile: Profile;
  calendar: WorkCalendar;
  period: Period;
  asOf: string;
  codeVersion: string;
  now: Date;
}

export interface RunSummary {
  runId: string;
  period: Period;
  asOf: string;
  perRule: Array<{ rule_id: RuleId; findings: number; pending_calendar: number }>;
  notImplemented: RuleId[];
  disabled: RuleId[];
  batches: number;
}

export function yearPeriod(year: number): Period {
  return { label: String(year), start: `${year}-01-01`, end: `${year}-12-31` };
}

function boundParams(sql: string, values: Params): Params {
  const used = new Set([...sql.matchAll(/\$([a-z_]+)/g)].map((m) => m[1]!));
  return Object.fromEntries(Object.entries(values).filter(([k]) => used.has(k)));
}

async function manifestOf(db: Db, input: RunInput): Promise<{ runId: string; hashes: string[] }> {
  const rows = await db.query<{ content_hash: string }>(
    `select content_hash from batches where status = 'loaded' order by content_hash`,
  );
  const hashes = rows.map((r) => r.content_hash);
  const manifest = {
    batches: hashes,
    profile: [input.profile.id, input.profile.version, input.profile.hash],
    calendar: input.calendar.version,
    period: input.period,
    as_of: input.asOf,
    code: input.codeVersion,
  };
  const runId = 'M-' + createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  return { runId, hashes };
}

async function runOneRule(db: Db, input: RunInput, runId: string, ruleId: RuleId): Promise<Finding[]> {
  const def = RULES.find((r) => r.id === ruleId)!;
  const rule = enabledRule(input.profile, ruleId)!;
  const extra = def.params?.(rule, input.profile.rules) ?? {};
  const values: Params = {
    period_start: input.period.start,
    period_end: input.period.end,
    as_of: input.asOf,
    ...extra,
  };
  for (const view of def.needs ?? []) {
    const sql = ruleSql(`${view}.sql`);
    await db.run(sql, boundParams(sql, values));
  }
  const sql = ruleSql(def.sqlFile);
  const rows = await db.query<RuleRow & Record<string, unknown>>(sql, boundParams(sql, values));
  const days = typeof extra.days === 'number' ? extra.days : undefined;
  return rows.map((row) =>
    buildFinding({
      row,
      rule,
      profile: input.profile,
      calendar: input.calendar,
      runId,
      period: input.period.label,
      severity: def.severity(row),
      days,
    }),
  );
}

export async function runRules(db: Db, input: RunInput): Promise<RunSummary> {
  for (const date of [input.period.start, input.period.end]) {
    if (!input.calendar.covers(date))
      throw new CalendarGapError(Number(date.slice(0, 4)), input.calendar.calendarDir);
  }
  if (input.asOf < input.period.start) {
    throw new AppError(
      'as_of_before_period',
      `评估截止日 ${input.asOf} 早于评估期开始日 ${input.period.start}。`,
    );
  }
  await writeCalendarTable(db, input.calendar);
  const { runId, hashes } = await manifestOf(db, input);
  const summary: RunSummary = {
    runId,
    period: input.period,
    asOf: input.asOf,
    perRule: [],
    notImplemented: [],
    disabled: [],
    batches: hashes.length,
  };
  const findings: Finding[] = [];
  for (const [ruleId, rule] of input.profile.rules) {
    if (!rule.enabled) summary.disabled.push(ruleId);
    else if (!RULES.some((r) => r.id === ruleId)) summary.notImplemented.push(ruleId);
    else {
      const found = await runOneRule(db, input, runId, ruleId);
      findings.push(...found);
      const pending = found.filter((f) => f.status === 'pending_calendar').length;
      summary.perRule.push({ rule_id: ruleId, findings: found.length - pending, pending_calendar: pending });
    }
  }
  await db.withTransaction(async () => {
    await db.run('delete from findings where run_id = $run', { run: runId });
    await db.run('delete from runs where run_id = $run', { run: runId });
    await db.run(
      `insert into runs values ($run, $pid, $pver, $phash, $cal, $label, $start::date, $end::date, $asof::date, $hashes::json, $code, $now::timestamp)`,
      {
        run: runId,
        pid: input.profile.id,
        pver: input.profile.version,
        phash: input.profile.hash,
        cal: input.calendar.version,
        label: input.period.label,
        start: input.period.start,
        end: input.period.end,
        asof: input.asOf,
        hashes: JSON.stringify(hashes),
        code: input.codeVersion,
        now: input.now.toISOString().replace('T', ' ').replace('Z', ''),
      },
    );
    await insertFindings(db, findings);
  });
  return summary;
}
