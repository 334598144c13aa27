// `sharewatch verify <manifest-id>`: recomputes a run in a fresh database from nothing but the records its
// manifest names (the stored batches, the review log up to its sequence number) with the same profile,
// calendar, period and as-of date, and says "identical" or lists every difference.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadProfile } from '../config/profile.ts';
import { compareRuns } from '../metrics/compare-runs.ts';
import { periodFromLabel } from '../metrics/periods.ts';
import { runRules } from '../metrics/run-rules.ts';
import { runById } from '../metrics/score-queries.ts';
import { copyInputs } from '../store/copy-inputs.ts';
import { openDatabase } from '../store/db.ts';
import { migrate } from '../store/schema.ts';
import {
  type CliEnv,
  type GlobalOptions,
  codeVersion,
  loadCalendar,
  loadConfig,
  openStore,
} from './context.ts';

export async function runVerify(cli: CliEnv, manifestId: string, options: GlobalOptions): Promise<number> {
  const config = loadConfig(cli, options);
  const db = await openStore(config);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sharewatch-verify-'));
  try {
    const run = await runById(db, manifestId);
    const profile = loadProfile(config.profilesDir, run.profile_id);
    const calendar = loadCalendar(config);
    const notes: string[] = [];
    if (profile.hash !== run.profile_hash)
      notes.push(
        `评估配置 ${profile.id} 已修改（原版本 ${run.profile_version}，现版本 ${profile.version}），重算使用的是现行配置`,
      );
    if (calendar.version !== run.calendar_version)
      notes.push(`节假日历已变化：原 ${run.calendar_version}，现 ${calendar.version}`);
    if (codeVersion() !== run.code_version)
      notes.push(`程序版本不同：原 ${run.code_version}，现 ${codeVersion()}`);
    const fresh = path.join(dir, 'verify.duckdb');
    const target = await openDatabase(fresh);
    await migrate(target);
    target.close();
    await copyInputs(db, fresh, JSON.parse(run.batch_hashes) as string[], run.review_seq);
    const again = await openDatabase(fresh);
    try {
      await migrate(again);
      const period = periodFromLabel(run.period);
      const summary = await runRules(again, {
        profile,
        calendar,
        period,
        asOf: run.as_of,
        codeVersion: run.code_version,
        now: cli.now(),
      });
      const diffs = await compareRuns(
        { db, runId: run.run_id, reviewSeq: run.review_seq },
        { db: again, runId: summary.runId, reviewSeq: run.review_seq },
      );
      for (const note of notes) cli.stdout(`注意：${note}\n`);
      if (summary.runId !== run.run_id) cli.stdout(`重算的清单编号为 ${summary.runId}（输入不完全相同）\n`);
      if (diffs.length === 0) {
        cli.stdout(
          `identical：运行 ${run.run_id} 已从 ${JSON.parse(run.batch_hashes).length} 个输入批次在新数据库中重算，问题清单与得分完全一致。\n`,
        );
        return 0;
      }
      cli.stdout(
        `运行 ${run.run_id} 重算结果有 ${diffs.length} 处不同：\n${diffs.map((d) => `  ${d}`).join('\n')}\n`,
      );
      return 4;
    } finally {
      again.close();
    }
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
