// Records across exports: a later version of a record updates the current state (stg_*) and keeps its
// history (raw_*), never doubling a count; access-log events are stored once however often they are sent;
// a file already loaded adds nothing; platform headers and values map through the config.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../config/app-config.ts';
import { AppError } from '../../config/errors.ts';
import { REPO_ROOT, repoConfig } from '../helpers.ts';
import { ACCESS_HEADER, openHarness, SHARE_HEADER, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

const EXPORT_1 = [
  SHARE_HEADER,
  'SQ1,D02,D01,R001,企业开办身份核验,公民身份号码;姓名,2026-09-28 10:12:00,,pending,,,,,',
  'SQ2,D03,D01,R001,社保待遇资格认证,公民身份号码;姓名,2026-09-28 11:00:00,,待审核,,,,,',
];
const EXPORT_2 = [
  SHARE_HEADER,
  'SQ1,D02,D01,R001,企业开办身份核验,公民身份号码;姓名,2026-09-28 10:12:00,2026-10-16 17:40:00,approved,,,2026-10-16 17:40:00,2027-10-15 23:59:59,公民身份号码;姓名',
  'SQ2,D03,D01,R001,社保待遇资格认证,公民身份号码;姓名,2026-09-28 11:00:00,,pending,,,,,',
  'SQ3,D01,D03,R003,治安管理,参保状态,2026-09-30 10:30:00,2026-10-09 11:00:00,拒绝,无法律依据,,,,',
];

const requests = (h: Harness) =>
  h.db.query(
    'select request_id, responded_at, decision, approved_items from stg_share_requests order by request_id',
  );

describe('a share request answered in a later export', () => {
  it('shows the answer as current state and keeps both versions', async () => {
    h = await openHarness();
    h.write('share_requests_2026-10-01.csv', EXPORT_1);
    h.write('share_requests_2026-10-20.csv', EXPORT_2);
    const results = await h.ingest();
    expect(results.map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 2],
      ['loaded', 3],
    ]);
    const current = [
      {
        request_id: 'SQ1',
        responded_at: '2026-10-16 17:40:00',
        decision: 'approved',
        approved_items: ['公民身份号码', '姓名'],
      },
      { request_id: 'SQ2', responded_at: null, decision: 'pending', approved_items: null },
      { request_id: 'SQ3', responded_at: '2026-10-09 11:00:00', decision: 'rejected', approved_items: null },
    ];
    expect(await requests(h)).toEqual(current);
    expect(
      await h.db.query(
        `select r.decision, b.file_name from raw_share_requests r join batches b on b.batch_id = r._batch_id
         where request_id = 'SQ1' order by r._seq`,
      ),
    ).toEqual([
      { decision: 'pending', file_name: 'share_requests_2026-10-01.csv' },
      { decision: 'approved', file_name: 'share_requests_2026-10-20.csv' },
    ]);
    expect(await h.count('raw_share_requests')).toBe(5);
    expect(await h.count('stg_share_requests')).toBe(3);

    // the first export arriving again (renamed) is the same content: it adds nothing, the answer stands
    h.write('share_requests_resent.csv', EXPORT_1);
    const [again] = await h.ingest('share_requests_resent.csv');
    expect(again).toMatchObject({
      status: 'duplicate',
      duplicate: true,
      rows_loaded: 0,
      kind: 'share_requests',
    });
    expect(await requests(h)).toEqual(current);
    expect(await h.count('raw_share_requests')).toBe(5);
  });
});

