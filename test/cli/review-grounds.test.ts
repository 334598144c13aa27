// A review decision covers the records it was made on: when a later run finds more (another unapproved read
// in the same month), the decision no longer applies and the finding counts again until reviewed; the same
// record re-sent in a later export (another batch) is the same ground and keeps the decision.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legacyReviewLogHash } from '../../metrics/reviews.ts';
import { openDatabase } from '../../store/db.ts';
import { INBOX_SMALL, REPO_ROOT, tempDir } from '../helpers.ts';
import { cliWorkspace } from './cli-env.ts';

const dir = tempDir();
const { run, database } = cliWorkspace(dir);
const period = ['--profile', 'fixture-basic', '--year', '2026'];

type Finding = {
  finding_id: string;
  rule_id: string;
  subject_id: string;
  status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
};
const findings = async (): Promise<Finding[]> =>
  JSON.parse((await run(['export', 'findings', ...period, '--format', 'json'])).out) as Finding[];
const statusOf = (all: Finding[], id: string) => all.find((f) => f.finding_id === id)!.status;
/** The manifest id `score` prints (运行编号（清单）：M-…). */
const manifestOf = (out: string): string => /运行编号（清单）：(M-[0-9a-f]+)/.exec(out)![1]!;

beforeAll(async () => {
  expect((await run(['ingest', INBOX_SMALL])).code).toBe(0);
  expect((await run(['score', ...period, '--as-of', '2026-12-31'])).code).toBe(0);
});

describe('review decisions and their grounds', () => {
  it('stop applying when the finding gains records, and keep applying when the same records are re-sent', async () => {
    const before = await findings();
    const ac3 = before.find(
      (f) => f.rule_id === 'misuse.unapproved_access' && f.subject_id === 'D01/R003/2026-10',
    )!;
    const sq2 = before.find((f) => f.rule_id === 'supply.request_response' && f.subject_id === 'SQ2')!;
    for (const f of [ac3, sq2])
      expect(
        (await run(['review', f.finding_id, '--dismiss', '--reason', '已核实', '--by', '李评估'])).code,
      ).toBe(0);
    expect((await run(['score', ...period, '--as-of', '2026-12-31'])).code).toBe(0);
    const dismissed = await findings();
    expect([statusOf(dismissed, ac3.finding_id), statusOf(dismissed, sq2.finding_id)]).toEqual([
      'dismissed',
      'dismissed',
    ]);

    // AC9: D01 reads R003 again without approval in October; SQ2 comes again, unchanged, in a November export
    const inbox = tempDir('sw-inbox-');
    writeFileSync(
      path.join(inbox, 'access_log_2026-10-late.csv'),
      'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records,items,approval_id,client_ip,result\n' +
        'AC9,2026-10-27 10:00:00,D01,u011,R003,D03,query,1,公民身份号码,,10.8.0.9,ok\n',
    );
    writeFileSync(
      path.join(inbox, 'share_requests_2026-11.csv'),
      'request_id,requester_dept,provider_dept,resource_code,purpose,requested_items,submitted_at,responded_at,decision,reason,legal_basis,valid_from,valid_until,approved_items\n' +
        'SQ2,D03,D01,R001,社保待遇资格认证,公民身份号码;姓名;户籍地址,2026-09-28 11:00:00,2026-10-19 09:05:00,approved,,,2026-10-19 09:05:00,2026-12-31 23:59:59,公民身份号码;姓名\n',
    );
    expect((await run(['ingest', inbox])).code).toBe(0);
    const latestRun = manifestOf((await run(['score', ...period, '--as-of', '2026-12-31'])).out);
    const after = await findings();
    expect([statusOf(after, ac3.finding_id), statusOf(after, sq2.finding_id)]).toEqual(['open', 'dismissed']);
    // the export says who decided, when and why, for the decision the status shows only
    const review = (id: string) => {
      const f = after.find((x) => x.finding_id === id)!;
      return [f.reviewed_by, f.reviewed_at, f.review_reason];
    };
    expect([review(sq2.finding_id), review(ac3.finding_id)]).toEqual([
      ['李评估', '2026-11-21 10:00:00', '已核实'],
      [null, null, null],
    ]);
    const history = await run(['review', ac3.finding_id, '--history']);
    expect(history.out).toBe(
      `问题 ${ac3.finding_id} 的评审记录：\n` +
        '  #1 2026-11-21 10:00:00 李评估 撤销：已核实\n' +
        `  注意：含该问题的最近一次评估运行 ${latestRun} 中，其依据（证据中的记录）已与最近一次决定时不同，该决定不适用于该运行；问题按原状态计分；请依据该运行重新评审。\n`,
    );
    expect((await run(['review', sq2.finding_id, '--history'])).out).not.toContain('注意');
  });

  it('keeps a note in the history without changing what the finding counts as', async () => {
    const sq2 = (await findings()).find(
      (f) => f.rule_id === 'supply.request_response' && f.subject_id === 'SQ2',
    )!;
    expect(await run(['review', sq2.finding_id, '--note', '  ', '--by', '李评估'])).toEqual({
      code: 1,
      out: '',
      err: '错误：备注内容不能为空（--note）。\n',
    });
    const before = await run(['score', ...period, '--as-of', '2026-12-31']);
    const exported = (await run(['export', 'findings', ...period, '--format', 'json'])).out;
    const noted = await run(['review', sq2.finding_id, '--note', '部门已提交补正材料', '--by', '张审核']);
    expect(noted.out).toBe(
      `已为问题 ${sq2.finding_id} 添加备注（第 3 条评审记录，张审核，2026-11-21 10:00:00），不改变其状态。\n` +
        `问题 ${sq2.finding_id} 的评审记录：\n` +
        '  #2 2026-11-21 10:00:00 李评估 撤销：已核实\n' +
        '  #3 2026-11-21 10:00:00 张审核 备注：部门已提交补正材料\n',
    );
    // a note decides nothing: the next run of the same data has the same manifest and the same export
    const after = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect(manifestOf(after.out)).toBe(manifestOf(before.out));
    expect((await run(['export', 'findings', ...period, '--format', 'json'])).out).toBe(exported);
    expect(statusOf(await findings(), sq2.finding_id)).toBe('dismissed');
  });

  it('verifies a run whose manifest an earlier version made with the notes in its review hash', async () => {
    const manifest = manifestOf((await run(['score', ...period, '--as-of', '2026-12-31'])).out);
    const handle = await openDatabase(database);
    const [stored] = await handle.query<{ review_seq: number }>(
      'select review_seq::integer as review_seq from runs where run_id = $run',
      { run: manifest },
    );
    // the run pinned decision #2; the log also holds note #3, which the old hash covered
    expect(stored!.review_seq).toBe(2);
    await handle.run('update runs set review_seq = 3, review_hash = $hash where run_id = $run', {
      run: manifest,
      hash: await legacyReviewLogHash(handle, 3),
    });
    handle.close();
    const checked = await run(['verify', manifest]);
    // (the id stays: only the stored hash is the old kind here, the manifest id was made by this version)
    expect(checked.out).toBe(
      `identical：运行 ${manifest} 已从 13 个输入批次在新数据库中重算，问题清单与得分完全一致。\n`,
    );
    expect(checked.code).toBe(0);
  });
});

