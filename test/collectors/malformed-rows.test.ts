// Rows that cannot be loaded go to the rejects table with line, column, value and a Chinese reason; the
// good rows of the same file load; loaded + rejected = the file's data rows. Also the fast path (DuckDB's
// own CSV scan) and the careful path (JS splitter) must read the same row the same way.
import { afterEach, describe, expect, it } from 'vitest';
import { prepareValueMap } from '../../collectors/convert-sql.ts';
import { planHeader } from '../../collectors/detect-kind.ts';
import { loadCsvFast, NeedsCarefulPath, type LoadTarget } from '../../collectors/load-file.ts';
import { recordKind } from '../../store/record-kinds.ts';
import { ACCESS_HEADER, balanced, openHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

const TS_REASON =
  '无法识别的时间：应为 YYYY-MM-DD HH:MM:SS、带时区偏移的 ISO 8601 或 YYYY/MM/DD HH:MM，且为真实存在的时间';
const DATE_REASON = '无法识别的日期：应为 YYYY-MM-DD 或 YYYY/MM/DD，且为真实存在的日期';
const INT_REASON = '应为非负整数（只能由数字 0-9 组成）';
const UNCLOSED = '引号未闭合：字段以引号开头，但在本行（及其后各行）没有找到与之配对的闭合引号';
const ok = (id: string, rest = '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok') =>
  `${id},${rest}`;

describe('an access log with one problem per row', () => {
  const lines = [
    ACCESS_HEADER, // line 1
    ok('A1'), // 2
    ok('A2', '2026-10-20 25:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok'), // 3: no such hour
    ok('', '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok'), // 4: no event_id
    ok('A4', '2026-10-20 10:01:02,D02,u021,R001,D01,upload,1,姓名,SQ1,10.8.1.21,ok'), // 5: unknown operation
    ok('A5', '2026-10-20 10:01:02,D02,u021,R001,D01,api,-3,姓名,SQ1,10.8.1.21,ok'), // 6: negative
    ok('A6', '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,"姓名;户籍地址,SQ1,10.8.1.21,ok'), // 7: open quote
    ok('A7'), // 8
    ok('A8', '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21'), // 9: 11 fields
    ok('A9', '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok,多余'), // 10: 13 fields
    ok('A1', '2026-10-21 09:00:00,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok'), // 11: A1 again
    ok('A10', '2026-10-20 10:01:02,D02,u021,R001,D01,api,2,"姓名,户籍地址",SQ1,"10.8.1.21",ok'), // 12
    ok('A11', '2026-10-20 10:01:02,D02,u021,R001,D01,api,1,"第一行'), // 13
    '第二行",SQ1,10.8.1.21,"ok"', // 14: the end of line 13's quoted field
    ok('A12', '2026-10-20 10:01:02,D02,u021,R001,D01,api,2.5,姓名,SQ1,10.8.1.21,ok'), // 15: not an integer
    ok('A13', '2026-10-20T10:01:02+08:00,D02,u021,R001,D01,下载,0,"说""明",,,成功'), // 16
  ];

  it('rejects exactly the bad lines, each with column, value and reason, and loads the rest', async () => {
    h = await openHarness();
    h.write('access_log_2026-10.csv', lines);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', rows_loaded: 5, rows_rejected: 9 });
    const raw = (n: number) => lines[n - 1]!;
    expect(await h.rejects()).toEqual(
      [
        [3, 'ts', '2026-10-20 25:01:02', TS_REASON],
        [4, 'event_id', null, '必填项为空'],
        [
          5,
          'operation',
          'upload',
          '不在取值范围内：应为 查询|query、比对/核验|compare、下载|download、接口调用/接口|api、分析|analysis',
        ],
        [6, 'records', '-3', INT_REASON],
        [7, 'items', raw(7), UNCLOSED],
        [9, 'result', raw(9), '字段数为 11，应为 12（与表头的列数相同）'],
        [10, '第 13 列', raw(10), '字段数为 13，应为 12（与表头的列数相同）'],
        [
          11,
          'event_id',
          'A1',
          '与本文件第 2 行的记录标识重复（同一文件中每条记录只能出现一次；保留先出现的第 2 行）',
        ],
        [15, 'records', '2.5', INT_REASON],
      ].map(([line, column, value, reason]) => ({
        file: 'access_log_2026-10.csv',
        line,
        column,
        value,
        reason,
      })),
    );
    expect(
      await h.db.query(
        'select event_id, ts, operation, records, items, client_ip, result from raw_access_log order by event_id',
      ),
    ).toEqual([
      {
        event_id: 'A1',
        ts: '2026-10-20 10:01:02',
        operation: 'api',
        records: 1,
        items: ['姓名'],
        client_ip: '10.8.1.21',
        result: 'ok',
      },
      {
        event_id: 'A10',
        ts: '2026-10-20 10:01:02',
        operation: 'api',
        records: 2,
        items: ['姓名,户籍地址'],
        client_ip: '10.8.1.21',
        result: 'ok',
      },
      {
        event_id: 'A11',
        ts: '2026-10-20 10:01:02',
        operation: 'api',
        records: 1,
        items: ['第一行\n第二行'],
        client_ip: '10.8.1.21',
        result: 'ok',
      },
      {
        event_id: 'A13',
        ts: '2026-10-20 10:01:02',
        operation: 'download',
        records: 0,
        items: ['说"明'],
        client_ip: null,
        result: 'ok',
      },
      {
        event_id: 'A7',
        ts: '2026-10-20 10:01:02',
        operation: 'api',
        records: 1,
        items: ['姓名'],
        client_ip: '10.8.1.21',
        result: 'ok',
      },
    ]);
    const [batch] = await h.batches();
    expect(batch).toMatchObject({ total: 14, loaded: 5, rejected: 9, status: 'loaded' });
    expect(balanced(batch!)).toBe(true);
  });
});

describe('a rejected row is kept whole', () => {
  const rowTexts = (target: Harness) =>
    target.db.query<{ line: number; column: string | null; row_text: string | null }>(
      `select line::integer as line, column_name as "column", row_text from rejects order by line, column_name`,
    );

  it('keeps the record as the file has it: every line of a quoted value, a CRLF line without its CR, a line the splitter refused, and a line with two problems under each', async () => {
    h = await openHarness();
    const multi = 'M1,2026-10-20 25:01:02,D02,u021,R001,D01,api,1,"第一行\r\n第二行",SQ1,10.8.1.21,ok';
    const crlf = 'M2,2026-10-20 10:01:02,D02,u021,R001,D01,upload,1,姓名,SQ1,10.8.1.21,ok';
    const open = 'M3,2026-10-20 10:01:02,D02,u021,R001,D01,api,1,"姓名,SQ1,10.8.1.21,ok';
    const two = 'M4,2026-10-20 10:01:02,D02,u021,R001,D01,api,-1,姓名,SQ1,10.8.1.21,maybe';
    h.write(
      'access_log_2026-10.csv',
      [ACCESS_HEADER, ok('A1'), multi, crlf + '\r', open, two].join('\n') + '\n',
    );
    const [result] = await h.ingest();
    expect(result).toMatchObject({ rows_loaded: 1, rows_rejected: 4 });
    expect(await rowTexts(h)).toEqual([
      { line: 3, column: 'ts', row_text: multi },
      { line: 5, column: 'operation', row_text: crlf },
      { line: 6, column: 'items', row_text: open },
      { line: 7, column: 'records', row_text: two },
      { line: 7, column: 'result', row_text: two },
    ]);
  });

  it('keeps a JSON line, whether it is not JSON or has a bad value', async () => {
    h = await openHarness();
    const bad = '{"event_id": "J2", "ts": "2026-10-20 10:01:02", "consumer_dept": "D02"';
    const value =
      '{"event_id": "J3", "ts": "2026-02-30 10:01:02", "consumer_dept": "D02", "user_id": "u", "resource_code": "R001", "provider_dept": "D01", "operation": "api"}';
    h.write('access_log_2026-10.jsonl', [bad, value].join('\n') + '\n');
    await h.ingest();
    expect(await rowTexts(h)).toEqual([
      { line: 1, column: null, row_text: bad },
      { line: 2, column: 'ts', row_text: value },
    ]);
  });
});

describe('dates, several problems on one line, duplicated keys', () => {
  it('rejects 2018-02-30 and counts a line with three problems once', async () => {
    h = await openHarness();
    h.write('change_events_2026.csv', [
      'event_id,dept_code,kind,occurred_on,reference,description',
      'EV1,D03,职能调整,2018-02-30,,',
      'EV2,D02,法规修订,2026/03/02,示编〔2026〕3号,登记管理条例修订',
      'EV3,,机构改革,2026-13-01,,',
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ rows_loaded: 1, rows_rejected: 2 });
    expect((await h.rejects()).map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [2, 'occurred_on', '2018-02-30', DATE_REASON],
      [4, 'dept_code', null, '必填项为空'],
      [
        4,
        'kind',
        '机构改革',
        '不在取值范围内：应为 法规修订|law_revision、职能调整/职能变化|function_change',
      ],
      [4, 'occurred_on', '2026-13-01', DATE_REASON],
    ]);
    expect(await h.db.query('select event_id, occurred_on, kind from stg_change_events')).toEqual([
      { event_id: 'EV2', occurred_on: '2026-03-02', kind: 'law_revision' },
    ]);
    expect(await h.batches()).toMatchObject([{ total: 3, loaded: 1, rejected: 2 }]);
  });

  it('rejects a year of fewer than four digits (26-03-05 is not the year 26)', async () => {
    h = await openHarness();
    h.write('change_events_2026.csv', [
      'event_id,dept_code,kind,occurred_on,reference,description',
      'EV1,D01,法规修订,26-03-05,,',
      'EV2,D01,职能调整,26/3/5,,',
      'EV3,D01,职能调整,2026/3/5,,',
    ]);
    h.write('share_requests_2026.csv', [
      'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at',
      'Q1,D02,D01,R001,核验,26-03-09 10:00:00',
      'Q2,D02,D01,R001,核验,2026-03-09 10:00:00',
    ]);
    await h.ingest();
    expect((await h.rejects()).map((r) => [r.file, r.line, r.column, r.value, r.reason])).toEqual([
      ['change_events_2026.csv', 2, 'occurred_on', '26-03-05', DATE_REASON],
      ['change_events_2026.csv', 3, 'occurred_on', '26/3/5', DATE_REASON],
      ['share_requests_2026.csv', 2, 'submitted_at', '26-03-09 10:00:00', TS_REASON],
    ]);
    expect(await h.db.query('select event_id, occurred_on from stg_change_events')).toEqual([
      { event_id: 'EV3', occurred_on: '2026-03-05' },
    ]);
  });

  it('keeps the line of a repeated request that went furthest, and a line that loads before one that does not', async () => {
    h = await openHarness();
    h.write('share_requests_2026q3.csv', [
      'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,responded_at,decision',
      'SQ1,D02,D01,R001,核验,2026-09-28 10:12:00,2026-10-16 17:40:00,approved', // 2: answered
      'SQ1,D02,D01,R001,核验,2026-09-28 10:12:00,,pending', // 3: the pending state, exported after it
      'SQ2,D02,D01,R001,核验,2026-09-28 10:12:00,,pending', // 4
      'SQ2,D02,D01,R001,核验,2026-09-28 10:12:00,2026-10-32 09:00:00,approved', // 5: no such day
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ rows_loaded: 2, rows_rejected: 2 });
    const kept = (line: number) =>
      `与本文件第 ${line} 行的记录标识重复（同一文件中每条记录只能出现一次；保留进度最靠后、其次最后出现的第 ${line} 行）`;
    expect((await h.rejects()).map((r) => [r.line, r.column, r.reason])).toEqual([
      [3, 'request_id', kept(2)],
      [5, 'request_id', kept(4)],
      [5, 'responded_at', TS_REASON],
    ]);
    expect(
      await h.db.query('select request_id, decision from stg_share_requests order by request_id'),
    ).toEqual([
      { request_id: 'SQ1', decision: 'approved' },
      { request_id: 'SQ2', decision: 'pending' },
    ]);
  });

  it('keeps no line of a repeated key none of whose lines loads, and says none is kept', async () => {
    h = await openHarness();
    h.write('supply_exemptions_2026.csv', [
      'resource_code,dept_code,from,to,reason',
      'R003,D03,2026-01-01,2025-12-31,倒置',
      'R003,D03,2026-01-01,2025-12-01,倒置',
    ]);
    await h.ingest();
    expect((await h.rejects()).map((r) => [r.line, r.column, r.reason])).toEqual([
      [2, 'resource_code+dept_code+from', '与本文件第 3 行的记录标识重复（同一文件中每条记录只能出现一次）'],
      [2, 'to', '报备截止日期早于起始日期'],
      [3, 'to', '报备截止日期早于起始日期'],
    ]);
  });

  it('rejects a repeated multi-column key, comparing dates as dates', async () => {
    h = await openHarness();
    h.write('supply_exemptions_2026.csv', [
      'resource_code,dept_code,from,to,reason',
      'R003,D03,2026-01-01,2026-01-31,系统迁移',
      'R003,D03,2026/01/01,2026-01-15,重复报备',
      'R003,D03,2026-02-01,2026-02-28,',
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ rows_loaded: 2, rows_rejected: 1 });
    expect((await h.rejects()).map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [
        2,
        'resource_code+dept_code+from',
        'R003|D03|2026-01-01',
        '与本文件第 3 行的记录标识重复（同一文件中每条记录只能出现一次；保留进度最靠后、其次最后出现的第 3 行）',
      ],
    ]);
    // the last line of a record is its current state
    expect(
      await h.db.query('select "from", "to", reason from stg_supply_exemptions order by "from"'),
    ).toEqual([
      { from: '2026-01-01', to: '2026-01-15', reason: '重复报备' },
      { from: '2026-02-01', to: '2026-02-28', reason: null },
    ]);
  });

  it('does not call rows without a key duplicates of each other', async () => {
    h = await openHarness();
    h.write('departments.csv', ['dept_code,dept_name', ',甲', ',乙', 'D01,丙']);
    await h.ingest();
    expect((await h.rejects()).map((r) => [r.line, r.column, r.reason])).toEqual([
      [2, 'dept_code', '必填项为空'],
      [3, 'dept_code', '必填项为空'],
    ]);
  });
});

