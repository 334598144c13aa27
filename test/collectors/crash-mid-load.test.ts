// A file loads in one transaction: a process killed in the middle of a large load leaves none of it, and
// the next run loads it whole, once. And DuckDB's one-process-per-file rule surfaces as DatabaseLockedError.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { DatabaseLockedError } from '../../config/errors.ts';
import { openDatabase, type Db } from '../../store/db.ts';
import { migrate } from '../../store/schema.ts';
import { FIXED_NOW, REPO_ROOT, repoConfig, tempDir } from '../helpers.ts';
import { ACCESS_HEADER } from './harness.ts';

const CHILD = path.join(REPO_ROOT, 'test', 'fixtures', 'ingest-child.ts');
const ROWS = 1_000_000;

let child: ChildProcessWithoutNullStreams | undefined;
let db: Db | undefined;
let dir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  db?.close();
  db = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes an access log of `rows` distinct, valid events, in chunks (one string per 50,000 rows). */
function writeAccessLog(file: string, rows: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, `${ACCESS_HEADER}\n`);
  for (let start = 0; start < rows; start += 50_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 50_000); i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(
        `E${i},2026-10-${day} 10:00:00,D0${i % 3},u${i % 97},R00${i % 3},D01,api,${i % 50},姓名,,10.0.0.${i % 250},ok\n`,
      );
    }
    writeSync(fd, lines.join(''));
  }
  closeSync(fd);
}

function startChild(args: string[]): { proc: ChildProcessWithoutNullStreams; output: () => string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO_ROOT });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { proc, output: () => out };
}

function waitFor(output: () => string, proc: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output().includes(text)) {
        clearInterval(timer);
        resolve();
      } else if (proc.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`child exited before "${text}": ${output()}`));
      }
    }, 20);
  });
}

const exited = (proc: ChildProcessWithoutNullStreams): Promise<NodeJS.Signals | null> =>
  new Promise((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));

const count = async (table: string): Promise<number> =>
  (await db!.query<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n;

describe('a process killed in the middle of a load', () => {
  it('leaves nothing of the file, and the next run loads every row exactly once', async () => {
    dir = tempDir('sw-crash-');
    const csv = path.join(dir, 'access_log_2026-10.csv');
    const dbFile = path.join(dir, 'crash.duckdb');
    writeAccessLog(csv, ROWS);
    const started = startChild(['ingest', dbFile, csv]);
    child = started.proc;
    const exit = exited(child);
    await waitFor(started.output, child, 'loading');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    expect(started.output()).not.toContain('done'); // it was killed before the load finished

    db = await openDatabase(dbFile);
    await migrate(db);
    expect([await count('raw_access_log'), await count('batches'), await count('audit_log')]).toEqual([
      0, 0, 0,
    ]);

    const deps = { db, config: repoConfig(), clock: () => FIXED_NOW, tmpDir: path.join(dir, 'tmp') };
    const [result] = await ingestPaths(deps, [csv]);
    expect(result).toMatchObject({ status: 'loaded', rows_loaded: ROWS, rows_rejected: 0 });
    expect(
      await db.query('select count(*) as n, count(distinct event_id) as ids from raw_access_log'),
    ).toEqual([{ n: ROWS, ids: ROWS }]);
    expect(await db.query('select file_name, rows_total, rows_loaded, status from batches')).toEqual([
      { file_name: 'access_log_2026-10.csv', rows_total: ROWS, rows_loaded: ROWS, status: 'loaded' },
    ]);
    const [again] = await ingestPaths(deps, [csv]);
    expect(again).toMatchObject({ status: 'duplicate', rows_loaded: 0 });
    expect(await count('raw_access_log')).toBe(ROWS);
  });
});

describe('a database file held by another process', () => {
  it('cannot be opened: DatabaseLockedError names the file, and it opens once the holder is gone', async () => {
    dir = tempDir('sw-lock-');
    const dbFile = path.join(dir, 'held.duckdb');
    const started = startChild(['hold', dbFile]);
    child = started.proc;
    const exit = exited(child);
    await waitFor(started.output, child, 'holding');
    const error = await openDatabase(dbFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as DatabaseLockedError).dbPath).toBe(dbFile);
    expect((error as DatabaseLockedError).userMessage).toContain(`数据库文件 ${dbFile} 正被另一个进程使用`);
    child.kill('SIGKILL');
    await exit;
    db = await openDatabase(dbFile);
    expect(await db.query('select 1 as ok')).toEqual([{ ok: 1 }]);
  });
});