describe('access-log exports that overlap', () => {
  const event = (id: string, ts = '2026-10-20 10:01:02') =>
    `${id},${ts},D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok`;

  it('stores each event once, keeps the first version of a re-sent event, and says how many were re-sent', async () => {
    h = await openHarness();
    h.write('access_log_2026-10-a.csv', [ACCESS_HEADER, event('A1'), event('A2'), event('A3')]);
    h.write('access_log_2026-10-b.csv', [
      ACCESS_HEADER,
      event('A3', '2026-10-30 08:00:00'),
      event('A4'),
      event('A5'),
    ]);
    const results = await h.ingest();
    expect(results.map((r) => [r.rows_loaded, r.rows_rejected, r.rows_resent])).toEqual([
      [3, 0, 0],
      [3, 0, 1],
    ]);
    expect(await h.db.query('select event_id, ts from raw_access_log order by event_id')).toEqual([
      { event_id: 'A1', ts: '2026-10-20 10:01:02' },
      { event_id: 'A2', ts: '2026-10-20 10:01:02' },
      { event_id: 'A3', ts: '2026-10-20 10:01:02' },
      { event_id: 'A4', ts: '2026-10-20 10:01:02' },
      { event_id: 'A5', ts: '2026-10-20 10:01:02' },
    ]);
    expect((await h.batches()).map((b) => [b.file, b.loaded, b.detail])).toEqual([
      ['access_log_2026-10-a.csv', 3, null],
      ['access_log_2026-10-b.csv', 3, '其中 1 行是先前文件已载入的同一事件（记录标识相同），未重复存储'],
    ]);

    // the same export compressed is other bytes but the same text: the file already loaded
    h.write(
      'access_log_2026-10-a.csv.gz',
      gzipSync([ACCESS_HEADER, event('A1'), event('A2'), event('A3')].join('\n')),
    );
    const [gz] = await h.ingest('access_log_2026-10-a.csv.gz');
    expect(gz).toMatchObject({ status: 'duplicate', rows_loaded: 0, rows_resent: 0 });
    // a later export that repeats all its events is read, and every event in it is re-sent
    h.write('access_log_2026-10-c.csv', [ACCESS_HEADER, event('A2'), event('A1')]);
    const [again] = await h.ingest('access_log_2026-10-c.csv');
    expect(again).toMatchObject({ status: 'loaded', rows_loaded: 2, rows_resent: 2 });
    expect(await h.count('raw_access_log')).toBe(5);
    expect(await h.count('stg_access_log')).toBe(5);
  });
});

describe('a file sent twice', () => {
  it('is recognised by its content and adds no row, batch, reject or audit entry', async () => {
    h = await openHarness();
    h.write('access_log_2026-10.csv', [
      ACCESS_HEADER,
      'A1,2026-10-20 10:01:02,D02,u021,R001,D01,api,1,,,,ok',
      'A2,bad',
    ]);
    await h.ingest();
    const tables = ['raw_access_log', 'batches', 'rejects', 'audit_log'];
    const before = await Promise.all(tables.map((t) => h!.count(t)));
    expect(before).toEqual([1, 1, 1, 1]);
    const [again] = await h.ingest();
    expect(again).toEqual({
      path: path.join(h.inbox, 'access_log_2026-10.csv'),
      kind: 'access_log',
      rows_loaded: 0,
      rows_rejected: 0,
      rows_resent: 0,
      duplicate: true,
      status: 'duplicate',
      encoding: 'utf-8',
      reason: null,
      batch_id: null,
      warnings: [],
      replaces: false,
    });
    expect(await Promise.all(tables.map((t) => h!.count(t)))).toEqual(before);
  });
});