describe('values that contradict each other on one row', () => {
  it('rejects an answer before the request, a verification outcome without an answer date, a validity ending before it starts, more failed rows than checked, an exemption ending before it starts', async () => {
    h = await openHarness();
    h.write('share_requests_2026.csv', [
      'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,responded_at,decision,valid_from,valid_until',
      'SQ1,D02,D01,R001,核验,2026-09-28 10:00:00,2026-09-27 09:00:00,approved,,',
      'SQ2,D02,D01,R001,核验,2026-09-28 10:00:00,2026-09-29 09:00:00,approved,2026-10-01 00:00:00,2026-09-30 23:59:59',
      'SQ3,D02,D01,R001,核验,2026-09-28 10:00:00,2026-09-28 10:00:00,approved,2026-09-28 10:00:00,2026-09-28 10:00:00',
      'SQ4,D02,D01,R001,核验,2026-09-28 10:00:00,,pending,,',
    ]);
    h.write('quality_checks_2026.csv', [
      'check_id,resource_code,provider_dept,checked_at,dimension,rows_checked,rows_failed',
      'QC1,R002,D02,2026-01-31 23:00:00,规范性,100,101',
      'QC2,R002,D02,2026-01-31 23:00:00,完整性,100,100',
    ]);
    h.write('verification_requests_2026.csv', [
      'ticket_id,resource_code,provider_dept,raised_by_dept,raised_at,responded_at,outcome',
      'VT1,R002,D02,D03,2026-04-30 16:20:00,2026-04-30 16:19:59,no_error',
      'VT2,R002,D02,D03,2026-04-30 16:20:00,,error_confirmed',
      'VT3,R002,D02,D03,2026-04-30 16:20:00,,pending',
    ]);
    h.write('supply_exemptions_2026.csv', [
      'resource_code,dept_code,from,to,reason',
      'R003,D03,2026-02-01,2026-01-31,系统迁移',
    ]);
    const results = await h.ingest();
    expect(results.map((r) => [r.path.split('/').pop(), r.rows_loaded, r.rows_rejected]).sort()).toEqual([
      ['quality_checks_2026.csv', 1, 1],
      ['share_requests_2026.csv', 2, 2],
      ['supply_exemptions_2026.csv', 0, 1],
      ['verification_requests_2026.csv', 1, 2],
    ]);
    expect((await h.rejects()).map((r) => [r.file, r.line, r.column, r.value, r.reason]).sort()).toEqual(
      [
        ['quality_checks_2026.csv', 2, 'rows_failed', '101', '不合格行数大于检查行数'],
        ['share_requests_2026.csv', 2, 'responded_at', '2026-09-27 09:00:00', '答复时间早于申请提交时间'],
        ['share_requests_2026.csv', 3, 'valid_until', '2026-09-30 23:59:59', '有效期截止时间早于生效时间'],
        ['supply_exemptions_2026.csv', 2, 'to', '2026-01-31', '报备截止日期早于起始日期'],
        ['verification_requests_2026.csv', 2, 'responded_at', '2026-04-30 16:19:59', '答复时间早于提出时间'],
        ['verification_requests_2026.csv', 3, 'responded_at', null, '已有校核结论，但缺少答复时间'],
      ].sort(),
    );
  });
});

