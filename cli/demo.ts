// `sharewatch demo [--seed N]` (what `npm start` runs): writes a year of platform records for the fictional
// 示范市 into data/demo-inbox, ingests them, scores the year and prints a Chinese summary. The demo year is
// the last complete year before today, so every record is in the past, as it would be for a real authority.
import path from 'node:path';
import { loadProfile } from '../config/profile.ts';
import { checkCalendarCovers, runRules, yearPeriod } from '../metrics/run-rules.ts';
import { AppError } from '../config/errors.ts';
import { ingestPaths } from '../collectors/ingest.ts';
import { writeDemoInbox } from './demo-data.ts';
import {
  type CliEnv,
  type GlobalOptions,
  codeVersion,
  loadCalendar,
  loadConfig,
  openStore,
  todayLocal,
} from './context.ts';
import { progressPrinter } from './progress.ts';
import { formatRanking, formatRunSummary, parseYear } from './score.ts';
import { scoresOfRun } from '../metrics/score-queries.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';

export interface DemoCliOptions extends GlobalOptions {
  seed: string;
  year?: string;
  profile?: string;
  scale?: string;
}

export async function runDemo(cli: CliEnv, options: DemoCliOptions): Promise<number> {
  const config = loadConfig(cli, options);
  // everything the options can get wrong is checked before the minutes of generating and loading
  if (!/^\d{1,9}$/.test(options.seed.trim()))
    throw new AppError('bad_seed', `--seed 应为非负整数（收到：${options.seed}）。`);
  const seed = Number(options.seed);
  const profile = loadProfile(config.profilesDir, options.profile ?? config.defaultProfile);
  const year = options.year ? parseYear(options.year) : Number(todayLocal(cli).slice(0, 4)) - 1;
  const scale = options.scale ? Number(options.scale) : 1;
  if (!(scale > 0 && scale <= 10))
    throw new AppError('bad_scale', `--scale 应为大于 0、不超过 10 的数（收到：${options.scale}）。`);
  const period = yearPeriod(year);
  const calendar = loadCalendar(config);
  checkCalendarCovers(calendar, period);
  const inbox = path.join(path.dirname(config.database), 'demo-inbox');
  cli.stdout(`正在生成示范市 ${year} 年的共享平台记录（随机种子 ${seed}）……\n`);
  const summary = await writeDemoInbox(inbox, { seed, year, scale });
  cli.stdout(
    `已写入 ${summary.files.length} 个文件到 ${inbox}：${summary.departments} 个部门、${summary.resources} 个目录资源、` +
      `${summary.requests} 条共享申请、${summary.accessEvents} 条访问日志。\n`,
  );
  const db = await openStore(config, { create: true });
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'sharewatch-demo-'));
  try {
    const results = await ingestPaths(
      { db, config, clock: cli.now, tmpDir, onProgress: progressPrinter(cli.stderr, cli.isTTY, cli.now) },
      [inbox],
    );
    const loaded = results.reduce((n, r) => n + r.rows_loaded, 0);
    const skipped = results.filter((r) => r.duplicate).length;
    cli.stdout(
      `加载完成：新加载 ${loaded} 行${skipped > 0 ? `，${skipped} 个文件此前已加载、已跳过` : ''}。\n\n`,
    );
    const run = await runRules(db, {
      profile,
      calendar,
      period,
      asOf: period.end,
      codeVersion: codeVersion(),
      now: cli.now(),
    });
    cli.stdout(formatRunSummary(run, `${profile.id} v${profile.version}（${profile.regulation}）`, calendar));
    cli.stdout(formatRanking(await scoresOfRun(db, run.runId), 5));
    cli.stdout(`\n数据库：${config.database}\n`);
    // the next commands read the store the demo wrote: the same --config and --db
    const store = [
      ...(options.config ? [`--config ${options.config}`] : []),
      ...(options.db ? [`--db ${options.db}`] : []),
    ]
      .map((o) => ` ${o}`)
      .join('');
    cli.stdout(
      `下一步：npx sharewatch export scores --profile ${profile.id} --year ${year}${store} --out scores.csv；` +
        `npx sharewatch export findings --profile ${profile.id} --year ${year}${store} --out findings.csv\n`,
    );
    return 0;
  } finally {
    db.close();
    await rm(tmpDir, { recursive: true, force: true });
  }
}
