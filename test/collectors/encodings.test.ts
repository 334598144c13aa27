// Encodings and containers the collectors must read (UTF-8 with and without BOM, GBK/GB18030, gzip, JSON
// Lines), how a file's kind is found, and the files that are quarantined whole with their reason.
import { copyFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../config/app-config.ts';
import { INBOX_SMALL, REPO_ROOT } from '../helpers.ts';
import { encodeGbk } from './gbk.ts';
import { ACCESS_HEADER, openHarness, SHARE_HEADER, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

const DEPT_HEADER = 'dept_code,dept_name,level,parent_code,notice_email,contact';
/** 𠀀 (U+20000, a rare character of personal names) is outside GBK: GB18030 writes it in four bytes. */
const GB18030_U20000 = Buffer.from([0x95, 0x32, 0x82, 0x36]);

const departments = (h: Harness) =>
  h.db.query(
    'select dept_code, dept_name, level, parent_code, contact from stg_departments order by dept_code',
  );

describe('GBK and GB18030 files', () => {
  it('decodes the GBK example export and keeps every Chinese value exact', async () => {
    h = await openHarness();
    copyFileSync(
      path.join(INBOX_SMALL, 'share_requests_2026q3.csv'),
      path.join(h.inbox, 'share_requests_2026q3.csv'),
    );
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', encoding: 'gb18030', rows_loaded: 4, rows_rejected: 0 });
    expect(
      await h.db.query(
        `select request_id, purpose, requested_items, approved_items from stg_share_requests where request_id = 'SQ2'`,
      ),
    ).toEqual([
      {
        request_id: 'SQ2',
        purpose: '社保待遇资格认证',
        requested_items: ['公民身份号码', '姓名', '户籍地址'],
        approved_items: ['公民身份号码', '姓名'],
      },
    ]);
    expect(await h.tmpLeftovers()).toEqual([]);
  });

  it('decodes hand-made GBK bytes, four-byte GB18030 characters and Chinese enumeration terms', async () => {
    h = await openHarness();
    expect(encodeGbk('中文').toString('hex')).toBe('d6d0cec4'); // the helper itself, against known bytes
    const bytes = Buffer.concat([
      encodeGbk(
        `${DEPT_HEADER}\nD01,示例市公安局,市级,,d01@example.gov.cn,王明\nD02,示例县人力资源和社会保障局,县,D01,,张`,
      ),
      GB18030_U20000,
      Buffer.from('\n'),
    ]);
    expect(isUtf8(bytes)).toBe(false);
    h.write('departments_gbk.csv', bytes);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', encoding: 'gb18030', rows_loaded: 2, rows_rejected: 0 });
    expect(await departments(h)).toEqual([
      { dept_code: 'D01', dept_name: '示例市公安局', level: 'city', parent_code: null, contact: '王明' },
      {
        dept_code: 'D02',
        dept_name: '示例县人力资源和社会保障局',
        level: 'county',
        parent_code: 'D01',
        contact: '张𠀀',
      },
    ]);
  });

  it('sets aside a file that reads as well in GBK as in UTF-8, and reads it as UTF-8 with a BOM', async () => {
    h = await openHarness();
    const row = 'E1,2026-10-20 10:01:02,D02,u1,R001,D01,api,1,住址,,,ok';
    const bytes = encodeGbk(`${ACCESS_HEADER}\n${row}\n`);
    expect(isUtf8(bytes)).toBe(true); // 住址 is D7A1 D6B7: Hebrew letters in UTF-8
    h.write('access_log_gbk.csv', bytes);
    // Cyrillic in UTF-8 reads as Han characters in GBK just as well; with a BOM it is UTF-8
    const cyrillic = `${DEPT_HEADER}\nD01,一局,city,,,Иван\n`.replace('一局', 'Dept A');
    h.write('departments_ru.csv', cyrillic);
    h.write('departments_ru_bom.csv', '\uFEFF' + cyrillic.replace('D01', 'D02'));
    h.write('departments_signs.csv', `${DEPT_HEADER}\nD03,Dept·C,city,,,Wang×2\n`);
    const results = await h.ingest(
      'access_log_gbk.csv',
      'departments_ru.csv',
      'departments_ru_bom.csv',
      'departments_signs.csv',
    );
    expect(results.map((r) => [r.status, r.encoding])).toEqual([
      ['quarantined', null],
      ['quarantined', null],
      ['loaded', 'utf-8-bom'],
      ['loaded', 'utf-8'],
    ]);
    expect(results[0]!.reason).toBe(
      '文件编码无法确定：按 UTF-8 读作“\u05e1\u05b7”，按 GBK 读作“住址”，两种读法都有效，为免存入乱码，整个文件未载入；' +
        '请以带 BOM 的 UTF-8 重新导出（带 BOM 即按 UTF-8 读取）',
    );
    expect(await h.db.query('select dept_code, contact from stg_departments order by 1')).toEqual([
      { dept_code: 'D02', contact: 'Иван' },
      { dept_code: 'D03', contact: 'Wang×2' },
    ]);
  });

  it('rejects a bad row of a GBK file with its line and the decoded value', async () => {
    h = await openHarness();
    h.write(
      'departments_gbk.csv',
      encodeGbk(`${DEPT_HEADER}\nD01,示例市公安局,市级,,,\nD02,示例局,乡镇级,,,\nD03,示例局三,省,,,\n`),
    );
    const [result] = await h.ingest();
    expect(result).toMatchObject({ encoding: 'gb18030', rows_loaded: 2, rows_rejected: 1 });
    expect(await h.rejects()).toEqual([
      {
        file: 'departments_gbk.csv',
        line: 3,
        column: 'level',
        value: '乡镇级',
        reason: '不在取值范围内：应为 省级/省|province、市级/市|city、县级/区县/县|county',
      },
    ]);
  });
});

describe('UTF-8 with a byte-order mark', () => {
  it('strips the BOM before the header, on the fast and the careful path alike', async () => {
    h = await openHarness();
    h.write('departments_clean.csv', `\uFEFF${DEPT_HEADER}\nD01,示例市公安局,city,,,王明\n`);
    h.write('departments_bad.csv', `\uFEFF${DEPT_HEADER}\nD02,示例市市场监督管理局,市,,,\nD03,,city,,,\n`);
    const results = await h.ingest();
    expect(results.map((r) => [r.encoding, r.rows_loaded, r.rows_rejected])).toEqual([
      ['utf-8-bom', 1, 1],
      ['utf-8-bom', 1, 0],
    ]);
    expect(await h.rejects()).toEqual([
      { file: 'departments_bad.csv', line: 3, column: 'dept_name', value: null, reason: '必填项为空' },
    ]);
    expect((await departments(h)).map((d) => d.dept_code)).toEqual(['D01', 'D02']);
  });

  it('finds the kind from a BOM-prefixed header when the name has no known prefix', async () => {
    h = await openHarness();
    h.write('platform_export_20261101.csv', `\uFEFF${DEPT_HEADER}\nD01,示例市公安局,city,,,王明\n`);
    const [result] = await h.ingest();
    expect(result).toMatchObject({
      kind: 'departments',
      status: 'loaded',
      rows_loaded: 1,
      encoding: 'utf-8-bom',
    });
  });
});

describe('gzip-compressed files', () => {
  it('loads .csv.gz in UTF-8 and in GBK, and leaves no temporary copy behind', async () => {
    h = await openHarness();
    h.write('departments_utf8.csv.gz', gzipSync(`${DEPT_HEADER}\nD01,示例市公安局,city,,,王明\n`));
    h.write(
      'departments_gbk.csv.gz',
      gzipSync(encodeGbk(`${DEPT_HEADER}\nD02,示例市市场监督管理局,市级,,,李华\n`)),
    );
    const results = await h.ingest();
    expect(results.map((r) => [path.basename(r.path), r.status, r.encoding, r.rows_loaded])).toEqual([
      ['departments_gbk.csv.gz', 'loaded', 'gb18030', 1],
      ['departments_utf8.csv.gz', 'loaded', 'utf-8', 1],
    ]);
    expect((await departments(h)).map((d) => [d.dept_code, d.dept_name])).toEqual([
      ['D01', '示例市公安局'],
      ['D02', '示例市市场监督管理局'],
    ]);
    expect(await h.tmpLeftovers()).toEqual([]);
  });

  it('quarantines a .gz file that does not decompress', async () => {
    h = await openHarness();
    h.write(
      'departments_cut.csv.gz',
      gzipSync(`${DEPT_HEADER}\nD01,示例市公安局,city,,,王明\n`).subarray(0, 20),
    );
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'quarantined', kind: 'departments', rows_loaded: 0 });
    expect(result!.reason).toContain('gzip 解压失败');
    expect(await h.count('raw_departments')).toBe(0);
  });
});