describe('empty and header-only files', () => {
  it('loads an empty file whose name gives its kind as zero rows', async () => {
    h = await openHarness();
    h.write('access_log_2026-11.csv', '');
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', kind: 'access_log', rows_loaded: 0, rows_rejected: 0 });
    expect(await h.batches()).toMatchObject([
      { total: 0, loaded: 0, rejected: 0, status: 'loaded', detail: '文件为空：没有表头和数据行' },
    ]);
  });

  it('quarantines an empty file of unknown kind', async () => {
    h = await openHarness();
    h.write('export.csv', '\n\n');
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'quarantined', rows_rejected: 0 });
    expect(result!.reason).toBe('文件为空（没有表头和数据行），文件名也没有已知前缀，无法判断记录类型');
  });

  it('loads header-only files, with or without a final line break, as zero rows', async () => {
    h = await openHarness();
    h.write('access_log_a.csv', `${ACCESS_HEADER}\r\n`);
    h.write('access_log_b.csv', ACCESS_HEADER);
    const results = await h.ingest();
    expect(results.map((r) => [r.status, r.rows_loaded, r.rows_rejected])).toEqual([
      ['loaded', 0, 0],
      ['loaded', 0, 0],
    ]);
    expect(await h.count('rejects')).toBe(0);
  });

  it('quarantines a CSV whose first line is blank', async () => {
    h = await openHarness();
    h.write('access_log_c.csv', ['', ACCESS_HEADER, ok('A1')]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'quarantined', rows_rejected: 1 });
    expect(result!.reason).toBe('第 1 行应为表头（列名），但它是空行');
  });
});

