// `sharewatch export findings --profile ID --year YYYY [--format csv|json] [--out FILE]`: the findings of
// the latest scoring run for that profile and year, in the stable export format.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../config/errors.ts';
import { loadProfile } from '../config/profile.ts';
import { latestRunFindings } from '../metrics/store-findings.ts';
import { findingsToCsv, findingsToJson } from '../reports/export-findings.ts';
import { type CliEnv, type GlobalOptions, loadConfig, openStore } from './context.ts';
import { parseYear } from './score.ts';

export interface ExportOptions extends GlobalOptions {
  profile?: string;
  year: string;
  format: string;
  out?: string;
  bom: boolean;
}

export async function runExportFindings(cli: CliEnv, options: ExportOptions): Promise<number> {
  if (options.format !== 'csv' && options.format !== 'json') {
    throw new AppError('bad_format', `--format 应为 csv 或 json（收到：${options.format}）`);
  }
  const config = loadConfig(cli, options);
  const year = parseYear(options.year);
  const profile = loadProfile(config.profilesDir, options.profile ?? config.defaultProfile);
  const db = await openStore(config);
  try {
    const { runId, rows } = await latestRunFindings(db, profile.id, String(year));
    if (!runId) {
      throw new AppError(
        'no_run',
        `还没有 ${profile.id} ${year} 年的评估结果：请先运行 sharewatch score --profile ${profile.id} --year ${year}`,
      );
    }
    const text = options.format === 'csv' ? findingsToCsv(rows, { bom: options.bom }) : findingsToJson(rows);
    if (options.out) {
      const out = path.resolve(cli.cwd, options.out);
      await writeFile(out, text, 'utf8');
      cli.stderr(`已导出 ${rows.length} 条问题到 ${out}（运行编号 ${runId}）\n`);
    } else cli.stdout(text);
    return 0;
  } finally {
    db.close();
  }
}
