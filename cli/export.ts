// `sharewatch export findings|scores --profile ID --year YYYY [--quarter Q | --month M] [--format csv|json]
// [--out FILE]`: the latest scoring run for that profile and period, in the stable export formats; and
// `sharewatch export rejects`: what the ingest could not load.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../config/errors.ts';
import { profileFile } from '../config/profile.ts';
import { findingsOfRun } from '../metrics/store-findings.ts';
import { requireLatestRun, scoresOfRun } from '../metrics/score-queries.ts';
import { findingsToCsv, findingsToJson } from '../reports/export-findings.ts';
import { listRejects, rejectsToCsv, rejectsToJson } from '../reports/export-rejects.ts';
import { scoresToCsv, scoresToJson } from '../reports/export-scores.ts';
import { type CliEnv, type GlobalOptions, loadConfig, openStore } from './context.ts';
import { parsePeriod, type PeriodOptions } from './period-options.ts';

export interface ExportOptions extends GlobalOptions, PeriodOptions {
  profile?: string;
  format: string;
  out?: string;
  bom: boolean;
}

export async function runExport(
  cli: CliEnv,
  what: 'findings' | 'scores',
  options: ExportOptions,
): Promise<number> {
  checkFormat(options.format);
  const config = loadConfig(cli, options);
  const period = parsePeriod(options);
  // the run's own profile is stored with it: today's file need only name it
  const profileId = options.profile ?? config.defaultProfile;
  profileFile(config.profilesDir, profileId);
  const db = await openStore(config);
  try {
    const run = await requireLatestRun(db, profileId, period.label);
    let text: string;
    let count: number;
    if (what === 'findings') {
      const rows = await findingsOfRun(db, run.run_id, run.review_seq);
      count = rows.length;
      text = options.format === 'csv' ? findingsToCsv(rows, { bom: options.bom }) : findingsToJson(rows);
    } else {
      const rows = await scoresOfRun(db, run.run_id);
      count = rows.length;
      text =
        options.format === 'csv' ? scoresToCsv(rows, run, { bom: options.bom }) : scoresToJson(rows, run);
    }
    await writeExport(
      cli,
      options.out,
      text,
      (out) => `已导出 ${count} 行到 ${out}（运行编号 ${run.run_id}）\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}

/** Writes an export to --out (saying so on stderr) or to stdout. */
async function writeExport(
  cli: CliEnv,
  outOption: string | undefined,
  text: string,
  written: (out: string) => string,
): Promise<void> {
  if (!outOption) {
    cli.stdout(text);
    return;
  }
  const out = path.resolve(cli.cwd, outOption);
  await writeFile(out, text, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why: Record<string, string> = {
      ENOENT: '所在目录不存在',
      EACCES: '没有写入权限',
      EISDIR: '这是一个目录',
      ENOTDIR: '路径中有一段不是目录',
      ENOSPC: '磁盘空间不足',
      EROFS: '文件系统只读',
    };
    if (!error.code || !(error.code in why)) throw error;
    throw new AppError('export_out', `无法写入输出文件 ${out}：${why[error.code]}。`);
  });
  cli.stderr(written(out));
}

export interface RejectExportOptions extends GlobalOptions {
  file?: string;
  format: string;
  out?: string;
  bom: boolean;
}

/** `sharewatch export rejects [--file NAME] [--format csv|json] [--out FILE]`: what the ingest could not load. */
export async function runExportRejects(cli: CliEnv, options: RejectExportOptions): Promise<number> {
  checkFormat(options.format);
  const config = loadConfig(cli, options);
  const db = await openStore(config);
  try {
    const rows = await listRejects(db, { file: options.file });
    if (options.file && rows.length === 0) {
      const known = await db.query('select 1 from batches where file_name = $f or file_path = $f limit 1', {
        f: options.file,
      });
      if (known.length === 0)
        throw new AppError(
          'unknown_file',
          `没有加载过名为 ${options.file} 的文件（--file 应为文件名或完整路径）。`,
        );
    }
    const text = options.format === 'csv' ? rejectsToCsv(rows, { bom: options.bom }) : rejectsToJson(rows);
    await writeExport(cli, options.out, text, (out) => `已导出 ${rows.length} 条拒收记录到 ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}

function checkFormat(format: string): void {
  if (format !== 'csv' && format !== 'json') {
    throw new AppError('bad_format', `--format 应为 csv 或 json（收到：${format}）`);
  }
}
