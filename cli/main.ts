// The `sharewatch` command: parses arguments (commander), runs one sub-command, and turns errors into a
// clear Chinese message and an exit code. Known errors never show a stack trace; unknown ones show it only
// with SHAREWATCH_DEBUG=1, because users need the message and developers need the stack.
import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../config/errors.ts';
import { commanderErrorZh, HELP_ZH } from './commander-zh.ts';
import type { CliEnv } from './context.ts';

export function defaultCliEnv(): CliEnv {
  return {
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

interface ScoreCliOptions {
  profile?: string;
  year: string;
  quarter?: string;
  month?: string;
  asOf?: string;
  db?: string;
}

interface ExportCliOptions extends ScoreCliOptions {
  format: string;
  out?: string;
  bom: boolean;
}

interface RejectExportCliOptions {
  file?: string;
  format: string;
  out?: string;
  bom: boolean;
  db?: string;
}

function buildProgram(cli: CliEnv, setCode: (code: number) => void): Command {
  const program = new Command('sharewatch')
    .description('ShareWatch 政务数据共享监督：采集共享平台记录，按法规条款评估各部门并给出证据')
    .option('--config <file>', '配置文件（默认 ./sharewatch.yaml，不存在则使用默认配置）')
    .option('--db <file>', '数据库文件（默认 ./data/sharewatch.duckdb 或环境变量 SHAREWATCH_DB）')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .showHelpAfterError('（使用 --help 查看用法）')
    .exitOverride()
    .configureHelp(HELP_ZH)
    .configureOutput({
      writeOut: cli.stdout,
      writeErr: cli.stderr,
      outputError: (text, write) => write(commanderErrorZh(text)),
    });
  const globals = () => program.opts<{ config?: string; db?: string }>();

  program
    .command('ingest')
    .description('加载共享平台导出的记录文件（文件夹或文件列表；CSV、GBK、JSONL、.gz）')
    .argument('[路径...]', '收件箱文件夹或文件（默认：配置中的 inbox）')
    .option('--db <file>', '数据库文件')
    .option('--json', '以 JSON 输出每个文件的结果')
    .action(async (paths: string[], opts: { db?: string; json?: boolean }) => {
      const { runIngest } = await import('./ingest.ts');
      setCode(await runIngest(cli, paths, { ...globals(), ...opts }));
    });

  const periodFlags = (cmd: Command, what: string) =>
    cmd
      .option(
        '--profile <id>',
        '评估配置，如 shaanxi-2017、guangdong-2018、yingkou-2022、liyang-2020、zhongshan-draft（默认：配置文件的 defaultProfile，未设置时为 shaanxi-2017）',
      )
      .requiredOption('--year <yyyy>', `${what}年度`)
      .option('--quarter <q>', '季度 1-4（与 --month 二选一）')
      .option('--month <m>', '月份 1-12')
      .option('--db <file>', '数据库文件');

  periodFlags(
    program.command('score').description('按评估配置计算某年度（季度、月份）的问题清单和各部门得分'),
    '评估',
  )
    .option('--as-of <date>', '评估截止日 YYYY-MM-DD，含当日的记录（默认：昨天与评估期末中较早者）')
    .action(async (opts: ScoreCliOptions) => {
      const { runScore } = await import('./score.ts');
      setCode(await runScore(cli, { ...globals(), ...opts }));
    });

  const exportCmd = program
    .command('export')
    .description('导出评估结果和加载拒收记录（稳定格式，供脚本和其他系统读取）');
  for (const [what, description] of [
    ['findings', '导出问题清单（最近一次评估运行）'],
    ['scores', '导出各部门得分（最近一次评估运行）'],
  ] as const) {
    periodFlags(exportCmd.command(what).description(description), '评估')
      .addOption(new Option('--format <format>', '输出格式').choices(['csv', 'json']).default('csv'))
      .option('--out <file>', '输出文件（默认：标准输出）')
      .option('--no-bom', 'CSV 不写 UTF-8 BOM（默认写入，便于 Excel 正确显示中文）')
      .action(async (opts: ExportCliOptions) => {
        const { runExport } = await import('./export.ts');
        setCode(await runExport(cli, what, { ...globals(), ...opts }));
      });
  }

  exportCmd
    .command('rejects')
    .description(
      '导出加载时拒收的行和被隔离的文件（文件、行号、列、取值、原因和整行原文），便于更正后重新发送',
    )
    .option('--file <name>', '只导出某个文件（文件名或完整路径）')
    .addOption(new Option('--format <format>', '输出格式').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', '输出文件（默认：标准输出）')
    .option('--no-bom', 'CSV 不写 UTF-8 BOM（默认写入，便于 Excel 正确显示中文）')
    .option('--db <file>', '数据库文件')
    .action(async (opts: RejectExportCliOptions) => {
      const { runExportRejects } = await import('./export.ts');
      setCode(await runExportRejects(cli, { ...globals(), ...opts }));
    });

  program
    .command('review')
    .description('评审问题：确认、撤销（须填理由）、豁免（须填理由）或添加备注，并查看评审记录')
    .argument('<问题编号>', '问题编号，如 F-51ca56c52a5c131b')
    .option('--confirm', '确认问题成立')
    .option('--dismiss', '撤销问题（不计入得分）')
    .option('--exempt', '豁免问题（不计入得分）')
    .option('--reason <text>', '理由（撤销、豁免时必填）')
    .option('--note <text>', '为问题添加备注（不改变其状态，记入评审记录）')
    .option('--by <name>', '评审人（默认：环境变量 SHAREWATCH_USER，其次 USER；都没有时必须给出）')
    .option('--history', '只显示评审记录')
    .option('--run <manifest-id>', '所评审的评估运行（清单编号）；默认：含该问题的最近一次运行')
    .option('--db <file>', '数据库文件')
    .action(async (findingId: string, opts: Record<string, string | boolean | undefined>) => {
      const { runReview } = await import('./review.ts');
      setCode(await runReview(cli, findingId, { ...globals(), ...opts }));
    });

  program
    .command('verify')
    .description('按清单在新数据库中重算一次评估运行，核对结果是否完全一致')
    .argument('<清单编号>', '运行编号（清单），如 M-2715626f71350c6d')
    .option('--db <file>', '数据库文件')
    .action(async (manifestId: string, opts: { db?: string }) => {
      const { runVerify } = await import('./verify.ts');
      setCode(await runVerify(cli, manifestId, { ...globals(), ...opts }));
    });

  periodFlags(
    program
      .command('fix-first')
      .description('优先整改建议：每个部门失分最多的问题，及每项不再计入时总分可提高的分数'),
    '评估',
  )
    .option('--dept <code>', '只看某个部门')
    .option('--top <n>', '每个部门列出几项', '5')
    .option('--json', '以 JSON 输出')
    .action(async (opts: ScoreCliOptions & { dept?: string; top: string; json?: boolean }) => {
      const { runFixFirst } = await import('./fix-first.ts');
      setCode(await runFixFirst(cli, { ...globals(), ...opts }));
    });

  program
    .command('demo')
    .description('演示：生成示范市一年的平台记录，加载、评估并打印中文摘要')
    .option('--seed <n>', '随机种子（相同种子生成相同数据）', '1')
    .option('--year <yyyy>', '演示年度（默认：上一个完整年度）')
    .option('--profile <id>', '评估配置')
    .option('--scale <x>', '数据量倍数（默认 1：约 3,000 条申请、40 万条访问日志）')
    .option('--db <file>', '数据库文件')
    .action(async (opts: { seed: string; year?: string; profile?: string; scale?: string; db?: string }) => {
      const { runDemo } = await import('./demo.ts');
      setCode(await runDemo(cli, { ...globals(), ...opts }));
    });
  return program;
}

export async function main(argv: string[], cli: CliEnv = defaultCliEnv()): Promise<number> {
  let code = 0;
  const program = buildProgram(cli, (c) => {
    code = c;
  });
  // commander answers `help <unknown>` with the main help on stderr and no word of what was wrong
  const helpTopic = argv[0] === 'help' ? argv[1] : undefined;
  if (
    helpTopic !== undefined &&
    helpTopic !== 'help' &&
    !helpTopic.startsWith('-') &&
    !program.commands.some((c) => c.name() === helpTopic)
  ) {
    cli.stderr(
      `错误：未知命令 ${helpTopic}（可用命令：${program.commands.map((c) => c.name()).join('、')}）\n`,
    );
    return 1;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof AppError) {
      cli.stderr(`错误：${error.userMessage}\n`);
      return 1;
    }
    cli.stderr(`内部错误：${(error as Error).message}\n`);
    if (cli.env.SHAREWATCH_DEBUG) cli.stderr(`${(error as Error).stack}\n`);
    else cli.stderr('（设置环境变量 SHAREWATCH_DEBUG=1 可显示详细堆栈）\n');
    return 2;
  }
}