describe('a review decision and the department charged', () => {
  const other = cliWorkspace(tempDir(), path.join(REPO_ROOT, 'config', 'profiles'));
  const shaanxi = ['--profile', 'shaanxi-2017', '--year', '2026'];
  const otherFindings = async (): Promise<Finding[]> =>
    JSON.parse((await other.run(['export', 'findings', ...shaanxi, '--format', 'json'])).out) as Finding[];

  it('does not follow the finding to another department when a corrected export reassigns it', async () => {
    const inbox = tempDir('sw-inbox-');
    const events = (dept: string) =>
      `event_id,dept_code,kind,occurred_on,reference,description\nEV9,${dept},职能调整,2026-11-02,,职能划转\n`;
    writeFileSync(path.join(inbox, 'change_events_2026-11.csv'), events('D01'));
    // catalog records that could show an update (another department's changes before the event and after
    // its deadline): without them the event would be a data gap, which takes no decision
    writeFileSync(
      path.join(inbox, 'catalog_changes_2026.csv'),
      'change_id,resource_code,dept_code,action,changed_at,note\nCH1,R009,D09,modify,2026-01-05 09:00:00,\n' +
        'CH2,R009,D09,modify,2026-12-30 09:00:00,\n',
    );
    expect((await other.run(['ingest', inbox])).code).toBe(0);
    expect((await other.run(['score', ...shaanxi, '--as-of', '2026-12-31'])).code).toBe(0);
    const ev9 = (await otherFindings()).find((f) => f.subject_id === 'EV9')!;
    expect(ev9.status).toBe('open');
    const review = ['review', ev9.finding_id, '--dismiss', '--reason', '不涉及本部门职能，系误派'];
    expect((await other.run([...review, '--by', '李评估'])).code).toBe(0);
    expect((await other.run(['score', ...shaanxi, '--as-of', '2026-12-31'])).code).toBe(0);
    expect(statusOf(await otherFindings(), ev9.finding_id)).toBe('dismissed');

    writeFileSync(path.join(inbox, 'change_events_2026-11-corrected.csv'), events('D03'));
    expect((await other.run(['ingest', path.join(inbox, 'change_events_2026-11-corrected.csv')])).code).toBe(
      0,
    );
    expect((await other.run(['score', ...shaanxi, '--as-of', '2026-12-31'])).code).toBe(0);
    const reassigned = (await otherFindings()).find((f) => f.finding_id === ev9.finding_id) as Finding & {
      dept_code: string;
    };
    expect([reassigned.dept_code, reassigned.status]).toEqual(['D03', 'open']);
  });
});

