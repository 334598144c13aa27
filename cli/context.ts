// Builds the effects every command needs (config, database, clock, calendar) from the command line and
// the environment, in one place, so commands stay small and tests can pass their own.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { AppError } from '../config/errors.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAppConfig, type AppConfig } from '../config/app-config.ts';
import { loadCalendarSource } from '../config/calendar-files.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { migrate } from '../store/schema.ts';
import { WorkCalendar, localDateOf } from '../metrics/calendar.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CliEnv {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

export interface GlobalOptions {
  config?: string;
  db?: string;
}

export function loadConfig(cli: CliEnv, options: GlobalOptions): AppConfig {
  const config = loadAppConfig({
    file: options.config,
    cwd: cli.cwd,
    env: cli.env,
    projectRoot: PROJECT_ROOT,
  });
  if (options.db) config.database = path.resolve(cli.cwd, options.db);
  return config;
}

/**
 * DuckDB's default memory limit is 80% of RAM; the process also holds the findings in JS (about 1.3 GB for a
 * province-year, bench/score.ts), so 2 GB keeps the whole command under 4 GB. Larger work spills to disk.
 */
const DUCKDB_MEMORY_LIMIT = '2GB';

/**
 * Opens (and migrates) the database. Only the commands that load records (ingest, demo) may create it: for the
 * others a missing file is a mistyped --db, and an empty new database would answer with empty results.
 */
export async function openStore(config: AppConfig, options: { create?: boolean } = {}): Promise<Db> {
  if (!options.create && !existsSync(config.database))
    throw new AppError(
      'database_missing',
      `数据库文件不存在：${config.database}。请检查 --db 或 SHAREWATCH_DB，或先用 sharewatch ingest 加载记录。`,
    );
  const db = await openDatabase(config.database, { memoryLimit: DUCKDB_MEMORY_LIMIT });
  try {
    await db.run(`set enable_progress_bar = true`);
    await db.run(`set enable_progress_bar_print = false`);
    await migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function loadCalendar(config: AppConfig): WorkCalendar {
  return new WorkCalendar(loadCalendarSource(config.calendarsDir), config.calendarsDir);
}

export function todayLocal(cli: CliEnv): string {
  return localDateOf(cli.now());
}

/**
 * package version plus the git commit when run from a checkout, `.dirty` when tracked files differ from that
 * commit: a run of changed code must not share a manifest id with a run of the commit.
 */
export function codeVersion(): string {
  if (cachedVersion === undefined) {
    const version = committedVersion();
    cachedVersion = version.includes('+') && worktreeDirty() ? `${version}.dirty` : version;
  }
  return cachedVersion;
}
// once per process: asking git is a process spawn
let cachedVersion: string | undefined;

function worktreeDirty(): boolean {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  // no git on the machine: the commit is all we can say
  return status.status === 0 && status.stdout.trim() !== '';
}

/** package version plus the git commit when run from a checkout, read from .git without spawning git. */
function committedVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const gitDir = path.join(PROJECT_ROOT, '.git');
  if (!existsSync(path.join(gitDir, 'HEAD'))) return pkg.version;
  const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  const ref = head.startsWith('ref: ') ? head.slice(5) : null;
  if (!ref) return `${pkg.version}+${head.slice(0, 12)}`;
  const refFile = path.join(gitDir, ref);
  if (existsSync(refFile)) return `${pkg.version}+${readFileSync(refFile, 'utf8').trim().slice(0, 12)}`;
  const packed = path.join(gitDir, 'packed-refs');
  const line = existsSync(packed)
    ? readFileSync(packed, 'utf8')
        .split('\n')
        .find((l) => l.endsWith(` ${ref}`))
    : undefined;
  return line ? `${pkg.version}+${line.slice(0, 12)}` : pkg.version;
}
