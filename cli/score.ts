// `sharewatch score --profile ID --year YYYY [--quarter Q | --month M] [--as-of DATE]`: runs the profile's
// rules for the period, scores every department and prints a Chinese summary: findings per rule, the
// ranking's top and bottom, and the run's manifest id.
import { AppError, CalendarGapError } from '../config/errors.ts';
import { loadProfile, type Profile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';
import { checkCalendarCovers, runRules, type RunSummary } from '../metrics/run-rules.ts';
import { RULE_LABELS } from '../metrics/rule-labels.ts';
import { addDays, type WorkCalendar } from '../metrics/calendar.ts';
import type { Period } from '../metrics/periods.ts';
import { runOfReusedVersion, scoresOfRun, type ScoreRow } from '../metrics/score-queries.ts';
import {
  type CliEnv,
  type GlobalOptions,
  codeVersion,
  loadCalendar,
  loadConfig,
  openStore,
  todayLocal,
} from './context.ts';
import { parseDate, parsePeriod, type PeriodOptions } from './period-options.ts';

export { parseYear, parseDate } from './period-options.ts';

export interface ScoreOptions extends GlobalOptions, PeriodOptions {
  profile?: string;
  asOf?: string;
}

export function formatRunSummary(
  summary: RunSummary,
  profileLabel: string,
  calendar?: Pick<WorkCalendar, 'lastYear' | 'calendarDir'>,
): string {
  const lines = [
    `评估配置：${profileLabel}　评估期：${summary.period.label}（${summary.period.start} 至 ${summary.period.end}）　截止日：${summary.asOf}`,
    `运行编号（清单）：${summary.runId}`,
    summary.previous.runId === null
      ? `变化：上一评估期 ${summary.previous.period} 没有同一评估配置下的完整评估运行（截止日不早于其期末，且评估时截止日已过），本期不计算得分变化`
      : `变化：与上一评估期 ${summary.previous.period} 的运行 ${summary.previous.runId} 相比`,
    '各规则发现问题数（评估对象数）：',
  ];
  for (const r of summary.perRule) {
    // dismissed and exempted findings do not count (as in the exports and scores): shown beside the count
    const extra = [
      r.dismissed > 0 ? `${r.dismissed} 项经评审撤销` : '',
      r.exempted > 0 ? `${r.exempted} 项经评审豁免` : '',
      r.pending_calendar > 0 ? `${r.pending_calendar} 项待补充节假日历` : '',
      r.data_gap > 0 ? `${r.data_gap} 项因平台数据缺失不计` : '',
    ].filter(Boolean);
    const counted = r.findings - r.dismissed - r.exempted;
    lines.push(
      `  ${RULE_LABELS[r.rule_id]}　${r.rule_id}　${counted}（${r.evaluated}）${extra.length > 0 ? `，另有 ${extra.join('、')}` : ''}`,
    );
  }
  const pending = summary.perRule.reduce((n, r) => n + r.pending_calendar, 0);
  // what to add, as the error for an uncovered period says it: the first year the calendar lacks
  if (pending > 0 && calendar)
    lines.push(
      `待补充节假日历：${pending} 项问题的期限或答复日期落入日历未覆盖的年份，暂不计入得分。` +
        new CalendarGapError(calendar.lastYear + 1, calendar.calendarDir).message +
        '补充后重新评估。',
    );
  if (summary.unregistered.length > 0)
    lines.push(
      `部门名录中没有的部门代码（未评分、未排名，其问题仍在问题清单中，请核对记录或补充部门名录）：${summary.unregistered
        .map((d) => `${d.dept_code}（${d.findings} 项问题）`)
        .join('、')}`,
    );
  if (summary.notImplemented.length > 0)
    lines.push(`尚未实现、本次未评估的规则：${summary.notImplemented.join('、')}`);
  return lines.join('\n') + '\n';
}

export function formatRanking(scores: ScoreRow[], count: number): string {
  const ranked = scores.filter((s) => s.rank !== null);
  const line = (s: ScoreRow) =>
    `  ${String(s.rank).padStart(3)}  ${s.dept_code} ${s.dept_name ?? ''}　总分 ${s.total}　${s.grade}${s.veto ? '（一票否决）' : ''}`;
  const lines = [`综合得分排名（共 ${ranked.length} 个部门参与排名）：`];
  if (ranked.length <= count * 2) lines.push(...ranked.map(line));
  else lines.push(...ranked.slice(0, count).map(line), '  ……', ...ranked.slice(-count).map(line));
  const unranked = scores.length - ranked.length;
  if (unranked > 0) lines.push(`  另有 ${unranked} 个部门在本期没有可评估的事项（不适用，不排名）。`);
  return lines.join('\n') + '\n';
}

/** A version names one method: a changed profile file must change its version before it scores again. */
async function checkVersionNotReused(db: Db, profile: Profile): Promise<void> {
  const other = await runOfReusedVersion(db, profile);
  if (other)
    throw new AppError(
      'profile_version_reused',
      `评估配置 ${profile.id} 的内容已修改，但版本号仍为 ${profile.version}（运行 ${other} 用的是该版本的原内容）。` +
        '请在配置文件中更新 version 后再评估，使每个版本号只对应一种评估方法。',
    );
}

/**
 * An as-of date D means the records through the end of day D (metrics/calendar-table.ts, sw_due). Today is
 * not over, so the default is yesterday, or the period's last day when the period has ended.
 */
function defaultAsOf(cli: CliEnv, period: Period): string {
  const yesterday = addDays(todayLocal(cli), -1);
  if (yesterday < period.start)
    throw new AppError(
      'period_not_started',
      `评估期 ${period.label}（${period.start} 至 ${period.end}）还没有完整的一天：默认截止日为昨天 ${yesterday}。` +
        '请在评估期开始后的次日起评估，或用 --as-of 指定截止日。',
    );
  return yesterday < period.end ? yesterday : period.end;
}

/**
 * Files set aside whole whose records are therefore missing from every run (a supply_batches file among them
 * makes its windows look missed): those not loaded since under the same name, a corrected re-send.
 */
async function quarantinedFiles(
  db: Db,
): Promise<Array<{ file_name: string; kind: string | null; earlier_loaded: boolean }>> {
  // one row per file name, however often it was set aside (under other mappings, other contents); a file whose
  // earlier load is still in force (the latest attempt failed) says so
  return db.query<{ file_name: string; kind: string | null; earlier_loaded: boolean }>(
    `select q.file_name, arg_max(q.kind, q.seq) as kind,
       exists (select 1 from batches l where l.status = 'loaded' and l.file_name = q.file_name) as earlier_loaded
     from batches q
     where q.status = 'quarantined'
       and not exists (
         select 1 from batches l where l.status = 'loaded' and l.file_name = q.file_name and l.seq > q.seq
       )
     group by q.file_name
     order by min(q.seq)`,
  );
}

/**
 * Loaded files whose load warned of a column that looks like a misspelt canonical one (its values were not
 * read), until a later file of that name loads without a warning; a load superseded under corrected mappings
 * is no input.
 */
async function warnedFiles(db: Db): Promise<Array<{ file_name: string; warnings: string }>> {
  return db.query<{ file_name: string; warnings: string }>(
    `select w.file_name, w.warnings from batches w
     where w.status = 'loaded' and w.warnings is not null
       and w.batch_id not in (select batch_id from superseded_batches)
       and not exists (
         select 1 from batches l where l.status = 'loaded' and l.file_name = w.file_name and l.seq > w.seq
       )
     order by w.seq`,
  );
}

/**
 * Loaded data samples whose file name holds no resource code the catalog lists by the period's end (or the
 * as-of date, if earlier) after data_sample_, as int_data_sample.sql reads it: no provider to charge, so their
 * rows count nowhere.
 */
async function unlistedSamples(db: Db, asOf: string, periodEnd: string): Promise<string[]> {
  const rows = await db.query<{ file_name: string }>(
    `select b.file_name from batches b
     where b.status = 'loaded' and b.kind = 'data_sample' and b.rows_loaded > 0
       and b.batch_id not in (select batch_id from superseded_batches)
       and not exists (
         select 1 from stg_catalog_snapshot c
         where c.snapshot_date <= least(cast($asof as date), cast($end as date))
           and sw_sample_names(b.file_name, c.resource_code)
       )
     order by b.seq`,
    { asof: asOf, end: periodEnd },
  );
  return rows.map((r) => r.file_name);
}

/** A warning of files whose records a run could not count: how many, the first five, what to do. */
function warnOfFiles(cli: CliEnv, what: string, files: string[], advice: string): void {
  if (files.length === 0) return;
  const named = files.slice(0, 5).join('、') + (files.length > 5 ? ' 等' : '');
  cli.stderr(`注意：有 ${files.length} ${what}：${named}。${advice}\n`);
}

/** Scoring a store that holds no records would rank every department on nothing. */
async function checkHasRecords(db: Db, file: string): Promise<void> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::integer as n from batches where status = 'loaded' and rows_loaded > 0`,
  );
  if (rows[0]!.n === 0)
    throw new AppError(
      'no_records',
      `数据库 ${file} 中还没有加载任何记录。请先用 sharewatch ingest 加载平台导出文件，或用 --db 指定已加载记录的数据库。`,
    );
}

export async function runScore(cli: CliEnv, options: ScoreOptions): Promise<number> {
  const config = loadConfig(cli, options);
  const period = parsePeriod(options);
  const profile = loadProfile(config.profilesDir, options.profile ?? config.defaultProfile);
  const calendar = loadCalendar(config);
  checkCalendarCovers(calendar, period);
  // a file that replaces a year the bundled State Council data has changes every deadline of that year
  for (const { year, file } of calendar.replaced)
    cli.stderr(
      `注意：工作日历 ${year} 年的节假日取自 ${file}，替代了内置的国务院公布数据（chinese-days）；` +
        '请确认该文件与国务院办公厅当年的通知一致。\n',
    );
  const asOf = options.asOf ? parseDate(options.asOf, '--as-of') : defaultAsOf(cli, period);
  const db = await openStore(config);
  try {
    await checkHasRecords(db, config.database);
    await checkVersionNotReused(db, profile);
    // SHAREWATCH_PROFILE_RULES=1 (bench/score.ts): the wall time of each rule and of the other steps on stderr
    const profiling = cli.env.SHAREWATCH_PROFILE_RULES === '1';
    const onRuleTimed = profiling
      ? (ruleId: string, ms: number) => cli.stderr(`rule ${ruleId}: ${ms.toFixed(0)} ms\n`)
      : undefined;
    const onPhaseTimed = profiling
      ? (phase: string, ms: number) => cli.stderr(`phase ${phase}: ${ms.toFixed(0)} ms\n`)
      : undefined;
    const summary = await runRules(db, {
      profile,
      calendar,
      period,
      asOf,
      codeVersion: codeVersion(),
      now: cli.now(),
      onRuleTimed,
      onPhaseTimed,
    });
    cli.stdout(
      formatRunSummary(summary, `${profile.id} v${profile.version}（${profile.regulation}）`, calendar),
    );
    const yesterday = addDays(todayLocal(cli), -1);
    if (asOf > yesterday)
      cli.stderr(
        `注意：截止日 ${asOf} 晚于昨天 ${yesterday}（今天尚未结束）。之后的记录还没有产生，` +
          `在截止日前到期而尚未办理的事项已按截止日判为逾期或未办理；正式评估请用已经过去的截止日。\n`,
      );
    const setAside = await quarantinedFiles(db);
    warnOfFiles(
      cli,
      '个文件被整个隔离，其中的记录未计入本次评估',
      setAside.map(
        (f) => `${f.file_name}（${f.kind ?? '类型未知'}${f.earlier_loaded ? '；此前加载的版本仍计入' : ''}）`,
      ),
      '依赖这些记录的问题可能有误，请更正后重新加载再评估（清单：sharewatch export rejects）。',
    );
    warnOfFiles(
      cli,
      '个 data_sample 文件的文件名中没有目录所列的资源编码，其数据未计入本次评估',
      await unlistedSamples(db, summary.asOf, summary.period.end),
      '文件名应为 data_sample_<资源编码>.csv（可在编码后加 _日期 等）。',
    );
    warnOfFiles(
      cli,
      '个已加载文件的列名疑似拼写错误或与映射不符，这些列的取值未计入本次评估',
      (await warnedFiles(db)).map((f) => {
        const columns = JSON.parse(f.warnings) as Array<{
          column: string;
          canonical: string;
          mapped?: boolean;
        }>;
        const named = columns.map((c) =>
          c.mapped ? `映射为 ${c.canonical} 的 ${c.column} 不在文件中` : `${c.column} 疑为 ${c.canonical}`,
        );
        return `${f.file_name}（${named.join('，')}）`;
      }),
      '依赖这些列的问题可能有误，请按加载时的提示配置列名映射后重新加载再评估。',
    );
    cli.stdout(formatRanking(await scoresOfRun(db, summary.runId), 5));
    cli.stdout(`数据库：${config.database}\n`);
    return 0;
  } finally {
    db.close();
  }
}