const event = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: id,
    ts: '2026-11-02T09:00:00+08:00',
    consumer_dept: 'D02',
    user_id: 'u021',
    resource_code: 'R001',
    provider_dept: 'D01',
    operation: 'api',
    records: 3,
    items: ['公民身份号码', '姓名'],
    approval_id: 'SQ1',
    result: '成功',
    ...extra,
  });

describe('JSON Lines', () => {
  const lines = (p: string) => [
    event(`${p}1`, { channel: 'app' }),
    '',
    event(`${p}2`, {
      ts: '2026-11-02T01:30:00Z',
      operation: '查询',
      records: '12',
      items: '姓名',
      result: null,
    }),
    `{"event_id": "${p}3", broken`,
    '["not", "an", "object"]',
    event(`${p}4`, { records: 2.5 }),
  ];

  it('loads .jsonl and .jsonl.gz: arrays as lists, offsets to Shanghai time, other keys kept as extra', async () => {
    h = await openHarness();
    h.write('access_log_2026-11.jsonl', lines('J'));
    h.write('access_log_2026-12.jsonl.gz', gzipSync(lines('K').join('\n') + '\n'));
    const results = await h.ingest();
    expect(results.map((r) => [path.basename(r.path), r.kind, r.rows_loaded, r.rows_rejected])).toEqual([
      ['access_log_2026-11.jsonl', 'access_log', 2, 3],
      ['access_log_2026-12.jsonl.gz', 'access_log', 2, 3],
    ]);
    expect(
      await h.db.query(
        `select event_id, ts, operation, records, items, result, extra from raw_access_log where event_id like 'J%' order by event_id`,
      ),
    ).toEqual([
      {
        event_id: 'J1',
        ts: '2026-11-02 09:00:00',
        operation: 'api',
        records: 3,
        items: ['公民身份号码', '姓名'],
        result: 'ok',
        extra: '{"channel":"app"}',
      },
      {
        event_id: 'J2',
        ts: '2026-11-02 09:30:00',
        operation: 'query',
        records: 12,
        items: ['姓名'],
        result: null,
        extra: null,
      },
    ]);
    const rejects = (await h.rejects()).filter((r) => r.file === 'access_log_2026-11.jsonl');
    expect(rejects.map((r) => [r.line, r.column, r.value])).toEqual([
      [4, null, '{"event_id": "J3", broken'],
      [5, null, '["not", "an", "object"]'],
      [6, 'records', '2.5'],
    ]);
    // the character where the parser stopped, counted from 1 (V8 gives a 0-based position)
    expect(rejects[0]!.reason).toMatch(
      /^JSON 格式错误（第 20 个字符处）：该行不是有效的 JSON（.+ at position 19.*）$/,
    );
    expect(rejects[1]!.reason).toBe('每行应为一个 JSON 对象');
    expect(rejects[2]!.reason).toBe('应为非负整数（只能由数字 0-9 组成）');
    expect((await h.batches()).map((b) => [b.total, b.loaded, b.rejected])).toEqual([
      [5, 2, 3],
      [5, 2, 3],
    ]);
  });

  it('keeps integer ids beyond 2^53 exact, so distinct events stay distinct', async () => {
    h = await openHarness();
    const big = (id: string, meta = '{"trace":1790000000000000009}') =>
      event('X').replace('"event_id":"X"', `"event_id":${id}`).replace(/}$/, `,"meta":${meta}}`);
    h.write('access_log_a.jsonl', [big('1790000000000000001'), big('1790000000000000002')]);
    h.write('access_log_b.jsonl', [big('1790000000000000003'), big('1790000000000000050')]);
    const results = await h.ingest();
    expect(results.map((r) => [r.rows_loaded, r.rows_rejected, r.rows_resent])).toEqual([
      [2, 0, 0],
      [2, 0, 0],
    ]);
    expect(await h.db.query('select event_id, extra from stg_access_log order by event_id')).toEqual(
      ['01', '02', '03', '50'].map((n) => ({
        event_id: `17900000000000000${n}`,
        extra: '{"meta":"{\\"trace\\":1790000000000000009}"}',
      })),
    );
  });

  it('reads a JSON Lines file that starts with a BOM', async () => {
    h = await openHarness();
    h.write('platform_events.jsonl', `\uFEFF${event('B1')}\n`);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ kind: 'access_log', status: 'loaded', rows_loaded: 1, rows_rejected: 0 });
  });

  it('rejects every line of a JSON Lines file none of whose lines is an object', async () => {
    h = await openHarness();
    h.write('access_log_broken.jsonl', ['[1]', '{oops', '"text"']);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'loaded', rows_loaded: 0, rows_rejected: 3 });
    expect((await h.rejects()).map((r) => r.line)).toEqual([1, 2, 3]);
  });
});

