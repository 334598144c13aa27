// One scoring run: the profile's enabled rules over one period as of one date, then the scores. The run id
// is a hash of everything the result depends on (loaded batches, profile and scoring method, calendar
// version, period, as-of, the review log, code version): the same inputs always give the same run id, and
// its findings, evaluations and scores replace the old ones. That hash is the manifest id of exports.
import { createHash } from 'node:crypto';
import { AppError, CalendarGapError, ConfigError } from '../config/errors.ts';
import { formatZodIssues } from '../config/zod-issues.ts';
import { localTimestamp } from '../config/local-time.ts';
import type { Profile, RuleConfig, RuleId } from '../config/profile.ts';
import type { Db, Params } from '../store/db.ts';
import type { WorkCalendar } from './calendar.ts';
import { writeCalendarTable } from './calendar-table.ts';
import {
  applyGaps,
  GATE_ROWS_SQL,
  gapDays,
  gapEvidence,
  writeGapTable,
  type GatedSource,
} from './data-gaps.ts';
import { buildFinding, FINDING_ID_SQL, toEvaluation, type Finding, type RuleRow } from './findings.ts';
import type { Period } from './periods.ts';
import { reviewLogState } from './reviews.ts';
import { boundParams, ruleSql, type AnyRuleDefinition } from './rule-definition.ts';
import { loadRuleDefinitions } from './rule-registry.ts';
import { scoreRun, storeScores } from './score-departments.ts';
import { insertEvaluations, insertFindings } from './store-findings.ts';

export { yearPeriod, type Period } from './periods.ts';

export interface RunInput {
  profile: Profile;
  calendar: WorkCalendar;
  period: Period;
  asOf: string;
  codeVersion: string;
  now: Date;
  /** Called with each rule's wall time (shared temp tables included), for profiling runs. */
  onRuleTimed?: (ruleId: RuleId, ms: number) => void;
}

export interface RunSummary {
  runId: string;
  period: Period;
  asOf: string;
  perRule: Array<{
    rule_id: RuleId;
    findings: number;
    pending_calendar: number;
    data_gap: number;
    evaluated: number;
  }>;
  notImplemented: RuleId[];
  disabled: RuleId[];
  batches: number;
}

export interface Manifest {
  batches: string[];
  profile: [string, string, string];
  calendar: string;
  period: Period;
  as_of: string;
  reviews: { seq: number; hash: string };
  code: string;
}

export function manifestId(manifest: Manifest): string {
  return 'M-' + createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
}

