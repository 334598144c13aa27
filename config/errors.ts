// Typed errors shared by every layer: a stable code, a message for the user (Chinese), and the cause.
// Lives in config/ because config imports nothing from the other folders and everything imports config.

export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;

  constructor(code: string, userMessage: string, options?: { cause?: unknown }) {
    super(userMessage, options);
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** A config or profile file that does not validate; names the file and the key path. */
export class ConfigError extends AppError {
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super('config_invalid', issues.map((issue) => `${file}：${issue}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** A date whose year no holiday calendar covers; says which file to add. */
export class CalendarGapError extends AppError {
  /** The first missing year; `years` all those to add (2027, 2028 for a 2028 period when 2026 is the last). */
  readonly year: number;

  constructor(
    years: number | number[],
    readonly calendarDir: string,
  ) {
    const all = typeof years === 'number' ? [years] : years;
    const named = all.join('、');
    super(
      'calendar_missing_year',
      `工作日历未覆盖 ${named} 年：请按国务院办公厅公布的 ${named} 年节假日安排，新增文件 ` +
        `${all.map((y) => `${calendarDir}/${y}.yaml`).join('、')} ` +
        `（格式见同目录 README.md：holidays 列出放假日期，workdays 列出调休上班日期）。`,
    );
    this.year = all[0]!;
    this.name = 'CalendarGapError';
  }
}

/** The database file is held by another process (DuckDB allows one writer process). */
export class DatabaseLockedError extends AppError {
  constructor(
    readonly dbPath: string,
    cause: unknown,
  ) {
    super(
      'db_locked',
      `数据库文件 ${dbPath} 正被另一个进程使用（例如另一条 sharewatch 命令）。` +
        `请等待该进程结束，或停止它后重试；也可以用 --db 指定另一个数据库文件。`,
      { cause },
    );
    this.name = 'DatabaseLockedError';
  }
}
