// One scoring run: the profile's enabled rules over one period as of one date. The run id is a hash of
// everything the result depends on (loaded batches, profile hash, calendar version, period, as-of, code
// version), so the same inputs always give the same run id and the same findings, which replace the old.
import { createHash } from 'node:crypto';
import { AppError, CalendarGapError, ConfigError } from '../config/errors.ts';
import { formatZodIssues } from '../config/zod-issues.ts';
import type { Profile, RuleConfig, RuleId } from '../config/profile.ts';
import type { Db, Params } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';
import { writeCalendarTable } from './calendar-table.ts';
import { buildFinding, toEvaluation, type Evaluation, type Finding, type RuleRow } from './findings.ts';
import { boundParams, ruleSql, type AnyRuleDefinition } from './rule-definition.ts';
import { loadRuleDefinitions } from './rule-registry.ts';
import { insertEvaluations, insertFindings } from './store-findings.ts';

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

/** Validates the rule's `params:` with its own schema; errors name the profile file and the key path. */
export function ruleParams(def: AnyRuleDefinition, rule: RuleConfig, profile: Profile): unknown {
  if (!def.paramsSchema) return {};
  const parsed = def.paramsSchema.safeParse(rule.params ?? {});
  if (parsed.success) return parsed.data;
  const prefix = `rules.${rule.id}.params`;
  throw new ConfigError(
    profile.file,
    formatZodIssues(parsed.error).map(
      (issue) => `${prefix}${issue.startsWith('(root)') ? issue.slice(6) : '.' + issue}`,
    ),
  );
}

async function runOneRule(
  db: Db,
  input: RunInput,
  runId: string,
  def: AnyRuleDefinition,
  rule: RuleConfig,
): Promise<{ evaluations: Evaluation[]; findings: Finding[] }> {
  const params = ruleParams(def, rule, input.profile);
  const values: Params = {
    period_start: input.period.start,
    period_end: input.period.end,
    as_of: input.asOf,
    ...(def.bind?.(rule, params, input.profile) ?? {}),
  };
  for (const view of def.needs ?? []) {
    const sql = ruleSql(`${view}.sql`);
    await db.run(sql, boundParams(sql, values));
  }
  let rows: RuleRow[];
  if (def.compute) {
    rows = await def.compute({ db, rule, profile: input.profile, params, calendar: input.calendar, values });
  } else {
    const sql = ruleSql(def.sql!);
    rows = await db.query<RuleRow>(sql, boundParams(sql, values));
  }
  const days = def.clockDays?.(rule, input.profile);
  const evaluations = rows.map((row) => toEvaluation(row, input.profile.id, rule.id, runId));
  const findings = rows
    .filter((row) => row.status !== 'ok')
    .map((row) =>
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
  return { evaluations, findings };
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
  const evaluations: Evaluation[] = [];
  const definitions = await loadRuleDefinitions();
  for (const [ruleId, rule] of input.profile.rules) {
    const def = definitions.get(ruleId);
    if (!rule.enabled) summary.disabled.push(ruleId);
    else if (!def) summary.notImplemented.push(ruleId);
    else {
      const result = await runOneRule(db, input, runId, def, rule);
      const found = result.findings;
      findings.push(...found);
      evaluations.push(...result.evaluations);
      const pending = found.filter((f) => f.status === 'pending_calendar').length;
      summary.perRule.push({ rule_id: ruleId, findings: found.length - pending, pending_calendar: pending });
    }
  }
  await db.withTransaction(async () => {
    await db.run('delete from findings where run_id = $run', { run: runId });
    await db.run('delete from runs where run_id = $run', { run: runId });
    await db.run('delete from evaluations where run_id = $run', { run: runId });
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
    await insertEvaluations(db, evaluations);
  });
  return summary;
}