async function buildManifest(db: Db, input: RunInput): Promise<Manifest> {
  const rows = await db.query<{ content_hash: string }>(
    `select content_hash from batches where status = 'loaded' order by content_hash`,
  );
  return {
    batches: rows.map((r) => r.content_hash),
    profile: [input.profile.id, input.profile.version, input.profile.hash],
    calendar: input.calendar.version,
    period: input.period,
    as_of: input.asOf,
    reviews: await reviewLogState(db),
    code: input.codeVersion,
  };
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

interface RuleResult {
  evaluated: number;
  findings: Finding[];
}

function relevantGaps(def: AnyRuleDefinition, gaps: Map<GatedSource, string[]>): Map<GatedSource, string[]> {
  const dependsOn = def.dependsOn ?? [];
  return new Map([...gaps].filter(([source]) => dependsOn.includes(source)));
}

/**
 * A SQL rule's rows stay in DuckDB: gated there, written to `evaluations` there; only the rows that are not
 * 'ok' (the findings) come to JS. A daily supply rule over a province is millions of rows.
 */
async function runSqlRule(
  db: Db,
  ctx: {
    runId: string;
    profileId: string;
    ruleId: RuleId;
    sql: string;
    values: Params;
    gaps: Map<GatedSource, string[]>;
  },
): Promise<{ evaluated: number; rows: RuleRow[] }> {
  await db.run(`create or replace temp table _sw_rows as ${ctx.sql}`, boundParams(ctx.sql, ctx.values));
  const gapDaysList = [...ctx.gaps.values()].flat();
  if (gapDaysList.length > 0) {
    await writeGapTable(db, gapDaysList);
    await db.run(GATE_ROWS_SQL);
  }
  const columns = new Set(
    (
      await db.query<{ column_name: string }>(
        `select column_name from duckdb_columns() where table_name = '_sw_rows' and database_name = 'temp'`,
      )
    ).map((c) => c.column_name),
  );
  const units = columns.has('units') ? 'coalesce(units, 1)' : '1';
  const failed = columns.has('failed_units')
    ? `coalesce(failed_units, case when status = 'ok' then 0 else 1 end)`
    : `case when status = 'ok' then 0 else 1 end`;
  const inserted = await db.run(
    `insert into evaluations select $run, $rule, dept_code, subject_id, status, ${units}, ${failed}, ${FINDING_ID_SQL} from _sw_rows`,
    { run: ctx.runId, rule: ctx.ruleId, profile: ctx.profileId },
  );
  const rows = await db.query<RuleRow>(`select * from _sw_rows where status <> 'ok' order by subject_id`);
  await db.run('drop table _sw_rows');
  return { evaluated: Number(inserted.rowsChanged), rows };
}

async function runOneRule(
  db: Db,
  input: RunInput,
  runId: string,
  def: AnyRuleDefinition,
  rule: RuleConfig,
  allGaps: Map<GatedSource, string[]>,
): Promise<RuleResult> {
  const started = performance.now();
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
  const gaps = relevantGaps(def, allGaps);
  let rows: RuleRow[];
  let evaluated: number;
  if (def.compute) {
    const all = applyGaps(
      await def.compute({ db, rule, profile: input.profile, params, calendar: input.calendar, values }),
      gaps,
    );
    await insertEvaluations(
      db,
      all.map((row) => toEvaluation(row, input.profile.id, rule.id, runId)),
    );
    rows = all.filter((row) => row.status !== 'ok');
    evaluated = all.length;
  } else {
    ({ rows, evaluated } = await runSqlRule(db, {
      runId,
      profileId: input.profile.id,
      ruleId: rule.id,
      sql: ruleSql(def.sql!),
      values,
      gaps,
    }));
    rows = rows.map((row) => {
      const gap = row.status === 'data_gap' ? gapEvidence(row, gaps) : null;
      return gap ? { ...row, evidence: { ...row.evidence, data_gap: gap } } : row;
    });
  }
  const days = def.clockDays?.(rule, input.profile);
  const findings = rows.map((row) =>
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
  input.onRuleTimed?.(rule.id, performance.now() - started);
  return { evaluated, findings };
}

function checkInput(input: RunInput): void {
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
}

async function collectGaps(
  db: Db,
  input: RunInput,
  definitions: AnyRuleDefinition[],
): Promise<Map<GatedSource, string[]>> {
  const sources = new Set(definitions.flatMap((d) => d.dependsOn ?? []));
  const end = input.asOf < input.period.end ? input.asOf : input.period.end;
  const gaps = new Map<GatedSource, string[]>();
  for (const source of sources) gaps.set(source, await gapDays(db, source, input.period.start, end));
  return gaps;
}

async function clearRun(db: Db, runId: string): Promise<void> {
  for (const table of ['findings', 'runs', 'evaluations', 'scores', 'indicator_scores']) {
    await db.run(`delete from ${table} where run_id = $run`, { run: runId });
  }
}

async function storeRun(
  db: Db,
  input: RunInput,
  manifest: Manifest,
  runId: string,
  findings: Finding[],
): Promise<void> {
  await db.run(
    `insert into runs (run_id, profile_id, profile_version, profile_hash, calendar_version, period, period_start, period_end,
       as_of, batch_hashes, review_seq, code_version, created_at)
     values ($run, $pid, $pver, $phash, $cal, $label, $start::date, $end::date, $asof::date, $hashes::json, $rseq, $code, $now::timestamp)`,
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
      hashes: JSON.stringify(manifest.batches),
      rseq: manifest.reviews.seq,
      code: input.codeVersion,
      now: localTimestamp(input.now),
    },
  );
  await insertFindings(db, findings);
  const scores = await scoreRun(db, input.profile, runId, manifest.reviews.seq);
  await storeScores(db, runId, input.profile, input.period.label, scores);
}

export async function runRules(db: Db, input: RunInput): Promise<RunSummary> {
  checkInput(input);
  await writeCalendarTable(db, input.calendar);
  const manifest = await buildManifest(db, input);
  const runId = manifestId(manifest);
  const summary: RunSummary = {
    runId,
    period: input.period,
    asOf: input.asOf,
    perRule: [],
    notImplemented: [],
    disabled: [],
    batches: manifest.batches.length,
  };
  const definitions = await loadRuleDefinitions();
  const active = [...input.profile.rules.values()].filter((r) => r.enabled && definitions.has(r.id));
  const gaps = await collectGaps(
    db,
    input,
    active.map((r) => definitions.get(r.id)!),
  );
  await db.withTransaction(async () => {
    await clearRun(db, runId);
    const findings: Finding[] = [];
    for (const [ruleId, rule] of input.profile.rules) {
      const def = definitions.get(ruleId);
      if (!rule.enabled) summary.disabled.push(ruleId);
      else if (!def) summary.notImplemented.push(ruleId);
      else {
        const result = await runOneRule(db, input, runId, def, rule, gaps);
        for (const f of result.findings) findings.push(f);
        const count = (status: string) => result.findings.filter((f) => f.status === status).length;
        summary.perRule.push({
          rule_id: ruleId,
          findings: result.findings.length - count('pending_calendar') - count('data_gap'),
          pending_calendar: count('pending_calendar'),
          data_gap: count('data_gap'),
          evaluated: result.evaluated,
        });
      }
    }
    await storeRun(db, input, manifest, runId, findings);
  });
  return summary;
}