describe('review decisions and the run they were made on', () => {
  const ws = cliWorkspace(tempDir());
  const year = ['--profile', 'fixture-basic', '--year', '2026'];
  const october = [...year, '--month', '10'];
  const statusIn = async (periodArgs: string[], id: string) =>
    statusOf(
      JSON.parse((await ws.run(['export', 'findings', ...periodArgs, '--format', 'json'])).out) as Finding[],
      id,
    );

  it('binds a decision to the run reviewed, and a later decision on another run does not cancel it', async () => {
    const inbox = tempDir('sw-inbox-');
    writeFileSync(
      path.join(inbox, 'access_log_2026-10-late.csv'),
      'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records,items,approval_id,client_ip,result\n' +
        'AC9,2026-10-28 10:00:00,D01,u011,R003,D03,query,1,公民身份号码,,10.8.0.9,ok\n',
    );
    expect((await ws.run(['ingest', INBOX_SMALL])).code).toBe(0);
    expect((await ws.run(['ingest', inbox])).code).toBe(0);
    // the year's run holds AC3 and AC9 in D01/R003/2026-10; October's, as of 10-25, AC3 only
    const yearRun = manifestOf((await ws.run(['score', ...year, '--as-of', '2026-12-31'])).out);
    const octRun = manifestOf((await ws.run(['score', ...october, '--as-of', '2026-10-25'])).out);
    const all = JSON.parse(
      (await ws.run(['export', 'findings', ...year, '--format', 'json'])).out,
    ) as Finding[];
    const f = all.find(
      (x) => x.rule_id === 'misuse.unapproved_access' && x.subject_id === 'D01/R003/2026-10',
    )!;

    // reviewed in the year's report, although October's run is the latest
    const confirmed = await ws.run(['review', f.finding_id, '--confirm', '--by', '李评估', '--run', yearRun]);
    expect(confirmed.out).toContain(`依据运行 ${yearRun} 中该问题的证据`);
    expect((await ws.run(['score', ...year, '--as-of', '2026-12-31'])).code).toBe(0);
    expect((await ws.run(['score', ...october, '--as-of', '2026-10-25'])).code).toBe(0);
    expect([await statusIn(year, f.finding_id), await statusIn(october, f.finding_id)]).toEqual([
      'confirmed',
      'open',
    ]);

    // then dismissed on October's evidence: the year keeps its confirmation
    const dismiss = [
      'review',
      f.finding_id,
      '--dismiss',
      '--reason',
      '10-25 前的访问已补批',
      '--by',
      '张审核',
    ];
    expect((await ws.run([...dismiss, '--run', octRun])).code).toBe(0);
    expect((await ws.run(['score', ...october, '--as-of', '2026-10-25'])).code).toBe(0);
    // a new manifest: the review log it pins has grown
    const yearRerun = manifestOf((await ws.run(['score', ...year, '--as-of', '2026-12-31'])).out);
    expect([await statusIn(year, f.finding_id), await statusIn(october, f.finding_id)]).toEqual([
      'confirmed',
      'dismissed',
    ]);
    // the year's run is now the latest: the latest decision was made on October's evidence
    expect((await ws.run(['review', f.finding_id, '--history'])).out).toContain(
      `含该问题的最近一次评估运行 ${yearRerun} 中，其依据（证据中的记录）已与最近一次决定时不同，该决定不适用于该运行；该运行适用依据相同的第 1 条评审记录。`,
    );
    expect(await ws.run(['review', f.finding_id, '--confirm', '--by', '李评估', '--run', 'M-0000'])).toEqual({
      code: 1,
      out: '',
      err: '错误：没有运行编号为 M-0000 的评估运行。\n',
    });
  });
});