describe('the fast and the careful path read a row the same way', () => {
  const header = 'dept_code,dept_name,level,parent_code,notice_email,contact,memo';
  const rows = [
    'D01, 示例市公安局\u00a0,city,,d01@example.gov.cn,王明\u3000,\t',
    'D02,示例"局,市, D01 ,,,"第一行\r\n第二行, 含逗号"',
    // spaces around a quoted value are not the value; empty fields beyond the header are dropped
    'D03, "三局, 分局" ,county,"D01"  ,,,,,""',
  ];

  it('trims the same blanks (spaces, not tabs), keeps a stray quote and extra columns, reads spaced quotes and trailing empty fields, and reads CRLF files', async () => {
    h = await openHarness();
    h.write('departments_1.csv', [header, ...rows].join('\r\n') + '\r\n'); // clean: DuckDB's scan
    h.write('departments_2.csv', [header, ...rows, 'D09,x,galaxy,,,,'].join('\r\n') + '\r\n'); // careful
    const results = await h.ingest();
    expect(results.map((r) => [r.rows_loaded, r.rows_rejected])).toEqual([
      [3, 0],
      [3, 1],
    ]);
    expect(await h.rejects()).toEqual([
      {
        file: 'departments_2.csv',
        line: 6,
        column: 'level',
        value: 'galaxy',
        reason: '不在取值范围内：应为 省级/省|province、市级/市|city、县级/区县/县|county',
      },
    ]);
    const version = (seq: number) =>
      h!.db.query(
        `select dept_code, dept_name, level, parent_code, notice_email, contact, extra from raw_departments where _seq = ${seq} order by dept_code`,
      );
    const expected = [
      {
        dept_code: 'D01',
        dept_name: '示例市公安局',
        level: 'city',
        parent_code: null,
        notice_email: 'd01@example.gov.cn',
        contact: '王明',
        extra: '{"memo":"\\t"}', // a tab is content, not a blank
      },
      {
        dept_code: 'D02',
        dept_name: '示例"局',
        level: 'city',
        parent_code: 'D01',
        notice_email: null,
        contact: null,
        extra: JSON.stringify({ memo: '第一行\r\n第二行, 含逗号' }),
      },
      {
        dept_code: 'D03',
        dept_name: '三局, 分局',
        level: 'county',
        parent_code: 'D01',
        notice_email: null,
        contact: null,
        extra: '{"memo":null}',
      },
    ];
    const seqs = (await h.db.query<{ seq: number }>('select seq from batches order by seq')).map(
      (b) => b.seq,
    );
    expect(await version(seqs[0]!)).toEqual(expected);
    expect(await version(seqs[1]!)).toEqual(expected);
  });
});

