// One scoring run: the profile's enabled rules over one period as of one date, then the scores. The run id
// is a hash of everything the result depends on (loaded batches, profile and scoring method, calendar
// version, period, as-of, the review log, code version): the same inputs always give the same run id, and
// its findings, evaluations and scores replace the old ones. That hash is the manifest id of exports.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError, CalendarGapError, ConfigError } from '../config/errors.ts';
import { readYaml } from '../config/parse-yaml.ts';
import { configErrorMap, formatZodIssues } from '../config/zod-issues.ts';
import { localTimestamp } from '../config/local-time.ts';
import type { Profile, RuleConfig, RuleId } from '../config/profile.ts';
import type { Db, Params } from '../store/db.ts';
import { addDays, type WorkCalendar } from './calendar.ts';
import { writeCalendarTable } from './calendar-table.ts';
import { gapDays, type GatedSource } from './data-gaps.ts';
import { createSupplyMacros } from './supply-obligations.ts';
import { previousPeriodLabel, type Period } from './periods.ts';
import { decisionsForRun, effectiveStatus, reviewLogState } from './reviews.ts';
import { boundParams, ruleSql, type AnyRuleDefinition } from './rule-definition.ts';
import { loadRuleDefinitions } from './rule-registry.ts';
import { enabledRules, scoreRun, storeScores } from './score-departments.ts';
import { latestCompleteRun } from './score-queries.ts';
import {
  createRowsTable,
  dropRuleTables,
  gateRows,
  insertComputedRows,
  insertEvaluations,
  insertFindings,
  insertSqlRows,
} from './rule-rows.ts';

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
  /** Called with the wall time of the run's other steps: the data gaps, the scores, the commit. */
  onPhaseTimed?: (phase: 'data gaps' | 'scores' | 'commit', ms: number) => void;
  /**
   * The previous period's run the change is measured against. Left out, it is the latest complete run of
   * the previous period under the same profile in the database; `verify` passes the one a manifest names.
   */
  previousRun?: string | null;
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
    /** of `findings`, those an evaluator's decision in this run takes out of the count */
    dismissed: number;
    exempted: number;
  }>;
  notImplemented: RuleId[];
  disabled: RuleId[];
  batches: number;
  /** The previous period and the run the change is measured against (null: no complete run of it). */
  previous: { period: string; runId: string | null };
  /** Department codes the run's records name that the departments register lacks: not scored, not ranked. */
  unregistered: Array<{ dept_code: string; findings: number }>;
}

export interface Manifest {
  /** Content hashes of the loaded batches in load order: a record loaded again later replaces its earlier state. */
  batches: string[];
  profile: [string, string, string];
  calendar: string;
  period: Period;
  as_of: string;
  reviews: { seq: number; hash: string };
  code: string;
  /** The previous period's run whose totals the change is measured against, or null. */
  previous: string | null;
}

export function manifestId(manifest: Manifest): string {
  return 'M-' + createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
}

async function buildManifest(db: Db, input: RunInput): Promise<Manifest> {
  const rows = await db.query<{ content_hash: string }>(
    `select content_hash from batches where status = 'loaded' order by seq`,
  );
  return {
    batches: rows.map((r) => r.content_hash),
    profile: [input.profile.id, input.profile.version, input.profile.hash],
    calendar: input.calendar.version,
    period: input.period,
    as_of: input.asOf,
    reviews: await reviewLogState(db),
    code: input.codeVersion,
    previous:
      input.previousRun !== undefined
        ? input.previousRun
        : await latestCompleteRun(db, input.profile, previousPeriodLabel(input.period.label)),
  };
}

/** Validates the rule's `params:` with its own schema; errors name the profile file, key path and line. */
export function ruleParams(def: AnyRuleDefinition, rule: RuleConfig, profile: Profile): unknown {
  if (!def.paramsSchema) return {};
  const { data, problems } = paramProblems(def, rule, profile);
  if (problems.length > 0) throw new ConfigError(profile.file, problems);
  return data;
}

/**
 * A rule's params as its schema reads them, or what is wrong with them (key path and line): params on a rule
 * that takes none do nothing, and are a problem too.
 */
function paramProblems(
  def: AnyRuleDefinition,
  rule: RuleConfig,
  profile: Profile,
): { data: unknown; problems: string[] } {
  const path = ['rules', ...rule.id.split('.'), 'params'];
  // the profile's text is read for its lines only when something is wrong
  const at = () => readYaml(profile.file, profile.source.text, { stored: profile.stored }).at;
  if (!def.paramsSchema) {
    const given = rule.params !== undefined && Object.keys(rule.params).length > 0;
    const problem = `${path.join('.')}${given ? at()(path) : ''}：此规则没有可设置的参数（params），请删除此项`;
    return { data: {}, problems: given ? [problem] : [] };
  }
  const parsed = def.paramsSchema.safeParse(rule.params ?? {}, { error: configErrorMap });
  if (parsed.success) return { data: parsed.data, problems: [] };
  return { data: undefined, problems: formatZodIssues(parsed.error, { at: at(), prefix: path }) };
}

