// `sharewatch verify <manifest-id>`: recomputes a run in a fresh database from nothing but the records its
// manifest names (the stored batches, the review log up to its sequence number) with the same profile,
// calendar, period and as-of date, and says "identical" or lists every difference. A run whose change is
// measured against a previous period's run names that run in its manifest: it is recomputed first, in its
// own fresh database from its own inputs, and its recomputed totals are what the change is checked against.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sqlString } from '../collectors/convert-sql.ts';
import { loadProfile, type Profile } from '../config/profile.ts';
import { compareRuns } from '../metrics/compare-runs.ts';
import { periodFromLabel } from '../metrics/periods.ts';
import { legacyReviewLogHash } from '../metrics/reviews.ts';
import { runRules } from '../metrics/run-rules.ts';
import { calendarOfRun, profileOfRun, runById, type RunRow } from '../metrics/score-queries.ts';
import type { WorkCalendar } from '../metrics/calendar.ts';
import { copyInputs } from '../store/copy-inputs.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { migrate } from '../store/schema.ts';
import {
  type CliEnv,
  type GlobalOptions,
  codeVersion,
  loadCalendar,
  loadConfig,
  openStore,
} from './context.ts';

interface Recomputed {
  /** The fresh database file holding the recomputed run. */
  file: string;
  runId: string;
  /** The recomputed run's manifest, as stored in the fresh database. */
  run: RunRow;
  diffs: string[];
}

/**
 * The inputs of the recomputed run that differ from those the manifest recorded: batches no longer stored,
 * an altered review log, another profile. (Calendar and code versions are noted, not counted: recomputing an
 * old run with today's code is what verify is for.)
 */
async function inputDifferences(db: Db, original: RunRow, again: RunRow): Promise<string[]> {
  const lines: string[] = [];
  const stored = new Set(JSON.parse(again.batch_hashes) as string[]);
  const missing = (JSON.parse(original.batch_hashes) as string[]).filter((h) => !stored.has(h));
  if (missing.length > 0)
    lines.push(
      `输入批次缺失 ${missing.length} 个（内容哈希 ${missing.map((h) => h.slice(0, 12)).join('、')}）`,
    );
  if (
    original.review_hash !== null &&
    original.review_hash !== again.review_hash &&
    !(await legacyReviewHashHolds(db, original))
  )
    lines.push(
      `评审记录第 1 至 ${original.review_seq} 条的内容与评估时不同（评估时哈希 ${original.review_hash.slice(0, 12)}，现为 ${(again.review_hash ?? '').slice(0, 12)}）`,
    );
  if (original.profile_hash !== again.profile_hash)
    lines.push(
      `评估配置内容不同（评估时哈希 ${original.profile_hash.slice(0, 12)}，现为 ${again.profile_hash.slice(0, 12)}）`,
    );
  return lines;
}

/** The run was made when the review hash covered notes too (up to 2026-11-21), and the log it hashed is unaltered. */
async function legacyReviewHashHolds(db: Db, run: RunRow): Promise<boolean> {
  return run.review_hash === (await legacyReviewLogHash(db, run.review_seq));
}

interface VerifyContext {
  cli: CliEnv;
  db: Db;
  dir: string;
  profilesDir: string;
  calendar: WorkCalendar;
}

/**
 * Recomputes one stored run in a fresh database. `baseline` is the recomputed previous-period run: its run
 * and score rows are copied in under the id the manifest names, so the change is measured against them.
 */
async function recompute(ctx: VerifyContext, run: RunRow, baseline: Recomputed | null): Promise<Recomputed> {
  const file = path.join(ctx.dir, `${run.run_id}.duckdb`);
  const target = await openDatabase(file);
  await migrate(target);
  target.close();
  await copyInputs(ctx.db, file, JSON.parse(run.batch_hashes) as string[], run.review_seq);
  const again = await openDatabase(file);
  try {
    await migrate(again);
    if (baseline && run.previous_run_id !== null) {
      await again.run(`attach ${sqlString(baseline.file)} as sw_baseline (read_only)`);
      try {
        const ids = { recomputed: baseline.runId, named: run.previous_run_id };
        await again.run(
          `insert into runs select * replace ($named as run_id) from sw_baseline.runs where run_id = $recomputed`,
          ids,
        );
        await again.run(
          `insert into scores select * replace ($named as run_id) from sw_baseline.scores where run_id = $recomputed`,
          ids,
        );
      } finally {
        await again.run('detach sw_baseline');
      }
    }
    const summary = await runRules(again, {
      profile: (await profileOfRun(ctx.db, run)) ?? loadProfile(ctx.profilesDir, run.profile_id),
      // the days the run counted with; a run made before calendars were stored counts with today's
      calendar: (await calendarOfRun(ctx.db, run, ctx.calendar.calendarDir)) ?? ctx.calendar,
      period: periodFromLabel(run.period),
      asOf: run.as_of,
      codeVersion: run.code_version,
      now: ctx.cli.now(),
      previousRun: run.previous_run_id,
    });
    const diffs = await compareRuns(
      { db: ctx.db, runId: run.run_id, reviewSeq: run.review_seq },
      { db: again, runId: summary.runId, reviewSeq: run.review_seq },
    );
    return { file, runId: summary.runId, run: await runById(again, summary.runId), diffs };
  } finally {
    again.close();
  }
}