describe('a quoted value after two blanks', () => {
  it('is read without its quotes on both paths, so that an event is stored once', async () => {
    h = await openHarness();
    const row = '  "E1",2026-10-20 10:01:02,D02,u1,R001,D01,api,,,,,';
    h.write('access_log_a.csv', [ACCESS_HEADER, row]); // clean: the fast path is tried first
    h.write('access_log_b.csv', [ACCESS_HEADER, row, 'E2,notatime,D02,u1,R001,D01,api,,,,,']); // careful
    const results = await h.ingest('access_log_a.csv', 'access_log_b.csv');
    expect(results.map((r) => [r.rows_loaded, r.rows_rejected, r.rows_resent])).toEqual([
      [1, 0, 0],
      [1, 1, 1],
    ]);
    expect(await h.db.query('select event_id from stg_access_log')).toEqual([{ event_id: 'E1' }]);
  });
});

describe('a blank at the very end of a file', () => {
  it('is trimmed when no line break follows it', async () => {
    h = await openHarness();
    h.write('departments_a.csv', 'dept_name,dept_code\n一局,D1\n二局,D2 ');
    await h.ingest();
    expect(await h.db.query('select dept_code, dept_name from stg_departments order by dept_code')).toEqual([
      { dept_code: 'D1', dept_name: '一局' },
      { dept_code: 'D2', dept_name: '二局' },
    ]);
  });
});

