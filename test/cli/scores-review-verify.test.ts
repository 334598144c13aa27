// Scores, reviews, fix-first and verify end to end through the CLI, on inbox-small with a fixed test
// profile (test/fixtures/profiles/fixture-basic.yaml) so the hand-computed numbers stay put.
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/db.ts';
import { INBOX_SMALL, tempDir } from '../helpers.ts';
import { captureCli, cliWorkspace } from './cli-env.ts';
import { main } from '../../cli/main.ts';

const dir = tempDir();
const { run, database: db, config } = cliWorkspace(dir);
const period = ['--profile', 'fixture-basic', '--year', '2026'];

async function scores(): Promise<Array<Record<string, unknown>>> {
  await run(['score', ...period, '--as-of', '2026-12-31']);
  return JSON.parse((await run(['export', 'scores', ...period, '--format', 'json'])).out) as Array<
    Record<string, unknown>
  >;
}

async function findings(): Promise<
  Array<{ finding_id: string; rule_id: string; subject_id: string; status: string; manifest_id: string }>
> {
  return JSON.parse((await run(['export', 'findings', ...period, '--format', 'json'])).out) as never;
}

const brief = (s: Record<string, unknown>) => [
  s.dept_code,
  s.supply,
  s.misuse,
  s.total,
  s.grade,
  s.rank,
  s.veto,
];

beforeAll(async () => {
  expect((await run(['ingest', INBOX_SMALL])).code).toBe(0);
});