describe('column and value mappings from the config', () => {
  const exampleConfig = () =>
    loadAppConfig({
      file: 'config/sharewatch.example.yaml',
      cwd: REPO_ROOT,
      env: {},
      projectRoot: REPO_ROOT,
    });

  it('maps the example config headers 申请编号, 审核结果 and its values, keeping unmapped columns as extra', async () => {
    h = await openHarness(exampleConfig());
    h.write('share_requests_platform.csv', [
      '申请编号,申请部门,提供部门,资源编码,申请用途,申请时间,答复时间,审核结果,拒绝理由,备注',
      'M1,D02,D01,R001,企业开办,2026-09-28 10:12:00,2026-10-10 09:00:00,同意,,加急',
      'M2,D03,D01,R001,资格认证,2026-09-28 11:00:00,2026-10-12 09:00:00,不同意,无依据,',
      'M3,D03,D01,R001,资格认证,2026-09-28 11:00:00,,搁置,,',
      'M1,D02,D01,R001,企业开办,2026-09-28 10:12:00,2026-10-11 09:00:00,同意,,',
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ kind: 'share_requests', rows_loaded: 2, rows_rejected: 2 });
    expect(
      await h.db.query(
        'select request_id, decision, reason, extra from stg_share_requests order by request_id',
      ),
    ).toEqual([
      // M1's last line, as answered as its first: the last line is the record's current state
      { request_id: 'M1', decision: 'approved', reason: null, extra: '{"备注":null}' },
      { request_id: 'M2', decision: 'rejected', reason: '无依据', extra: '{"备注":null}' },
    ]);
    // a reject names the column as the file does, with the canonical name the mapping gave it
    expect((await h.rejects()).map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [
        2,
        '申请编号（request_id）',
        'M1',
        '与本文件第 5 行的记录标识重复（同一文件中每条记录只能出现一次；保留进度最靠后、其次最后出现的第 5 行）',
      ],
      [
        4,
        '审核结果（decision）',
        '搁置',
        '不在取值范围内：应为 同意/批准/通过|approved、拒绝/不同意/驳回|rejected、待审核/处理中/待处理|pending',
      ],
    ]);
  });

  it('maps platform-specific values that are not built-in spellings', async () => {
    const config = repoConfig();
    config.mappings = {
      share_requests: {
        columns: { 编号: 'request_id' },
        values: { decision: { Y: 'approved', N: 'rejected' } },
      },
    };
    h = await openHarness(config);
    h.write('share_requests_yn.csv', [
      '编号,requester_dept,provider_dept,resource_code,purpose,submitted_at,decision',
      'Y1,D02,D01,R001,核验,2026-09-28 10:12:00,y',
      'Y2,D02,D01,R001,核验,2026-09-28 10:12:00,N',
    ]);
    await h.ingest();
    expect(
      await h.db.query('select request_id, decision from stg_share_requests order by request_id'),
    ).toEqual([
      { request_id: 'Y1', decision: 'approved' },
      { request_id: 'Y2', decision: 'rejected' },
    ]);
  });

  it('loads a file again when the mappings change (a corrected mapping applies), and not when they are the same', async () => {
    const config = repoConfig();
    config.mappings = {
      share_requests: { columns: {}, values: { decision: { N: 'rejected', Y: 'approved' } } },
    };
    h = await openHarness(config);
    h.write('share_requests_yn.csv', [
      'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,decision',
      'Y1,D02,D01,R001,核验,2026-09-28 10:12:00,Y',
      'Y2,D02,D01,R001,核验,2026-09-28 10:12:00,N',
    ]);
    expect((await h.ingest()).map((r) => r.status)).toEqual(['loaded']);
    // the same mappings in another key order are the same mappings
    config.mappings = {
      share_requests: { values: { decision: { Y: 'approved', N: 'rejected' } }, columns: {} },
    };
    expect((await h.ingest()).map((r) => r.status)).toEqual(['duplicate']);
    // the platform's N turns out to mean "not yet decided"
    config.mappings = {
      share_requests: { columns: {}, values: { decision: { N: 'pending', Y: 'approved' } } },
    };
    expect((await h.ingest()).map((r) => r.status)).toEqual(['loaded']);
    expect(
      await h.db.query('select request_id, decision from stg_share_requests order by request_id'),
    ).toEqual([
      { request_id: 'Y1', decision: 'approved' },
      { request_id: 'Y2', decision: 'pending' },
    ]);
    expect(
      (await h.db.query<{ n: number }>('select count(distinct content_hash)::integer as n from batches'))[0]!
        .n,
    ).toBe(2);
  });

  it('puts a load back in force when a mapping change is reverted, and only once', async () => {
    const config = repoConfig();
    const yn = (n: string) => ({
      share_requests: { columns: {}, values: { decision: { N: n, Y: 'approved' } } },
    });
    config.mappings = yn('rejected');
    const harness = await openHarness(config);
    h = harness;
    harness.write('share_requests_yn.csv', [
      'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,decision',
      'Y2,D02,D01,R001,核验,2026-09-28 10:12:00,N',
    ]);
    const decision = async () =>
      (await harness.db.query<{ decision: string }>('select decision from stg_share_requests'))[0]!.decision;
    const statuses: string[] = [];
    const decisions: string[] = [];
    // N -> rejected, pending, rejected again (the change is undone), the same again, then pending again
    for (const n of ['rejected', 'pending', 'rejected', 'rejected', 'pending', 'pending']) {
      config.mappings = yn(n);
      statuses.push(...(await harness.ingest()).map((r) => r.status));
      decisions.push(await decision());
    }
    expect(statuses).toEqual(['loaded', 'loaded', 'loaded', 'duplicate', 'loaded', 'duplicate']);
    expect(decisions).toEqual(['rejected', 'pending', 'rejected', 'rejected', 'pending', 'pending']);
    // every load is kept; each names a batch of its own
    expect(
      (
        await harness.db.query<{ n: number }>('select count(distinct batch_id)::integer as n from batches')
      )[0]!.n,
    ).toBe(4);
  });

  it('a corrected re-load replaces access-log events (immutable), and leaves the files of other kinds as loaded', async () => {
    const config = repoConfig();
    config.mappings = { access_log: { columns: {}, values: { operation: { X: 'download' } } } };
    h = await openHarness(config);
    h.write('access_log_2026-03.csv', [
      'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records',
      'E1,2026-03-10 10:00:00,D02,u1,R001,D01,X,1',
      'E2,2026-03-10 11:00:00,D02,u1,R001,D01,query,1',
    ]);
    h.write('catalog_snapshot_2026.csv', [
      'snapshot_date,resource_code,resource_name,provider_dept,share_type,update_cycle',
      '2026-01-01,R001,人口基本信息,D01,有条件共享,每日',
    ]);
    h.write('data_sample_R001.csv', ['公民身份号码,姓名', '11010519491231002X,王一']);
    expect((await h.ingest()).map((r) => r.status)).toEqual(['loaded', 'loaded', 'loaded']);
    // the platform's X turns out to mean a query
    config.mappings = { access_log: { columns: {}, values: { operation: { X: 'query' } } } };
    const again = await h.ingest();
    // only the access log is read under the changed mapping; the other kinds' files are those already loaded
    expect(again.map((r) => [r.status, r.rows_loaded, r.rows_resent])).toEqual([
      ['loaded', 2, 0],
      ['duplicate', 0, 0],
      ['duplicate', 0, 0],
    ]);
    expect(await h.db.query('select event_id, operation from stg_access_log order by event_id')).toEqual([
      { event_id: 'E1', operation: 'query' },
      { event_id: 'E2', operation: 'query' },
    ]);
    await h.db.run(
      readFileSync(new URL('../../metrics/rules/int_data_sample.sql', import.meta.url), 'utf8'),
      {
        period_start: '2026-01-01',
        period_end: '2026-12-31',
        as_of: '2026-12-31',
      },
    );
    expect(await h.db.query('select resource_code, row_no from int_data_sample')).toEqual([
      { resource_code: 'R001', row_no: 1 },
    ]);
  });

  it('stops with a config error naming the mapping when a value maps to no canonical value', async () => {
    const config = repoConfig();
    config.mappings = { share_requests: { columns: {}, values: { decision: { 同意: 'approve' } } } };
    h = await openHarness(config);
    h.write('share_requests_x.csv', EXPORT_1);
    const error = await h.ingest().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).userMessage).toBe(
      '配置 mappings.share_requests.values.decision.同意：映射到 “approve”，应为 approved、rejected、pending 之一',
    );
    expect(await h.count('batches')).toBe(0);
  });

  it('stops with a config error when a value map names a column that is not an enumeration', async () => {
    const config = repoConfig();
    config.mappings = { share_requests: { columns: {}, values: { purpose: { a: 'b' } } } };
    h = await openHarness(config);
    h.write('share_requests_x.csv', EXPORT_1);
    await expect(h.ingest()).rejects.toThrow(
      '配置 mappings.share_requests.values.purpose：只能为枚举列配置取值映射，share_requests 的枚举列为 decision',
    );
  });
});