describe('line endings', () => {
  it('loads a file whose lines end in LF and CRLF mixed, keeps a bare CR inside a field, and reads CR CR LF as one line break', async () => {
    h = await openHarness();
    h.write('departments_mixed.csv', 'dept_code,dept_name,level\nD1,一局,省\nD2,二局,市\r\nD3,三局,县\n');
    // a CRLF file sent again in FTP text mode: its rows are not lost to a CR at the end of their last value
    h.write('departments_crcr.csv', 'dept_code,dept_name,level\r\r\nD4,四局,省\r\r\nD5,五局,"市" \r\r\n');
    h.write('departments_cr.csv', 'dept_code,dept_name,level\nD6,六\r局,省\n');
    const results = await h.ingest();
    expect(results.map((r) => [r.path.split('/').pop(), r.status, r.rows_loaded, r.rows_rejected])).toEqual([
      ['departments_cr.csv', 'loaded', 1, 0],
      ['departments_crcr.csv', 'loaded', 2, 0],
      ['departments_mixed.csv', 'loaded', 3, 0],
    ]);
    expect(
      await h.db.query('select dept_code, dept_name, level from stg_departments order by dept_code'),
    ).toEqual([
      { dept_code: 'D1', dept_name: '一局', level: 'province' },
      { dept_code: 'D2', dept_name: '二局', level: 'city' },
      { dept_code: 'D3', dept_name: '三局', level: 'county' },
      { dept_code: 'D4', dept_name: '四局', level: 'province' },
      { dept_code: 'D5', dept_name: '五局', level: 'city' },
      { dept_code: 'D6', dept_name: '六\r局', level: 'province' },
    ]);
    expect(await h.rejects()).toEqual([]);
  });
});