describe('scores, reviews and verification', () => {
  it('scores every department exactly, leaving dimensions with nothing to measure empty', async () => {
    const rows = await scores();
    expect(rows.map(brief)).toEqual([
      ['D02', null, '90.00', '90.00', '优秀', 1, false],
      ['D01', '50.00', '90.00', '66.00', '合格', 2, false],
      ['D03', '38.46', '90.00', '59.08', '不合格', 3, false],
    ]);
    expect(rows[0]).toMatchObject({
      catalog: null,
      quality: null,
      period: '2026',
      profile: 'fixture-basic',
      profile_version: '0.1.0',
    });
    const again = (await run(['export', 'scores', ...period])).out;
    await scores();
    expect((await run(['export', 'scores', ...period])).out).toBe(again);
  });

  it('lists what to fix first with the points each correction is worth', async () => {
    const out = JSON.parse((await run(['fix-first', ...period, '--dept', 'D03', '--json'])).out) as {
      items: Array<{ subject_id: string; gain: string }>;
    };
    expect(out.items.map((i) => [i.subject_id, i.gain])).toEqual([
      ['SQ4', '23.07'],
      ['SQ3', '13.84'],
      ['D03/R001/2026-10', '4.00'],
    ]);
  });

  it('checks the period flags and names an output file it cannot write', async () => {
    const exportScores = (flags: string[]) =>
      run(['export', 'scores', '--profile', 'fixture-basic', ...flags]);
    for (const [flags, err] of [
      [['--year', '0000'], '--year 应为四位年份，例如 2026（收到：0000）'],
      [['--year', '2026', '--month', '013'], '--month 应为 1 到 12（收到：13）'],
      [['--year', '2026', '--quarter', '1.5'], '--quarter 应为 1 到 4 的整数（收到：1.5）'],
    ] as const)
      expect(await exportScores([...flags])).toEqual({ code: 1, out: '', err: `错误：${err}\n` });
    // 012 is December, whose run does not exist
    const december = await exportScores(['--year', '2026', '--month', '012']);
    expect([december.code, december.err]).toEqual([1, expect.stringContaining('2026-12') as string]);
    const missing = `${dir}/no-such-dir/scores.csv`;
    expect(await exportScores(['--year', '2026', '--out', missing])).toEqual({
      code: 1,
      out: '',
      err: `错误：无法写入输出文件 ${missing}：所在目录不存在。\n`,
    });
  });

  it('refuses a --top that is not a positive integer and a department the run did not score', async () => {
    for (const top of ['0', 'abc', '1.5', '1e1'])
      expect(await run(['fix-first', ...period, '--top', top])).toEqual({
        code: 1,
        out: '',
        err: `错误：--top 应为正整数（每个部门列出几项），收到“${top}”。\n`,
      });
    const unknown = await run(['fix-first', ...period, '--dept', 'D99']);
    expect([unknown.code, unknown.err]).toEqual([
      1,
      expect.stringMatching(/^错误：运行 M-\S+ 中没有部门 D99 的得分。\n$/),
    ]);
  });

  it('refuses a blank reviewer (or none to be found) and an unknown finding, also for --history', async () => {
    const [some] = await findings();
    // no --by and no SHAREWATCH_USER or USER in the environment: nobody to name
    for (const by of [['--by', ''], ['--by', '   '], []])
      expect(await run(['review', some!.finding_id, '--confirm', ...by])).toEqual({
        code: 1,
        out: '',
        err: '错误：评审人不能为空（--by，或环境变量 SHAREWATCH_USER、USER）。\n',
      });
    for (const action of [['--history'], ['--confirm', '--by', '李评估']])
      expect(await run(['review', 'F-0000000000000000', ...action])).toEqual({
        code: 1,
        out: '',
        err: '错误：没有编号为 F-0000000000000000 的问题。\n',
      });
  });

  it('refuses flags the chosen action does not take, instead of dropping them', async () => {
    const [some] = await findings();
    for (const [args, message] of [
      [['--note', '已电话核实', '--reason', '理由'], '--reason 不适用于 --note'],
      [['--confirm', '--reason', '理由'], '--reason 不适用于 --confirm'],
      [['--history', '--reason', '理由', '--by', '李评估'], '--reason、--by 不适用于 --history'],
    ] as const)
      expect(
        await run([
          'review',
          some!.finding_id,
          ...args,
          ...((args as readonly string[]).includes('--by') ? [] : ['--by', '李评估']),
        ]),
      ).toEqual({
        code: 1,
        out: '',
        err: `错误：${message}：--reason 只用于 --dismiss、--exempt（备注写在 --note 中），--by 只用于记录评审。\n`,
      });
  });

  it('requires a reason to dismiss, keeps every decision, and counts them in the next run', async () => {
    const all = await findings();
    const sq2 = all.find((f) => f.rule_id === 'supply.request_response' && f.subject_id === 'SQ2')!;
    const ac3 = all.find(
      (f) => f.rule_id === 'misuse.unapproved_access' && f.subject_id === 'D01/R003/2026-10',
    )!;
    const summaryLine = async (rule: string) =>
      (await run(['score', ...period, '--as-of', '2026-12-31'])).out
        .split('\n')
        .find((l) => l.includes(`\u3000${rule}\u3000`))!;
    expect(await summaryLine('supply.request_response')).toBe(
      '  共享申请逾期答复\u3000supply.request_response\u30001（3）',
    );
    const refused = await run(['review', sq2.finding_id, '--dismiss']);
    expect([refused.code, refused.err]).toEqual([1, '错误：撤销问题必须填写理由（--reason）。\n']);
    // a reason that states nothing is no reason: 无, or only invisible marks
    for (const [reason, shown] of [
      ['无', '无'],
      ['\t\u200b', '\u200b'],
    ]) {
      const empty = await run(['review', sq2.finding_id, '--exempt', '--reason', reason!, '--by', '李评估']);
      expect([empty.code, empty.err]).toEqual([
        1,
        `错误：豁免问题必须说明理由（--reason），“${shown}”没有说明任何内容。\n`,
      ]);
    }
    expect(
      (
        await run([
          'review',
          sq2.finding_id,
          '--dismiss',
          '--reason',
          '申请材料 10-16 补正，期限重新起算',
          '--by',
          '李评估',
        ])
      ).code,
    ).toBe(0);
    expect((await run(['review', ac3.finding_id, '--confirm', '--by', '李评估'])).code).toBe(0);
    // the summary counts as the exports do: the dismissed finding is beside the count, not in it
    expect(await summaryLine('supply.request_response')).toBe(
      '  共享申请逾期答复\u3000supply.request_response\u30000（3），另有 1 项经评审撤销',
    );
    const history = await run(['review', sq2.finding_id, '--history']);
    expect(history.out).toBe(
      `问题 ${sq2.finding_id} 的评审记录：\n  #1 2026-11-21 10:00:00 李评估 撤销：申请材料 10-16 补正，期限重新起算\n`,
    );
    const rows = await scores();
    expect(rows.map(brief)).toEqual([
      ['D01', '100.00', '90.00', '96.00', '合格', 1, true],
      ['D02', null, '90.00', '90.00', '优秀', 2, false],
      ['D03', '38.46', '90.00', '59.08', '不合格', 3, false],
    ]);
    const statuses = (await findings())
      .filter((f) => [sq2.finding_id, ac3.finding_id].includes(f.finding_id))
      .map((f) => f.status);
    expect(statuses.sort()).toEqual(['confirmed', 'dismissed']);
  });

  it('scores quarters and shows the change against the previous quarter', async () => {
    const q = (n: string) => ['--profile', 'fixture-basic', '--year', '2026', '--quarter', n];
    // a run part-way through Q3 is no baseline: Q4's change is then not computed
    expect((await run(['score', ...q('3'), '--as-of', '2026-08-31'])).code).toBe(0);
    const q4early = await run(['score', ...q('4'), '--as-of', '2026-12-31']);
    expect(q4early.out).toContain(
      '变化：上一评估期 2026-Q3 没有同一评估配置下的完整评估运行（截止日不早于其期末，且评估时截止日已过），本期不计算得分变化\n',
    );
    const q4earlyId = /运行编号（清单）：(M-[0-9a-f]{16})/.exec(q4early.out)![1]!;
    // nor is a run of Q3 to its end made on 09-15, before that end had come
    const early = captureCli(dir, {}, new Date('2026-09-15T02:00:00Z'));
    expect(await main(['--config', config, 'score', ...q('3'), '--as-of', '2026-09-30'], early)).toBe(0);
    expect((await run(['score', ...q('4'), '--as-of', '2026-12-31'])).out).toContain(
      '变化：上一评估期 2026-Q3 没有同一评估配置下的完整评估运行（截止日不早于其期末，且评估时截止日已过），本期不计算得分变化\n',
    );
    const q3run = await run(['score', ...q('3')]);
    expect(q3run.code).toBe(0);
    expect(q3run.out).toContain(
      '变化：上一评估期 2026-Q2 没有同一评估配置下的完整评估运行（截止日不早于其期末，且评估时截止日已过），本期不计算得分变化\n',
    );
    const q3id = /运行编号（清单）：(M-[0-9a-f]{16})/.exec(q3run.out)![1]!;
    const q4run = await run(['score', ...q('4'), '--as-of', '2026-12-31']);
    expect(q4run.code).toBe(0);
    expect(q4run.out).toContain(`变化：与上一评估期 2026-Q3 的运行 ${q3id} 相比\n`);
    // the baseline is part of the manifest: the same inputs with another baseline are another run
    expect(/运行编号（清单）：(M-[0-9a-f]{16})/.exec(q4run.out)![1]).not.toBe(q4earlyId);
    const q3 = JSON.parse((await run(['export', 'scores', ...q('3'), '--format', 'json'])).out) as Array<
      Record<string, unknown>
    >;
    const q4 = JSON.parse((await run(['export', 'scores', ...q('4'), '--format', 'json'])).out) as Array<
      Record<string, unknown>
    >;
    // Q3 as of 09-30 (the quarter's end, before today): only SQ4 is due, unanswered -> D03 supply 0
    expect(q3.map((s) => [s.dept_code, s.period, s.total, s.rank, s.change])).toEqual([
      ['D03', '2026-Q3', '0.00', 1, null],
      ['D01', '2026-Q3', null, null, null],
      ['D02', '2026-Q3', null, null, null],
    ]);
    // Q4 holds what falls due or is refused in it, though submitted in Q3: SQ1 and SQ2 (submitted 09-28, due
    // 10-16; SQ2's lateness dismissed above) make D01's supply 100; SQ3 (submitted 09-30, due 10-20, refused
    // 10-09 without a reason) is on time but unexplained: D03 supply (50 x 100 + 15 x 0) / 65 = 76.92, total
    // (30 x 76.92 + 20 x 90) / 50 = 82.15. D01 keeps the veto of the confirmed AC3.
    expect(q4.map((s) => [s.dept_code, s.period, s.supply, s.total, s.grade, s.change])).toEqual([
      ['D01', '2026-Q4', '100.00', '96.00', '合格', null],
      ['D02', '2026-Q4', null, '90.00', '优秀', null],
      ['D03', '2026-Q4', '76.92', '82.15', '良好', '82.15'],
    ]);
  });
  it('verifies a run from its manifest, and lists the differences when a stored record was altered', async () => {
    const manifest = (await findings())[0]!.manifest_id;
    const ok = await run(['verify', manifest]);
    expect([ok.code, ok.out]).toEqual([
      0,
      `identical：运行 ${manifest} 已从 11 个输入批次在新数据库中重算，问题清单与得分完全一致。\n`,
    ]);
    // a quarter's change is measured against the previous quarter's run its manifest names: verify
    // recomputes that run too
    const q4 = ['--profile', 'fixture-basic', '--year', '2026', '--quarter', '4', '--format', 'json'];
    const q4manifest = (
      JSON.parse((await run(['export', 'scores', ...q4])).out) as Array<{ manifest_id: string }>
    )[0]!.manifest_id;
    const q3manifest = (
      await run([
        'export',
        'scores',
        '--profile',
        'fixture-basic',
        '--year',
        '2026',
        '--quarter',
        '3',
        '--format',
        'json',
      ])
    ).out.match(/M-[0-9a-f]{16}/)![0];
    const q4ok = await run(['verify', q4manifest]);
    expect([q4ok.code, q4ok.out]).toEqual([
      0,
      `identical：运行 ${q4manifest} 已从 11 个输入批次在新数据库中重算，问题清单与得分完全一致，得分变化已与重算的上一评估期运行 ${q3manifest} 核对。\n`,
    ]);
    const handle = await openDatabase(db);
    await handle.run(
      `update raw_share_requests set responded_at = timestamp '2026-08-05 10:00:00', decision = 'approved'
       where request_id = 'SQ4'`,
    );
    handle.close();
    const bad = await run(['verify', manifest]);
    expect(bad.code).toBe(4);
    expect(bad.out).toContain('处不同');
    expect(bad.out).toMatch(/问题 F-[0-9a-f]{16}：仅存在于原运行/);
    expect(bad.out).toContain('得分 D03 的 supply 不同：原 "38.46"，重算 "76.92"');
    const q4bad = await run(['verify', q4manifest]);
    expect(q4bad.code).toBe(4);
    const prev = `  上一评估期 2026-Q3（运行 ${q3manifest}）：`;
    expect(q4bad.out.replace(/F-[0-9a-f]{16}/, 'F-…')).toBe(
      [
        `运行 ${q4manifest} 重算结果有 7 处不同：`,
        `${prev}问题 F-…：仅存在于原运行`,
        `${prev}得分 D03 的 supply 不同：原 "0.00"，重算 "100.00"`,
        `${prev}得分 D03 的 total 不同：原 "0.00"，重算 "100.00"`,
        `${prev}得分 D03 的 grade 不同：原 "不合格"，重算 "优秀"`,
        `${prev}指标 D03/supply_response_rate 的 failed_units 不同：原 1，重算 0`,
        `${prev}指标 D03/supply_response_rate 的 score 不同：原 "0.00"，重算 "100.00"`,
        '  得分 D03 的 change 不同：原 "82.15"，重算 "-17.85"',
        '',
      ].join('\n'),
    );
    // an altered review log is an input difference even where the numbers come out the same
    const edit = await openDatabase(db);
    await edit.run(`update reviews set actor = '王某' where seq = 1`);
    edit.close();
    const altered = await run(['verify', manifest]);
    expect(altered.code).toBe(4);
    expect(altered.out).toMatch(
      /\n {2}评审记录第 1 至 2 条的内容与评估时不同（评估时哈希 [0-9a-f]{12}，现为 [0-9a-f]{12}）\n/,
    );
    // the previous quarter's run included the same reviews: its altered log is named too
    expect((await run(['verify', q4manifest])).out).toMatch(
      /\n {2}上一评估期 2026-Q3（运行 M-[0-9a-f]{16}）：评审记录第 1 至 2 条的内容与评估时不同（评估时哈希 [0-9a-f]{12}，现为 [0-9a-f]{12}）\n/,
    );
  });
});