/**
 * The params of every rule a profile writes, whether it runs or not, so that a slip in a rule turned off today
 * is found now, not on the day it is turned on. Not asked of a stored profile (a run recomputed): it was what
 * it was.
 */
function checkAllParams(profile: Profile, definitions: Map<RuleId, AnyRuleDefinition>): void {
  if (profile.stored) return;
  const problems = [...profile.rules.values()].flatMap((rule) => {
    const def = definitions.get(rule.id);
    return def ? paramProblems(def, rule, profile).problems : [];
  });
  if (problems.length > 0) throw new ConfigError(profile.file, problems);
}

interface RuleCounts {
  evaluated: number;
  findings: number;
  pending_calendar: number;
  data_gap: number;
}

function relevantGaps(def: AnyRuleDefinition, gaps: Map<GatedSource, string[]>): Map<GatedSource, string[]> {
  const dependsOn = def.dependsOn ?? [];
  return new Map([...gaps].filter(([source]) => dependsOn.includes(source)));
}

/** The rule feeds a rate indicator with another enabled rule: there each subject counts once, by its id. */
function sharesRateIndicator(profile: Profile, ruleId: RuleId): boolean {
  const enabled = enabledRules(profile);
  return profile.scoring.dimensions.some((d) =>
    d.indicators.some(
      (x) =>
        x.method === 'rate' && x.rules.includes(ruleId) && x.rules.filter((r) => enabled.has(r)).length > 1,
    ),
  );
}

/**
 * One rule: its rows (SQL, plus any computed in TypeScript) into _sw_rows, gated, then written to
 * evaluations and findings by SQL. `built` remembers the shared temp tables (`needs`) already built in this
 * run with the same parameters: the access rules share one table over the whole access log.
 */
async function runOneRule(
  db: Db,
  input: RunInput,
  runId: string,
  def: AnyRuleDefinition,
  rule: RuleConfig,
  allGaps: Map<GatedSource, string[]>,
  built: Map<string, string>,
): Promise<RuleCounts> {
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
    const bound = boundParams(sql, values);
    const key = JSON.stringify(bound);
    if (built.get(view) === key) continue;
    await db.run(sql, bound);
    built.set(view, key);
  }
  const passGroup = sharesRateIndicator(input.profile, rule.id) ? undefined : def.passGroup;
  await createRowsTable(db);
  if (def.sql) {
    const bound = { ...values, group_passes: passGroup !== undefined };
    await insertSqlRows(db, ruleSql(def.sql), bound, def);
  }
  if (def.compute) {
    const ctx = { db, rule, profile: input.profile, params, calendar: input.calendar, values };
    await insertComputedRows(db, await def.compute(ctx));
  }
  await gateRows(db, relevantGaps(def, allGaps));
  const ids = { run: runId, rule: rule.id, profile: input.profile.id };
  const evaluated = await insertEvaluations(db, ids, passGroup);
  const counts = await insertFindings(db, {
    run: runId,
    rule: rule.id,
    dimension: rule.id.split('.')[0]!,
    article: rule.citation,
    basis: rule.basis,
    basis_note: rule.note?.trim() || null,
    calendar_version: input.calendar.version,
    profile: input.profile.id,
    profile_version: input.profile.version,
    profile_hash: input.profile.hash,
    period: input.period.label,
    days: def.clockDays?.(rule, input.profile),
    severitySql: def.severity,
  });
  await dropRuleTables(db);
  input.onRuleTimed?.(rule.id, performance.now() - started);
  return { evaluated, ...counts };
}

/** The calendar must cover the whole period: deadlines and windows are counted on it. */
export function checkCalendarCovers(calendar: WorkCalendar, period: Period): void {
  if (calendar.covers(period.start) && calendar.covers(period.end)) return;
  // every year from the first the calendar lacks to the period's (2027 and 2028 for a 2028 period when 2026
  // is the last covered; 2027 alone when 2028.yaml was added), or the period's years before the calendar begins
  const year = Number(period.end.slice(0, 4));
  const from = year > calendar.lastYear ? calendar.lastYear + 1 : Number(period.start.slice(0, 4));
  const to = year > calendar.lastYear ? year : Math.min(year, calendar.firstYear - 1);
  const missing = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  // a year whose file is there but lies after a gap is not to add: the gap's years are
  const toAdd = missing.filter((y) => !calendar.years.includes(y));
  throw new CalendarGapError(toAdd.length > 0 ? toAdd : missing, calendar.calendarDir);
}

function checkInput(input: RunInput): void {
  checkCalendarCovers(input.calendar, input.period);
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
  const start = earliestWindowStart(input.period);
  const gaps = new Map<GatedSource, string[]>();
  // daily windows on rest days too: then the platform owes batches every day
  const everyDay = input.profile.rules.get('supply.update_cycle')?.params?.daily_days === 'calendar';
  for (const source of sources)
    gaps.set(source, await gapDays(db, source, { start, end, asOf: input.asOf, everyDay }));
  return gaps;
}