describe('an older export loaded after a newer one', () => {
  it('does not undo the progress the newer one shows (answer, correction), and takes the latest among equals', async () => {
    h = await openHarness();
    const header =
      'ticket_id,resource_code,provider_dept,raised_by_dept,raised_at,responded_at,outcome,corrected_at';
    h.write('verification_requests_2026-06.csv', [
      header,
      'VT1,R002,D02,D03,2026-04-30 16:20:00,2026-05-12 10:00:00,error_confirmed,2026-05-13 09:00:00',
      'VT2,R002,D02,D03,2026-05-20 09:00:00,2026-05-25 10:00:00,no_error,',
    ]);
    h.write('verification_requests_2026-05.csv', [
      header,
      'VT1,R002,D02,D03,2026-04-30 16:20:00,2026-05-12 10:00:00,error_confirmed,',
      'VT2,R002,D02,D03,2026-05-20 09:00:00,2026-05-26 15:00:00,no_error,',
    ]);
    // the June export first, the May one (a backfill) after it
    await h.ingest('verification_requests_2026-06.csv');
    await h.ingest('verification_requests_2026-05.csv');
    expect(
      await h.db.query(
        `select ticket_id, strftime(responded_at, '%Y-%m-%d %H:%M') as responded, strftime(corrected_at, '%Y-%m-%d') as corrected
         from stg_verification_requests order by ticket_id`,
      ),
    ).toEqual([
      { ticket_id: 'VT1', responded: '2026-05-12 10:00', corrected: '2026-05-13' },
      // as much progress in both versions: the latest loaded is the current state
      { ticket_id: 'VT2', responded: '2026-05-26 15:00', corrected: null },
    ]);
  });

  it('does not undo a decision: a dated answer still pending is less progress than the decided one', async () => {
    h = await openHarness();
    const header =
      'ticket_id,resource_code,provider_dept,raised_by_dept,raised_at,responded_at,outcome,corrected_at';
    h.write('share_requests_2026-10-20.csv', [
      SHARE_HEADER,
      'SQ1,D02,D01,R001,企业开办身份核验,公民身份号码;姓名,2026-10-12 09:00:00,2026-10-20 10:00:00,approved,,,,,',
    ]);
    h.write('share_requests_2026-10-13.csv', [
      SHARE_HEADER,
      'SQ1,D02,D01,R001,企业开办身份核验,公民身份号码;姓名,2026-10-12 09:00:00,2026-10-13 09:30:00,待审核,,,,,',
    ]);
    h.write('verification_requests_2026-06-03.csv', [
      header,
      'VT1,R002,D02,D03,2026-05-28 09:00:00,2026-06-03 10:00:00,error_confirmed,',
    ]);
    h.write('verification_requests_2026-06-02.csv', [
      header,
      'VT1,R002,D02,D03,2026-05-28 09:00:00,2026-06-02 10:00:00,处理中,',
    ]);
    for (const file of [
      'share_requests_2026-10-20.csv',
      'share_requests_2026-10-13.csv',
      'verification_requests_2026-06-03.csv',
      'verification_requests_2026-06-02.csv',
    ])
      await h.ingest(file);
    expect(
      await h.db.query(
        `select request_id, strftime(responded_at, '%Y-%m-%d') as responded, decision from stg_share_requests`,
      ),
    ).toEqual([{ request_id: 'SQ1', responded: '2026-10-20', decision: 'approved' }]);
    expect(
      await h.db.query(
        `select ticket_id, strftime(responded_at, '%Y-%m-%d') as responded, outcome from stg_verification_requests`,
      ),
    ).toEqual([{ ticket_id: 'VT1', responded: '2026-06-03', outcome: 'error_confirmed' }]);
  });
  it('loads a folder in the natural order of its file names: month 9 before month 10', async () => {
    h = await openHarness();
    const header = 'dept_code,dept_name,level,parent_code,notice_email,contact';
    h.write('departments_2026-10.csv', [header, 'D01,一局,city,,new@x.cn,']);
    h.write('departments_2026-9.csv', [header, 'D01,一局,city,,old@x.cn,']);
    h.write('departments_2026-2.csv', [header, 'D02,二局,city,,b@x.cn,']);
    const results = await h.ingest();
    expect(results.map((r) => r.path.split('/').pop())).toEqual([
      'departments_2026-2.csv',
      'departments_2026-9.csv',
      'departments_2026-10.csv',
    ]);
    expect(await h.db.query('select dept_code, notice_email from stg_departments order by 1')).toEqual([
      { dept_code: 'D01', notice_email: 'new@x.cn' },
      { dept_code: 'D02', notice_email: 'b@x.cn' },
    ]);
  });
});