describe('unnamed columns', () => {
  it('loads a file whose header ends in several empty names (a spreadsheet export), keeping them as column<N>', async () => {
    h = await openHarness();
    h.write('departments_sheet.csv', 'dept_code,dept_name,level,,\nD1,一局,省,,\nD2,二局,市,,备注\n');
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', rows_loaded: 2, rows_rejected: 0 });
    expect(await h.db.query('select dept_code, extra from stg_departments order by dept_code')).toEqual([
      { dept_code: 'D1', extra: '{"column4":null,"column5":null}' },
      { dept_code: 'D2', extra: '{"column4":null,"column5":"备注"}' },
    ]);
  });

  it('names an unnamed column of a short row by its number', async () => {
    h = await openHarness();
    h.write('departments_sheet.csv', 'dept_code,dept_name,,,level\nD1,一局,,,省\nD2,二局\n');
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', rows_loaded: 1, rows_rejected: 1 });
    expect((await h.rejects()).map((r) => [r.line, r.column, r.reason])).toEqual([
      [3, '第 3 列', '字段数为 2，应为 5（与表头的列数相同）'],
    ]);
  });
});

describe('header and value faults', () => {
  it('says in Chinese what is wrong with a header line, and reads blanks around quoted names', async () => {
    h = await openHarness();
    h.write('departments_a.csv', 'dept_code,"dept_name,level\nD1,一局,省\n');
    h.write('departments_b.csv', '"dept_code" , "dept_name" ,level\nD1,一局,省\n');
    const [bad, spaced] = await h.ingest('departments_a.csv', 'departments_b.csv');
    expect([bad!.status, bad!.reason]).toEqual([
      'quarantined',
      '无法读取第 1 行的表头：引号未闭合：列名以引号开头，但本行没有与之配对的闭合引号' +
        '（Quote Not Closed: the parsing is finished with an opening quote at line 1）',
    ]);
    expect([spaced!.status, spaced!.rows_loaded]).toEqual(['loaded', 1]);
  });

  it('tells a count too large to store from one that is no count', async () => {
    h = await openHarness();
    h.write('supply_batches_2026-02.csv', [
      'batch_id,resource_code,provider_dept,delivered_at,rows,status',
      'B1,R001,D01,2026-02-02 10:00:00,99999999999999999999,ok',
      'B2,R001,D01,2026-02-03 10:00:00,1e3,ok',
    ]);
    await h.ingest();
    expect((await h.rejects()).map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [2, 'rows', '99999999999999999999', '数值过大：应为不超过 9223372036854775807 的非负整数'],
      [3, 'rows', '1e3', INT_REASON],
    ]);
  });
});

describe('the fast path', () => {
  async function target(h: Harness, rows: string[]): Promise<LoadTarget> {
    const kind = recordKind('departments');
    const header = ['dept_code', 'dept_name'];
    await prepareValueMap(h.db, kind, undefined);
    const utf8Path = h.write('departments.csv', [header.join(','), ...rows]);
    const plan = planHeader(kind, header, undefined);
    return {
      db: h.db,
      kind,
      plan,
      header,
      utf8Path,
      filePath: utf8Path,
      batchId: 'b1',
      seq: 1,
      format: 'csv',
    };
  }

  it('hands a CSV content error to the careful path', async () => {
    h = await openHarness();
    await expect(loadCsvFast(await target(h, ['D01,甲', 'D02,"乙']))).rejects.toBeInstanceOf(
      NeedsCarefulPath,
    );
    await expect(loadCsvFast(await target(h, ['D01,甲', 'D02']))).rejects.toBeInstanceOf(NeedsCarefulPath);
    await expect(loadCsvFast(await target(h, ['D01,甲', ',乙']))).rejects.toBeInstanceOf(NeedsCarefulPath);
  });

  it('rethrows a database error that is not about the file: a missing table', async () => {
    h = await openHarness();
    const t = await target(h, ['D01,甲', 'D02,乙']);
    await h.db.run('drop view stg_departments');
    await h.db.run('drop table raw_departments');
    const error = await loadCsvFast(t).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(NeedsCarefulPath);
    expect((error as Error).message).toContain('raw_departments');
    await expect(h.ingest()).rejects.toThrow(/raw_departments/);
    expect(await h.count('batches')).toBe(0);
  });

  it('rethrows a database error that is not about the file: a table without an expected column', async () => {
    h = await openHarness();
    const t = await target(h, ['D01,甲', 'D02,乙']);
    await h.db.run('drop view stg_departments');
    await h.db.run('alter table raw_departments drop column contact');
    const error = await loadCsvFast(t).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(NeedsCarefulPath);
    expect((error as Error).message).toMatch(/Binder Error.*contact/s);
  });
});