/** The profile file as it reads today, or null when it is gone or no longer loads. */
function currentProfile(profilesDir: string, id: string): Profile | null {
  try {
    return loadProfile(profilesDir, id);
  } catch {
    return null;
  }
}

export async function runVerify(cli: CliEnv, manifestId: string, options: GlobalOptions): Promise<number> {
  const config = loadConfig(cli, options);
  const db = await openStore(config);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sharewatch-verify-'));
  try {
    const run = await runById(db, manifestId);
    const calendar = loadCalendar(config);
    const ctx: VerifyContext = { cli, db, dir, profilesDir: config.profilesDir, calendar };
    const notes: string[] = [];
    // a run made before profiles were stored with it is recomputed with the file (recompute says so if gone)
    const current = currentProfile(config.profilesDir, run.profile_id);
    if (current?.hash !== run.profile_hash) {
      const file = `现行评估配置文件 ${run.profile_id}${current ? `（版本 ${current.version}）` : '（已无法读取）'}`;
      notes.push(
        (await profileOfRun(db, run))
          ? `${file}与该运行所用的（版本 ${run.profile_version}）不同，重算使用运行时保存的配置`
          : `${file}与该运行所用的（版本 ${run.profile_version}）不同，该运行未保存其配置，重算使用的是现行配置`,
      );
    }
    if (calendar.version !== run.calendar_version)
      notes.push(
        (await calendarOfRun(db, run, calendar.calendarDir))
          ? `现行节假日历（${calendar.version}）与该运行所用的（${run.calendar_version}）不同，重算使用运行时保存的日历`
          : `现行节假日历（${calendar.version}）与该运行所用的（${run.calendar_version}）不同，该运行未保存其日历，重算使用的是现行日历`,
      );
    if (codeVersion() !== run.code_version)
      notes.push(`程序版本不同：原 ${run.code_version}，现 ${codeVersion()}`);

    const diffs: string[] = [];
    let baseline: Recomputed | null = null;
    if (run.previous_run_id !== null) {
      // only the previous run's totals matter here: its own change is not checked (nor its predecessor)
      const previous = await runById(db, run.previous_run_id);
      baseline = await recompute(ctx, previous, null);
      const totals = baseline.diffs.filter((d) => !/ 的 change 不同：/.test(d));
      if (baseline.runId !== previous.run_id)
        notes.push(`上一评估期运行 ${previous.run_id} 重算的清单编号为 ${baseline.runId}（输入不完全相同）`);
      diffs.push(
        ...[...(await inputDifferences(db, previous, baseline.run)), ...totals].map(
          (d) => `上一评估期 ${previous.period}（运行 ${previous.run_id}）：${d}`,
        ),
      );
    }
    const recomputed = await recompute(ctx, run, baseline);
    diffs.push(...(await inputDifferences(db, run, recomputed.run)), ...recomputed.diffs);

    for (const note of notes) cli.stdout(`注意：${note}\n`);
    if (recomputed.runId !== run.run_id)
      cli.stdout(
        run.review_hash !== recomputed.run.review_hash && (await legacyReviewHashHolds(db, run))
          ? `重算的清单编号为 ${recomputed.runId}：该运行由旧版本生成，其清单的评审记录哈希包含备注，现版本不计备注\n`
          : `重算的清单编号为 ${recomputed.runId}（输入不完全相同）\n`,
      );
    if (diffs.length === 0) {
      const against =
        baseline === null ? '' : `，得分变化已与重算的上一评估期运行 ${run.previous_run_id} 核对`;
      cli.stdout(
        `identical：运行 ${run.run_id} 已从 ${JSON.parse(run.batch_hashes).length} 个输入批次在新数据库中重算，问题清单与得分完全一致${against}。\n`,
      );
      return 0;
    }
    cli.stdout(
      `运行 ${run.run_id} 重算结果有 ${diffs.length} 处不同：\n${diffs.map((d) => `  ${d}`).join('\n')}\n`,
    );
    return 4;
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