describe('files quarantined whole', () => {
  const undecodable = Buffer.concat([
    Buffer.from(`${DEPT_HEADER}\nD01,`),
    encodeGbk('示例市公安局'),
    Buffer.from(',city,,,\nD02,'),
    Buffer.from([0xff, 0xfe, 0x41]),
    Buffer.from(',city,,,\nD03,x,city,,,\n'),
  ]);

  it('quarantines a file that is neither UTF-8 nor GB18030, naming the line, and counts its rows as rejected', async () => {
    h = await openHarness();
    h.write('departments_bad.csv', undecodable);
    h.write(
      'departments_bad2.csv.gz',
      gzipSync(Buffer.concat([undecodable, Buffer.from('D04,y,city,,,\n')])),
    );
    const results = await h.ingest();
    expect(
      results.map((r) => [
        path.basename(r.path),
        r.status,
        r.kind,
        r.encoding,
        r.rows_loaded,
        r.rows_rejected,
      ]),
    ).toEqual([
      ['departments_bad.csv', 'quarantined', 'departments', null, 0, 3],
      ['departments_bad2.csv.gz', 'quarantined', 'departments', null, 0, 4],
    ]);
    const reason =
      '文件编码无法识别：既不是 UTF-8，也不是有效的 GBK/GB18030 编码（第 3 行起无法按 GB18030 解码）；请以 UTF-8 或 GBK 重新导出';
    expect(results[0]!.reason).toBe(reason);
    expect(await h.rejects()).toEqual([
      { file: 'departments_bad.csv', line: null, column: null, value: null, reason },
      { file: 'departments_bad2.csv.gz', line: null, column: null, value: null, reason },
    ]);
    expect(await h.batches()).toEqual([
      {
        file: 'departments_bad.csv',
        kind: 'departments',
        total: 3,
        loaded: 0,
        rejected: 3,
        status: 'quarantined',
        detail: reason,
      },
      {
        file: 'departments_bad2.csv.gz',
        kind: 'departments',
        total: 4,
        loaded: 0,
        rejected: 4,
        status: 'quarantined',
        detail: reason,
      },
    ]);
    expect(await h.count('raw_departments')).toBe(0);
    expect(await h.tmpLeftovers()).toEqual([]);
  });

  it('quarantines a damaged UTF-8 file instead of loading it as GBK mojibake', async () => {
    h = await openHarness();
    const text = Buffer.from(
      `${DEPT_HEADER}\nD01,示例市公安局,city,,,王明\nD02,示例市市场监督管理局,city,,,李华\nD03,示例市人力资源和社会保障局,city,,,赵`,
    );
    const cut = text.subarray(0, text.length - 1); // the last character loses its final byte
    expect(() => new TextDecoder('gb18030', { fatal: true }).decode(cut)).not.toThrow(); // GB18030 would take it
    h.write('departments_cut.csv', cut);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'quarantined', rows_rejected: 3 });
    expect(result!.reason).toBe(
      '文件看起来是 UTF-8 编码，但第 4 行起有 1 处无效的字节（文件可能已损坏或被截断）；为免把乱码当作 GBK 载入，整个文件未载入，请重新导出',
    );
  });

  it('quarantines a file whose header lacks required columns and names them', async () => {
    h = await openHarness();
    h.write('share_requests_2026-11.csv', [
      'request_id,requester_dept,provider_dept,resource_code,requested_items',
      'SQ9,D02,D01,R001,姓名',
      'SQ10,D02,D01,R001,姓名',
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({
      status: 'quarantined',
      kind: 'share_requests',
      rows_loaded: 0,
      rows_rejected: 2,
    });
    expect(result!.reason).toBe(
      '第 1 行表头缺少必需的列：purpose、submitted_at（share_requests 文件应包含这些列）',
    );
    expect(await h.count('raw_share_requests')).toBe(0);
    expect((await h.batches())[0]).toMatchObject({ total: 2, loaded: 0, rejected: 2, status: 'quarantined' });
  });

  it('quarantines a JSON Lines file in which no line has a required field, counting every line', async () => {
    h = await openHarness();
    h.write('share_requests_2026-11.jsonl', [
      JSON.stringify({
        request_id: 'SQ9',
        requester_dept: 'D02',
        provider_dept: 'D01',
        resource_code: 'R001',
      }),
      JSON.stringify({
        request_id: 'SQ10',
        requester_dept: 'D02',
        provider_dept: 'D01',
        resource_code: 'R001',
      }),
    ]);
    const [result] = await h.ingest();
    expect(result).toMatchObject({ status: 'quarantined', rows_loaded: 0, rows_rejected: 2 });
    expect(result!.reason).toBe(
      '没有任何一行 JSON 含有必需的字段：purpose、submitted_at（share_requests 记录应包含这些字段）',
    );
  });

  it('quarantines a file of unknown kind once, however often it is sent', async () => {
    h = await openHarness();
    h.write('export.csv', ['编号,名称', '1,x']);
    const [first] = await h.ingest();
    expect(first).toMatchObject({ status: 'quarantined', kind: null, rows_rejected: 1 });
    expect(first!.reason).toBe(
      '无法判断记录类型：文件名没有已知前缀（如 share_requests_），表头也不符合任何一种记录的必需列',
    );
    const again = await h.ingest();
    expect(again[0]).toMatchObject({ status: 'quarantined' });
    expect(await h.batches()).toHaveLength(1); // the same content is quarantined once, not twice
  });
});

