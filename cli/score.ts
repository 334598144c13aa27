// `sharewatch score --profile ID --year YYYY [--as-of DATE]`: runs the profile's rules for the year and
// prints a Chinese summary: findings per rule, the departments with most findings, and the run's id.
import { AppError } from '../config/errors.ts';
import { loadProfile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';
import { runRules, yearPeriod, type RunSummary } from '../metrics/run-rules.ts';
import { RULE_LABELS } from '../metrics/rule-labels.ts';
import {
  type CliEnv,
  type GlobalOptions,
  codeVersion,
  loadCalendar,
  loadConfig,
  openStore,
  todayLocal,
} from './context.ts';

export interface ScoreOptions extends GlobalOptions {
  profile?: string;
  year: string;
  asOf?: string;
}

export function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text))
    throw new AppError('bad_year', `--year 应为四位年份，例如 2026（收到：${text}）`);
  return Number(text);
}

export function parseDate(text: string, flag: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  if (!ok) throw new AppError('bad_date', `${flag} 应为真实日期 YYYY-MM-DD（收到：${text}）`);
  return text;
}

export async function weakestDepartments(
  db: Db,
  runId: string,
  limit: number,
): Promise<Array<{ dept_code: string; dept_name: string | null; findings: number }>> {
  return db.query(
    `select f.dept_code, d.dept_name, count(*)::integer as findings
     from findings f left join stg_departments d on d.dept_code = f.dept_code
     where f.run_id = $run and f.status = 'open'
     group by f.dept_code, d.dept_name order by findings desc, f.dept_code limit ${Number(limit)}`,
    { run: runId },
  );
}

export function formatRunSummary(summary: RunSummary, profileLabel: string): string {
  const lines = [
    `评估配置：${profileLabel}　评估期：${summary.period.label}　截止日：${summary.asOf}`,
    `运行编号（清单）：${summary.runId}`,
    '各规则发现问题数：',
  ];
  for (const r of summary.perRule) {
    const pending = r.pending_calendar > 0 ? `（另有 ${r.pending_calendar} 项待补充节假日历）` : '';
    lines.push(`  ${RULE_LABELS[r.rule_id]}　${r.rule_id}　${r.findings}${pending}`);
  }
  if (summary.notImplemented.length > 0)
    lines.push(`尚未实现、本次未评估的规则：${summary.notImplemented.join('、')}`);
  return lines.join('\n') + '\n';
}

export async function runScore(cli: CliEnv, options: ScoreOptions): Promise<number> {
  const config = loadConfig(cli, options);
  const year = parseYear(options.year);
  const period = yearPeriod(year);
  const today = todayLocal(cli);
  const asOf = options.asOf ? parseDate(options.asOf, '--as-of') : today < period.end ? today : period.end;
  const profile = loadProfile(config.profilesDir, options.profile ?? config.defaultProfile);
  const calendar = loadCalendar(config);
  const db = await openStore(config);
  try {
    const summary = await runRules(db, {
      profile,
      calendar,
      period,
      asOf,
      codeVersion: codeVersion(),
      now: cli.now(),
    });
    cli.stdout(formatRunSummary(summary, `${profile.id} v${profile.version}（${profile.regulation}）`));
    const weakest = await weakestDepartments(db, summary.runId, 5);
    if (weakest.length > 0) {
      cli.stdout('问题最多的部门：\n');
      for (const d of weakest) cli.stdout(`  ${d.dept_code} ${d.dept_name ?? ''}　${d.findings} 项\n`);
    }
    cli.stdout(`数据库：${config.database}\n`);
    return 0;
  } finally {
    db.close();
  }
}
