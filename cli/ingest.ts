// `sharewatch ingest <dir|files…>`: loads platform exports; prints per file its kind, rows loaded and
// rejected, and whether it was skipped as already loaded (or --json for scripts).
import os from 'node:os';
import path from 'node:path';
import { readdir, rm, stat } from 'node:fs/promises';
import { ingestPaths, listInputFiles, type FileResult } from '../collectors/ingest.ts';
import { listRejects, rejectCounts } from '../reports/export-rejects.ts';
import type { Db } from '../store/db.ts';
import { type CliEnv, type GlobalOptions, loadConfig, openStore } from './context.ts';
import { progressPrinter } from './progress.ts';
import { mkdtemp } from 'node:fs/promises';

export interface IngestOptions extends GlobalOptions {
  json?: boolean;
}

function describe(result: FileResult): string {
  const name = path.basename(result.path);
  if (result.status === 'duplicate') return `${name}\t${result.kind ?? '-'}\t已加载过，跳过`;
  if (result.status === 'quarantined')
    return `${name}\t${result.kind ?? '未知'}\t整个文件被隔离：${result.reason}（计为拒收 ${result.rows_rejected} 行）`;
  const encoding =
    result.encoding === 'gb18030'
      ? '，GBK/GB18030 编码'
      : result.encoding === 'utf-8-bom'
        ? '，UTF-8 BOM'
        : '';
  // rows the store already held (the same events in an earlier file) count as loaded, and are stored once
  const resent = result.rows_resent > 0 ? `（其中 ${result.rows_resent} 行此前已载入，未重复存储）` : '';
  const replaces = result.replaces ? '；按新的列名或取值映射重新读取，替代此前的加载' : '';
  return `${name}\t${result.kind}\t加载 ${result.rows_loaded} 行${resent}，拒收 ${result.rows_rejected} 行${encoding}${replaces}`;
}

const SHOWN_REJECTS = 5;

/**
 * The fields of a file in `ingest --json`, in this order; later additions go last, for scripts that read them
 * by position: status and reason (a file set aside whole is not a clean empty one), rows_resent (of
 * rows_loaded, already stored from an earlier file), warnings (columns that look like misspelt canonical ones),
 * replaces (the file's earlier load under other mappings is replaced by this one).
 */
const JSON_FIELDS = [
  'path',
  'kind',
  'rows_loaded',
  'rows_rejected',
  'duplicate',
  'status',
  'reason',
  'rows_resent',
  'warnings',
  'replaces',
] as const;

/** Exit code of an ingest that set at least one file aside whole (README, 退出状态). */
export const INGEST_QUARANTINED = 3;

/** The first rejects of a file, a line each (file line, column, value, reason), and how many more there are. */
async function rejectLines(db: Db, batchId: string, name: string): Promise<string> {
  const shown = await listRejects(db, { batchIds: [batchId], limitPerBatch: SHOWN_REJECTS });
  const total = (await rejectCounts(db, [batchId])).get(batchId) ?? 0;
  const lines = shown.map((r) => {
    const where = [r.line === null ? null : `第 ${r.line} 行`, r.column].filter(Boolean).join('，');
    const value = r.value === null ? '' : `（取值：${r.value}）`;
    return `  ${where}${value}：${r.reason}`;
  });
  if (total > shown.length)
    lines.push(`  ……另有 ${total - shown.length} 条，见 sharewatch export rejects --file ${name}`);
  return lines.join('\n') + '\n';
}

const TMP_PREFIX = 'sharewatch-ingest-';
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Work folders an ingest killed before its clean-up left behind (decoded copies of GBK files, decompressed
 * .gz files: as large as the exports), removed once a day old: an ingest running now in another process has
 * a younger one.
 */
async function removeStaleTmpDirs(now: Date): Promise<void> {
  for (const entry of await readdir(os.tmpdir(), { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(TMP_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), entry.name);
    const info = await stat(dir).catch(() => null);
    if (info && now.getTime() - info.mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}

export async function runIngest(cli: CliEnv, inputs: string[], options: IngestOptions): Promise<number> {
  const config = loadConfig(cli, options);
  const paths = inputs.length > 0 ? inputs.map((p) => path.resolve(cli.cwd, p)) : [config.inbox];
  // a mistyped path must not leave a new, empty database behind
  await listInputFiles(paths);
  const db = await openStore(config, { create: true });
  await removeStaleTmpDirs(cli.now());
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), TMP_PREFIX));
  try {
    const results = await ingestPaths(
      {
        db,
        config,
        clock: cli.now,
        tmpDir,
        onProgress: options.json ? undefined : progressPrinter(cli.stderr, cli.isTTY, cli.now),
      },
      paths,
    );
    for (const r of results.filter((x) => x.status === 'ignored'))
      cli.stderr(`已忽略：${r.path}（${r.reason}）\n`);
    const dataFiles = results.filter((r) => r.status !== 'ignored');
    if (options.json) {
      const files = dataFiles.map((r) => Object.fromEntries(JSON_FIELDS.map((k) => [k, r[k]])));
      cli.stdout(JSON.stringify({ files }) + '\n');
    } else {
      for (const result of dataFiles) {
        cli.stdout(describe(result) + '\n');
        for (const warning of result.warnings) cli.stdout(`  注意：${warning}\n`);
        if (result.status === 'loaded' && result.rows_rejected > 0 && result.batch_id)
          cli.stdout(await rejectLines(db, result.batch_id, path.basename(result.path)));
      }
      const loaded = dataFiles.reduce((n, r) => n + r.rows_loaded, 0);
      const rejected = dataFiles.reduce((n, r) => n + r.rows_rejected, 0);
      const resent = dataFiles.reduce((n, r) => n + r.rows_resent, 0);
      const resentNote = resent > 0 ? `（其中 ${resent} 行此前已载入）` : '';
      cli.stdout(
        `共 ${dataFiles.length} 个数据文件：加载 ${loaded} 行${resentNote}，拒收 ${rejected} 行。数据库：${config.database}\n`,
      );
      if (rejected > 0)
        cli.stdout(
          '拒收和隔离的完整清单（文件、行号、列、取值、原因和整行原文）：sharewatch export rejects [--file 文件名] [--out 文件]\n',
        );
    }
    // a file set aside whole loaded nothing: a script (a cron job, a pipeline) must see that without parsing
    // the text; single rejected rows leave the file's other rows loaded, and are listed above
    const quarantined = dataFiles.filter((r) => r.status === 'quarantined').length;
    if (quarantined > 0) {
      cli.stderr(
        `有 ${quarantined} 个文件被整个隔离，未加载其中任何记录；更正后重新发送即可加载（退出码 3）。\n`,
      );
      return INGEST_QUARANTINED;
    }
    return 0;
  } finally {
    db.close();
    await rm(tmpDir, { recursive: true, force: true });
  }
}
