// What users see when something is wrong: Chinese messages naming the problem, no stack traces.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { INBOX_SMALL, REPO_ROOT, freshDb, tempDir } from '../helpers.ts';
import { captureCli } from './cli-env.ts';

describe('command-line errors and help', () => {
  it('prints help in Chinese for every command', async () => {
    for (const args of [
      ['--help'],
      ['ingest', '--help'],
      ['score', '--help'],
      ['export', 'findings', '--help'],
    ]) {
      const cli = captureCli(tempDir());
      expect(await main(args, cli)).toBe(0);
      expect(cli.out.join('')).toMatch(/^用法： sharewatch/);
      expect(cli.out.join('')).not.toMatch(/Usage|Options:|Commands:|\[options\]|\(default:/);
      expect(cli.out.join('')).toMatch(/[\u4e00-\u9fff]/);
    }
    // `help <command>` as well; an unknown one is named, not answered with the main help and no reason
    const help = captureCli(tempDir());
    expect(await main(['help', 'review'], help)).toBe(0);
    expect(help.out.join('')).toMatch(/^用法： sharewatch review \[选项\] <问题编号>\n/);
    // Chinese takes two columns a character: the descriptions line up after terms of either script
    const main_ = captureCli(tempDir());
    await main(['--help'], main_);
    const text = main_.out.join('');
    expect(text).toContain('\n  score [选项]              按评估配置');
    expect(text).toContain('\n  review [选项] <问题编号>  评审问题');
    expect(text).toContain('\n  help [命令]               显示某个命令的帮助\n');
    const unknown = captureCli(tempDir());
    expect([await main(['help', 'nope'], unknown), unknown.out.join(''), unknown.err.join('')]).toEqual([
      1,
      '',
      '错误：未知命令 nope（可用命令：ingest、score、export、review、verify、fix-first、demo）\n',
    ]);
  });

  it('says commander parse errors in Chinese', async () => {
    const cases: Array<[string[], string]> = [
      [['score', '--profile', 'x'], '错误：缺少必填选项 --year <yyyy>'],
      [
        ['export', 'scores', '--year', '2026', '--format', 'xml'],
        '错误：选项 --format <format> 的取值“xml”无效，可选：csv, json',
      ],
      [['verify'], '错误：缺少必填参数 清单编号'],
      [['scor'], '错误：未知命令 scor\n（是否要输入 score？）'],
      [['score', '--year', '2026', '--bogus'], '错误：未知选项 --bogus'],
      [['ingest', '--db'], '错误：选项 --db <file> 缺少取值'],
      [['verify', 'M-1', 'M-2'], '错误：命令 verify 参数过多：应为 1 个，收到 2 个'],
    ];
    for (const [args, message] of cases) {
      const cli = captureCli(tempDir());
      expect([await main(args, cli), cli.err.join('')]).toEqual([
        1,
        `${message}\n（使用 --help 查看用法）\n`,
      ]);
    }
  });

  it('names the year and the calendar file to add when a year is not covered', async () => {
    const { db, dir, file } = await freshDb();
    db.close();
    const cli = captureCli(dir);
    expect(await main(['score', '--profile', 'shaanxi-2017', '--year', '2027', '--db', file], cli)).toBe(1);
    expect(cli.err.join('')).toBe(
      `错误：工作日历未覆盖 2027 年：请按国务院办公厅公布的 2027 年节假日安排，新增文件 ${path.join(REPO_ROOT, 'config', 'calendars')}/2027.yaml ` +
        '（格式见同目录 README.md：holidays 列出放假日期，workdays 列出调休上班日期）。\n',
    );
  });

  it('names every year to add when the period lies years past the calendar', async () => {
    const { db, dir, file } = await freshDb();
    db.close();
    const cli = captureCli(dir);
    const args = [
      'score',
      '--profile',
      'shaanxi-2017',
      '--year',
      '2029',
      '--as-of',
      '2026-11-20',
      '--db',
      file,
    ];
    expect(await main(args, cli)).toBe(1);
    const calendars = path.join(REPO_ROOT, 'config', 'calendars');
    expect(cli.err.join('')).toBe(
      `错误：工作日历未覆盖 2027、2028、2029 年：请按国务院办公厅公布的 2027、2028、2029 年节假日安排，新增文件 ` +
        `${calendars}/2027.yaml、${calendars}/2028.yaml、${calendars}/2029.yaml ` +
        '（格式见同目录 README.md：holidays 列出放假日期，workdays 列出调休上班日期）。\n',
    );
  });

  it('takes yesterday as the default as-of date (today is not over), and refuses a period with no complete day yet', async () => {
    const { db, dir, file } = await freshDb();
    db.close();
    expect(await main(['ingest', INBOX_SMALL, '--db', file], captureCli(dir))).toBe(0);
    // FIXED_NOW is 2026-11-21 10:00 in Asia/Shanghai
    const scoreMonth = async (month: string) => {
      const cli = captureCli(dir);
      const argv = ['score', '--profile', 'shaanxi-2017', '--year', '2026', '--month', month, '--db', file];
      return { code: await main(argv, cli), out: cli.out.join(''), err: cli.err.join('') };
    };
    const november = await scoreMonth('11');
    expect(november.code).toBe(0);
    expect(november.out).toContain('评估期：2026-11（2026-11-01 至 2026-11-30）　截止日：2026-11-20\n');
    const december = await scoreMonth('12');
    expect(december.code).toBe(1);
    expect(december.err).toBe(
      '错误：评估期 2026-12（2026-12-01 至 2026-12-31）还没有完整的一天：默认截止日为昨天 2026-11-20。' +
        '请在评估期开始后的次日起评估，或用 --as-of 指定截止日。\n',
    );
  });

  it('refuses a database file that does not exist instead of creating an empty one, except to load records', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'typo', 'sw.duckdb');
    for (const args of [
      ['score', '--profile', 'shaanxi-2017', '--year', '2026'],
      ['export', 'scores', '--profile', 'shaanxi-2017', '--year', '2026'],
      ['review', 'F-0000000000000000', '--history'],
      ['fix-first', '--profile', 'shaanxi-2017', '--year', '2026'],
      ['verify', 'M-0000000000000000'],
    ]) {
      const cli = captureCli(dir);
      expect([await main([...args, '--db', file], cli), cli.err.join('')]).toEqual([
        1,
        `错误：数据库文件不存在：${file}。请检查 --db 或 SHAREWATCH_DB，或先用 sharewatch ingest 加载记录。\n`,
      ]);
    }
    expect(existsSync(path.dirname(file))).toBe(false);
    const cli = captureCli(dir);
    expect(await main(['ingest', INBOX_SMALL, '--db', file], cli)).toBe(0);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a --db that is not a database (an inbox file, a folder) instead of reading it as an empty one', async () => {
    const dir = tempDir();
    const csv = path.join(dir, 'departments.csv');
    copyFileSync(path.join(INBOX_SMALL, 'departments.csv'), csv);
    const before = readFileSync(csv);
    for (const args of [
      ['ingest', INBOX_SMALL],
      ['score', '--profile', 'shaanxi-2017', '--year', '2026'],
    ]) {
      const cli = captureCli(dir);
      expect([await main([...args, '--db', csv], cli), cli.err.join('')]).toEqual([
        1,
        `错误：${csv} 不是 ShareWatch 数据库文件（DuckDB 格式）。请检查 --db 或 SHAREWATCH_DB：` +
          '它应指向数据库文件（如 data/sharewatch.duckdb），而不是要导入的记录文件。\n',
      ]);
    }
    expect(readFileSync(csv)).toEqual(before);
    const cli = captureCli(dir);
    expect([await main(['ingest', INBOX_SMALL, '--db', dir], cli), cli.err.join('')]).toEqual([
      1,
      `错误：数据库文件 ${dir} 是一个文件夹，请用 --db 指定数据库文件（如 data/sharewatch.duckdb）。\n`,
    ]);
  });

  it('creates no database for a mistyped inbox path, and does not score a database without records', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sw.duckdb');
    const missing = path.join(dir, 'inbx');
    const cli = captureCli(dir);
    expect([await main(['ingest', missing, '--db', file], cli), cli.err.join('')]).toEqual([
      1,
      `错误：找不到要导入的文件或文件夹：${missing}\n`,
    ]);
    expect(existsSync(file)).toBe(false);
    // a folder without data files makes a database with nothing in it
    mkdirSync(missing);
    expect(await main(['ingest', missing, '--db', file], captureCli(dir))).toBe(0);
    const score = captureCli(dir);
    expect([
      await main(
        ['score', '--profile', 'shaanxi-2017', '--year', '2026', '--as-of', '2026-10-31', '--db', file],
        score,
      ),
      score.err.join(''),
    ]).toEqual([
      1,
      `错误：数据库 ${file} 中还没有加载任何记录。请先用 sharewatch ingest 加载平台导出文件，或用 --db 指定已加载记录的数据库。\n`,
    ]);
  });

  it('warns when the as-of date is not over yet', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sw.duckdb');
    expect(await main(['ingest', INBOX_SMALL, '--db', file], captureCli(dir))).toBe(0);
    const past = captureCli(dir);
    expect(await main(['score', '--year', '2026', '--as-of', '2026-11-20', '--db', file], past)).toBe(0);
    expect(past.err.join('')).toBe('');
    const future = captureCli(dir);
    expect(await main(['score', '--year', '2026', '--as-of', '2026-11-21', '--db', file], future)).toBe(0);
    expect(future.err.join('')).toBe(
      '注意：截止日 2026-11-21 晚于昨天 2026-11-20（今天尚未结束）。之后的记录还没有产生，' +
        '在截止日前到期而尚未办理的事项已按截止日判为逾期或未办理；正式评估请用已经过去的截止日。\n',
    );
  });

  it('checks the demo options before generating anything', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo', 'sw.duckdb');
    for (const [args, message] of [
      [['--seed', 'abc'], '错误：--seed 应为非负整数（收到：abc）。\n'],
      [['--scale', '0'], '错误：--scale 应为大于 0、不超过 10 的数（收到：0）。\n'],
      [
        ['--profile', 'nope'],
        `错误：未找到评估规则配置 nope（${path.join(REPO_ROOT, 'config', 'profiles', 'nope.yaml')}）。` +
          '可用的配置：guangdong-2018, liyang-2020, shaanxi-2017, yingkou-2022, zhongshan-draft\n',
      ],
    ] as const) {
      const cli = captureCli(dir);
      expect([await main(['demo', ...args, '--db', file], cli), cli.err.join(''), cli.out.join('')]).toEqual([
        1,
        message,
        '',
      ]);
    }
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('lists the known profiles when the profile id is wrong', async () => {
    const dir = tempDir();
    const cli = captureCli(dir);
    expect(
      await main(['score', '--profile', 'shanxi', '--year', '2026', '--db', path.join(dir, 'x.duckdb')], cli),
    ).toBe(1);
    expect(cli.err.join('')).toContain(
      '可用的配置：guangdong-2018, liyang-2020, shaanxi-2017, yingkou-2022, zhongshan-draft',
    );
  });

  it('takes a profile id as a name in the profiles folder, not as a path', async () => {
    const dir = tempDir();
    const cli = captureCli(dir);
    const argv = [
      'score',
      '--profile',
      '../profiles/shaanxi-2017',
      '--year',
      '2026',
      '--db',
      path.join(dir, 'x.duckdb'),
    ];
    expect([await main(argv, cli), cli.err.join('')]).toEqual([
      1,
      `错误：评估规则配置编号 ../profiles/shaanxi-2017 无效：应由小写字母、数字和连字符组成，对应 ${path.join(REPO_ROOT, 'config', 'profiles')} 中的同名 .yaml 文件。` +
        '可用的配置：guangdong-2018, liyang-2020, shaanxi-2017, yingkou-2022, zhongshan-draft\n',
    ]);
  });

  it('says in Chinese that the disk is full when an export cannot be written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sw.duckdb');
    expect(await main(['ingest', INBOX_SMALL, '--db', file], captureCli(dir))).toBe(0);
    const cli = captureCli(dir);
    expect([
      await main(['export', 'rejects', '--out', '/dev/full', '--db', file], cli),
      cli.err.join(''),
    ]).toEqual([1, '错误：无法写入输出文件 /dev/full：磁盘空间不足。\n']);
  });

  it('says the database is held by another process instead of crashing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { openDatabase } = await import(${JSON.stringify(path.join(REPO_ROOT, 'store', 'db.ts'))});
         await openDatabase(${JSON.stringify(file)}); console.log('held'); setInterval(() => {}, 1000);`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const cli = captureCli(dir);
      expect(await main(['score', '--profile', 'shaanxi-2017', '--year', '2026', '--db', file], cli)).toBe(1);
      expect(cli.err.join('')).toBe(
        `错误：数据库文件 ${file} 正被另一个进程使用（例如另一条 sharewatch 命令）。请等待该进程结束，或停止它后重试；也可以用 --db 指定另一个数据库文件。\n`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('runs as `sharewatch` through the package bin entry', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'sharewatch.js'), 'score', '--help'], {
      cwd: tempDir(),
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toContain('--as-of <date>');
  });

  it('ends quietly when the reader of its output stops early (`sharewatch ... | head`)', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'sharewatch.js'), '--help'], {
      cwd: tempDir(),
    });
    // the reading end is gone before the command writes anything: its first write fails with EPIPE
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([code, err]).toEqual([0, '']);
  });
});
