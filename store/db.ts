// The one DuckDB module: every other folder reaches the database through this handle. Rows come back as
// JSON-safe values (DATE as 'YYYY-MM-DD', TIMESTAMP as 'YYYY-MM-DD HH:MM:SS', DECIMAL as an exact string);
// BIGINT becomes a JS number here, at the boundary, and throws rather than lose precision.
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  listValue,
  type DuckDBMaterializedResult,
  type DuckDBValue,
} from '@duckdb/node-api';
import { AppError, DatabaseLockedError } from '../config/errors.ts';

export type Params = Record<string, DuckDBValue | string | number | boolean | null | string[]>;

/** JS string arrays become DuckDB lists here, so callers outside store/ never build DuckDB values. */
function toDuckParams(params: Params): Record<string, DuckDBValue> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? listValue(v) : v]),
  ) as Record<string, DuckDBValue>;
}
export type Row = Record<string, unknown>;

const BIG_TYPES = new Set([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
]);

export class Db {
  private inTransaction = false;

  constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  async query<T extends object = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = params
      ? await this.connection.runAndReadAll(sql, toDuckParams(params))
      : await this.connection.runAndReadAll(sql);
    const types = reader.columnTypes();
    const names = reader.columnNames();
    const bigColumns = names.filter((_, i) => BIG_TYPES.has(types[i]!.typeId));
    const rows = reader.getRowObjectsJson() as Row[];
    if (bigColumns.length > 0) {
      for (const row of rows) {
        for (const name of bigColumns) {
          const value = row[name];
          if (typeof value === 'string') row[name] = toSafeNumber(value, name);
        }
      }
    }
    return rows as T[];
  }

  async run(sql: string, params?: Params): Promise<DuckDBMaterializedResult> {
    return params ? await this.connection.run(sql, toDuckParams(params)) : await this.connection.run(sql);
  }

  /** Runs fn in one transaction: all of it commits, or none of it does. Not re-entrant. */
  async withTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new AppError('nested_transaction', 'internal: nested transaction');
    this.inTransaction = true;
    await this.connection.run('begin transaction');
    try {
      const result = await fn();
      await this.connection.run('commit');
      return result;
    } catch (error) {
      await this.connection.run('rollback');
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function toSafeNumber(text: string, column: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new AppError('bigint_overflow', `internal: column ${column} value ${text} exceeds a safe integer`);
  }
  return value;
}

export function isLockError(error: unknown): boolean {
  return error instanceof Error && /Could not set lock on file|Conflicting lock/i.test(error.message);
}

/**
 * An existing file must be a DuckDB database (its magic number "DUCK" at byte 8). DuckDB opens a CSV or JSON
 * file given as the database as an empty in-memory one: a mistyped --db (the inbox file instead of the
 * store) would load and score into nothing, silently.
 */
function checkDatabaseFile(file: string): void {
  let header: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      header = Buffer.alloc(12);
      header = header.subarray(0, readSync(fd, header, 0, 12, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // a new database
    if (code === 'EISDIR')
      throw new AppError(
        'db_not_database',
        `数据库文件 ${file} 是一个文件夹，请用 --db 指定数据库文件（如 data/sharewatch.duckdb）。`,
      );
    throw error;
  }
  if (header.length === 0) return; // an empty file: DuckDB makes it a new database
  if (header.length < 12 || header.subarray(8, 12).toString('latin1') !== 'DUCK')
    throw new AppError(
      'db_not_database',
      `${file} 不是 ShareWatch 数据库文件（DuckDB 格式）。请检查 --db 或 SHAREWATCH_DB：` +
        '它应指向数据库文件（如 data/sharewatch.duckdb），而不是要导入的记录文件。',
    );
}

/**
 * Opens (creating if needed) the database file; a file locked by another process is a DatabaseLockedError.
 * memoryLimit caps DuckDB's buffer pool ('2GB'); beyond it, joins and sorts spill to `<file>.tmp`.
 */
export async function openDatabase(
  file: string,
  options: { threads?: number; memoryLimit?: string } = {},
): Promise<Db> {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  if (resolved !== ':memory:') {
    mkdirSync(path.dirname(resolved), { recursive: true });
    checkDatabaseFile(resolved);
  }
  let instance: DuckDBInstance;
  try {
    const settings: Record<string, string> = { autoinstall_known_extensions: 'false' };
    if (options.threads) settings.threads = String(options.threads);
    if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
    instance = await DuckDBInstance.create(resolved, settings);
  } catch (error) {
    if (isLockError(error)) throw new DatabaseLockedError(resolved, error);
    throw new AppError('db_open_failed', `无法打开数据库文件 ${resolved}：${(error as Error).message}`, {
      cause: error,
    });
  }
  const connection = await instance.connect();
  // progress.percentage stays -1 unless tracking is on; printing it would write to the terminal
  await connection.run('set enable_progress_bar = true');
  await connection.run('set enable_progress_bar_print = false');
  return new Db(resolved, instance, connection);
}
