// `sharewatch fix-first --profile ID --year YYYY [--quarter Q | --month M] [--dept CODE] [--top N]`: per
// department, the open findings that cost it most, with the points each is worth (metrics/fix-first.ts).
import { AppError } from '../config/errors.ts';
import { loadProfile, profileFile } from '../config/profile.ts';
import { fixFirst } from '../metrics/fix-first.ts';
import { RULE_LABELS } from '../metrics/rule-labels.ts';
import { profileOfRun, requireLatestRun } from '../metrics/score-queries.ts';
import type { RuleId } from '../config/rule-ids.ts';
import { type CliEnv, type GlobalOptions, loadConfig, openStore } from './context.ts';
import { parsePeriod, type PeriodOptions } from './period-options.ts';

export interface FixFirstOptions extends GlobalOptions, PeriodOptions {
  profile?: string;
  dept?: string;
  top: string;
  json?: boolean;
}

export async function runFixFirst(cli: CliEnv, options: FixFirstOptions): Promise<number> {
  // digits only: 1e1 or 0x10 are not how anyone writes "how many"
  const top = /^\d+$/.test(options.top.trim()) ? Number(options.top) : NaN;
  if (!Number.isSafeInteger(top) || top <= 0)
    throw new AppError('fix_first_top', `--top 应为正整数（每个部门列出几项），收到“${options.top}”。`);
  const config = loadConfig(cli, options);
  const profileId = options.profile ?? config.defaultProfile;
  profileFile(config.profilesDir, profileId);
  const period = parsePeriod(options);
  const db = await openStore(config);
  try {
    const run = await requireLatestRun(db, profileId, period.label);
    // the gains are computed with the method the run was scored with, not the file as it reads today (read
    // only for a run scored before profiles were stored with runs)
    const method = (await profileOfRun(db, run)) ?? loadProfile(config.profilesDir, profileId);
    if (options.dept) {
      const [scored] = await db.query<{ n: number }>(
        'select count(*)::integer as n from scores where run_id = $run and dept_code = $dept',
        { run: run.run_id, dept: options.dept },
      );
      if (scored!.n === 0)
        throw new AppError('fix_first_dept', `运行 ${run.run_id} 中没有部门 ${options.dept} 的得分。`);
    }
    const items = await fixFirst(db, run, method, { dept: options.dept, top });
    if (options.json) {
      cli.stdout(JSON.stringify({ manifest_id: run.run_id, items }, null, 2) + '\n');
      return 0;
    }
    cli.stdout(`优先整改建议（${profileId} ${period.label}，运行编号 ${run.run_id}）：\n`);
    cli.stdout(
      '分值为该问题按合格计（记录得到更正，或经复核撤销）时部门总分可提高的分数；豁免使该事项不再参与计算，提高的分数可能不同。已发生的逾期无法补救，其分值即逾期所失的分数。\n',
    );
    let current = '';
    for (const item of items) {
      if (item.dept_code !== current) cli.stdout(`${(current = item.dept_code)}\n`);
      const rules = item.rule_ids.map((id) => RULE_LABELS[id as RuleId]).join('、');
      const notes = [
        ...(item.veto_group
          ? [`${item.finding_ids.length} 项一票否决问题，须全部整改方可解除`]
          : item.finding_ids.length > 1
            ? [`同一对象的 ${item.finding_ids.length} 项问题，须一并整改`]
            : []),
        ...(item.lifts_veto && !item.veto_group ? ['解除一票否决'] : []),
        ...(item.floor_excess_points !== null
          ? [
              `该指标已扣至 0 分，超扣 ${item.floor_excess_points} 分：整改的问题合计扣分超过此数后方可提高得分`,
            ]
          : []),
        ...(item.grade_after !== item.grade ? [`等次 ${item.grade}→${item.grade_after}`] : []),
      ];
      const note = notes.length > 0 ? `（${notes.join('；')}）` : '';
      cli.stdout(`  +${item.gain} 分　${item.finding_ids.join('、')}　${rules}　${item.subject_id}${note}\n`);
    }
    if (items.length === 0) cli.stdout('  （没有可提高得分的未整改问题）\n');
    return 0;
  } finally {
    db.close();
  }
}