describe('kind from the header', () => {
  it('loads a file whose header holds a column of another kind as the kind it fits best', async () => {
    h = await openHarness();
    h.write('法规变更.csv', [
      'event_id,dept_code,dept_name,kind,occurred_on,reference,description',
      'EV1,D01,一局,law_revision,2026-03-02,某条例,修订',
    ]);
    const [result] = await h.ingest();
    expect([result!.status, result!.kind, result!.rows_loaded]).toEqual(['loaded', 'change_events', 1]);
  });

  it('quarantines a file whose header fits two kinds as well, naming both', async () => {
    h = await openHarness();
    // the required columns of catalog_changes and supply_exemptions, four of each
    h.write('20261101_export.csv', [
      'change_id,resource_code,dept_code,action,changed_at,from,to',
      'C1,R001,D01,modify,2026-10-01 10:00:00,2026-10-01,2026-10-31',
    ]);
    const [result] = await h.ingest();
    expect([result!.status, result!.kind, result!.reason]).toEqual([
      'quarantined',
      null,
      '无法判断记录类型：文件名没有已知前缀，表头同时符合 catalog_changes、supply_exemptions 的必需列；' +
        '请在文件名前加上类型前缀（如 catalog_changes_2026.csv）后重新加载',
    ]);
  });

  it('detects each kind by its required columns when the file name has no known prefix', async () => {
    h = await openHarness();
    h.write('20261101_export_a.csv', [SHARE_HEADER, 'SQ1,D02,D01,R001,核验,姓名,2026-09-28 10:12:00,,,,,,,']);
    h.write('20261101_export_b.csv', [
      ACCESS_HEADER,
      'AC1,2026-10-20 10:01:02,D02,u021,R001,D01,api,1,姓名,SQ1,10.8.1.21,ok',
    ]);
    const results = await h.ingest();
    expect(results.map((r) => [path.basename(r.path), r.kind, r.rows_loaded])).toEqual([
      ['20261101_export_a.csv', 'share_requests', 1],
      ['20261101_export_b.csv', 'access_log', 1],
    ]);
  });

  it('detects the kind through the column mapping of the config, in a GBK file', async () => {
    const config = loadAppConfig({
      file: 'config/sharewatch.example.yaml',
      cwd: REPO_ROOT,
      env: {},
      projectRoot: REPO_ROOT,
    });
    h = await openHarness(config);
    h.write(
      '平台导出.csv',
      encodeGbk(
        '申请编号,申请部门,提供部门,资源编码,申请用途,申请时间,审核结果\nSQ7,D02,D01,R001,企业开办,2026-09-28 10:12:00,同意\n',
      ),
    );
    const [result] = await h.ingest();
    expect(result).toMatchObject({ kind: 'share_requests', encoding: 'gb18030', rows_loaded: 1 });
    expect(await h.db.query('select request_id, purpose, decision from stg_share_requests')).toEqual([
      { request_id: 'SQ7', purpose: '企业开办', decision: 'approved' },
    ]);
  });
});