/**
 * The first day of the earliest window a gated rule judges in the period: supply.update_cycle judges the
 * windows that end in the period, and they reach back before it (the year's window judged in December,
 * the ISO week that ends on the period's first Sunday). A gap day there must gate the window as it does in
 * the run of the period that holds the day: a window's status must not depend on which period judges it.
 */
function earliestWindowStart(period: Period): string {
  const yearStart = `${period.start.slice(0, 4)}-01-01`;
  const weekBefore = addDays(period.start, -6);
  return weekBefore < yearStart ? weekBefore : yearStart;
}

/** The departments a run evaluated that are not in the departments register (none when there is no register). */
async function unregisteredDepartments(db: Db, runId: string): Promise<RunSummary['unregistered']> {
  return db.query<{ dept_code: string; findings: number }>(
    `select dept_code, count(*) filter (where finding_id is not null)::integer as findings
     from evaluations
     where run_id = $run
       and exists (select 1 from stg_departments)
       and dept_code not in (select dept_code from stg_departments)
     group by dept_code order by dept_code`,
    { run: runId },
  );
}

async function clearRun(db: Db, runId: string): Promise<void> {
  for (const table of ['findings', 'runs', 'evaluations', 'scores', 'indicator_scores']) {
    await db.run(`delete from ${table} where run_id = $run`, { run: runId });
  }
}

async function storeRun(db: Db, input: RunInput, manifest: Manifest, runId: string): Promise<void> {
  await db.run(
    `insert into runs (run_id, profile_id, profile_version, profile_hash, calendar_version, period, period_start, period_end,
       as_of, batch_hashes, review_seq, code_version, created_at, previous_run_id, review_hash)
     values ($run, $pid, $pver, $phash, $cal, $label, $start::date, $end::date, $asof::date, $hashes::json, $rseq, $code,
       $now::timestamp, $previous, $rhash)`,
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
      previous: manifest.previous,
      rhash: manifest.reviews.hash,
    },
  );
  await db.run('insert or ignore into calendar_sources values ($version, $source)', {
    version: input.calendar.version,
    source: input.calendar.serialize(),
  });
  await db.run(
    `insert or ignore into profile_sources values ($hash, $id, $version, $file, $text, $scoring)`,
    {
      hash: input.profile.hash,
      id: input.profile.id,
      version: input.profile.version,
      file: path.basename(input.profile.file),
      text: input.profile.source.text,
      scoring: input.profile.source.defaultScoringText,
    },
  );
  const scores = await scoreRun(db, input.profile, runId, manifest.reviews.seq);
  await storeScores(db, runId, input.period.label, scores, manifest.previous);
}

export async function runRules(db: Db, input: RunInput): Promise<RunSummary> {
  checkInput(input);
  await writeCalendarTable(db, input.calendar);
  await createSupplyMacros(db);
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
    previous: { period: previousPeriodLabel(input.period.label), runId: manifest.previous },
    unregistered: [],
  };
  const definitions = await loadRuleDefinitions();
  checkAllParams(input.profile, definitions);
  const active = [...input.profile.rules.values()].filter((r) => r.enabled && definitions.has(r.id));
  let started = performance.now();
  const gaps = await collectGaps(
    db,
    input,
    active.map((r) => definitions.get(r.id)!),
  );
  input.onPhaseTimed?.('data gaps', performance.now() - started);
  await db.withTransaction(async () => {
    await clearRun(db, runId);
    const built = new Map<string, string>();
    for (const [ruleId, rule] of input.profile.rules) {
      const def = definitions.get(ruleId);
      if (!rule.enabled) summary.disabled.push(ruleId);
      else if (!def) summary.notImplemented.push(ruleId);
      else {
        const counts = await runOneRule(db, input, runId, def, rule, gaps, built);
        summary.perRule.push({ rule_id: ruleId, ...counts, dismissed: 0, exempted: 0 });
      }
    }
    const scoring = performance.now();
    await storeRun(db, input, manifest, runId);
    input.onPhaseTimed?.('scores', performance.now() - scoring);
    started = performance.now();
  });
  input.onPhaseTimed?.('commit', performance.now() - started);
  summary.unregistered = await unregisteredDepartments(db, runId);
  await countDecided(db, summary, manifest.reviews.seq);
  return summary;
}

/** The findings that the evaluators' decisions the run includes dismiss or exempt, per rule. */
async function countDecided(db: Db, summary: RunSummary, reviewSeq: number): Promise<void> {
  const decisions = await decisionsForRun(db, summary.runId, reviewSeq);
  if (decisions.size === 0) return;
  const rows = await db.query<{ finding_id: string; rule_id: string; status: string }>(
    `select finding_id, rule_id, status from findings
     where run_id = $run and finding_id in (select finding_id from reviews)`,
    { run: summary.runId },
  );
  for (const r of rows) {
    const status = effectiveStatus(r.status, decisions.get(r.finding_id)?.decision);
    const counts = summary.perRule.find((p) => p.rule_id === r.rule_id);
    if (counts && status === 'dismissed') counts.dismissed += 1;
    if (counts && status === 'exempted') counts.exempted += 1;
  }
}
