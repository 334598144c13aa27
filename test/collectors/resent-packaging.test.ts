// A file is known by its text, not its bytes: the same export re-sent with Windows line breaks, a BOM, in GBK or
// gzipped again (gzip stamps a time in its header) is the file already loaded and adds nothing. A file with
// nothing in it is known by its name. A store that knows a file by its bytes (written before) keeps knowing it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeGbk } from './gbk.ts';
import { repoConfig } from '../helpers.ts';
import { openHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

const SAMPLE = [
  '统一社会信用代码,企业名称',
  '91110000600037341L,示例科技有限公司',
  '91310115MA1K3BTP2B,丙公司',
];
const LF = SAMPLE.join('\n') + '\n';

/**
 * Gives data_sample_R002.csv's load the identity a store written before gave it (of the sample's code and the
 * given hash); the file re-sent is then that load, and its two rows are not stored again.
 */
async function expectKnownAsBefore(hash: string): Promise<void> {
  const legacy = createHash('sha256').update(`data_sample:R002:${hash}`).digest('hex');
  await h!.db.run(`update batches set content_hash = $legacy, file_hash = $legacy`, { legacy });
  expect((await h!.ingest('data_sample_R002.csv')).map((r) => r.status)).toEqual(['duplicate']);
  expect(await h!.count('raw_data_sample')).toBe(2);
}

describe('the same file in another packaging', () => {
  it('loads a data sample once, whether re-sent with CR LF and a BOM, in GBK or gzipped', async () => {
    h = await openHarness();
    h.write('data_sample_R002.csv', LF);
    expect((await h.ingest('data_sample_R002.csv')).map((r) => r.status)).toEqual(['loaded']);
    h.write('data_sample_R002_crlf.csv', '\uFEFF' + SAMPLE.join('\r\n') + '\r\n');
    h.write('data_sample_R002_gbk.csv', encodeGbk(LF));
    // gzip writes the time into its header: two compressions of one file differ in their bytes
    h.write('data_sample_R002.csv.gz', gzipSync(Buffer.from(LF)));
    // CR CR LF, as some exports end their lines, is one line break; the last line break, or several, or none
    h.write('data_sample_R002_crcrlf.csv', SAMPLE.join('\r\r\n') + '\r\r\n');
    h.write('data_sample_R002_nofinal.csv', SAMPLE.join('\n'));
    h.write('data_sample_R002_trailing.csv', LF + '\n\r\n');
    // a file without any LF has CR for its line break (an old Mac export)
    h.write('data_sample_R002_cr.csv', SAMPLE.join('\r') + '\r\r');
    const again = await h.ingest(
      'data_sample_R002_crlf.csv',
      'data_sample_R002_gbk.csv',
      'data_sample_R002.csv.gz',
      'data_sample_R002_crcrlf.csv',
      'data_sample_R002_nofinal.csv',
      'data_sample_R002_trailing.csv',
      'data_sample_R002_cr.csv',
    );
    expect(again.map((r) => r.status)).toEqual(Array(7).fill('duplicate'));
    expect(await h.count('raw_data_sample')).toBe(2);
    // another text is another file: one more row; a blank line within the text is part of it
    h.write('data_sample_R002_more.csv', LF + '91440300708461136T,乙公司\n');
    h.write('data_sample_R002_blank.csv', SAMPLE[0] + '\n\n' + SAMPLE.slice(1).join('\n') + '\n');
    expect(
      (await h.ingest('data_sample_R002_more.csv', 'data_sample_R002_blank.csv')).map((r) => r.rows_loaded),
    ).toEqual([3, 2]);
  });

  it('loads empty files of two kinds as two files, and the same empty file once', async () => {
    h = await openHarness();
    h.write('departments_2026.csv', '');
    h.write('access_log_2026-10-01.csv', '\n');
    const first = await h.ingest('departments_2026.csv', 'access_log_2026-10-01.csv');
    expect(first.map((r) => [r.kind, r.status])).toEqual([
      ['departments', 'loaded'],
      ['access_log', 'loaded'],
    ]);
    h.write('access_log_2026-10-01.csv', '\r\n');
    expect((await h.ingest('access_log_2026-10-01.csv')).map((r) => [r.kind, r.status])).toEqual([
      ['access_log', 'duplicate'],
    ]);
    // a header alone says no more than the file's name: two days without records are two exports
    const header = 'dept_code,dept_name,level';
    h.write('departments_2026-10-01.csv', header + '\n');
    h.write('departments_2026-10-02.csv', header + '\n');
    const headers = await h.ingest('departments_2026-10-01.csv', 'departments_2026-10-02.csv');
    expect(headers.map((r) => r.status)).toEqual(['loaded', 'loaded']);
    h.write('departments_2026-10-02.csv', header + '\r\n');
    expect((await h.ingest('departments_2026-10-02.csv')).map((r) => r.status)).toEqual(['duplicate']);
  });

  it('does not take an empty file for another empty file that a store written before holds under its bytes', async () => {
    h = await openHarness();
    h.write('departments_2026-02.csv', '');
    await h.ingest('departments_2026-02.csv');
    // stores written before knew an empty file by its bytes alone, whatever its name
    const empty = createHash('sha256').update('').digest('hex');
    await h.db.run(`update batches set content_hash = $empty, file_hash = $empty`, { empty });
    h.write('access_log_2026-10-01.csv', '');
    expect((await h.ingest('access_log_2026-10-01.csv')).map((r) => [r.kind, r.status])).toEqual([
      ['access_log', 'loaded'],
    ]);
  });

  it('keeps the identity of a file a store holds under its bytes, as stores written before did', async () => {
    h = await openHarness();
    const crlf = Buffer.from(SAMPLE.join('\r\n') + '\r\n');
    const file = h.write('data_sample_R002.csv', crlf);
    await h.ingest('data_sample_R002.csv');
    // the identity a store written before this change gave the file: of the sample's code and its bytes
    await expectKnownAsBefore(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('keeps the identity a store gave a file whose lines end in CR alone when its CRs were content', async () => {
    h = await openHarness();
    const cr = SAMPLE.join('\r') + '\r';
    h.write('data_sample_R002.csv', '\uFEFF' + cr);
    await h.ingest('data_sample_R002.csv');
    // the identity stores written before gave it: of the sample's code and its text, CRs kept as content
    await expectKnownAsBefore(createHash('sha256').update(cr).digest('hex'));
  });

  it('loads again a file whose lines end in CR and its last in LF, which a store written before read as a header', async () => {
    h = await openHarness();
    const text = 'dept_code,dept_name,level\rD01,一局,省\rD02,二局,市';
    h.write('departments_2026.csv', text + '\n');
    expect((await h.ingest('departments_2026.csv')).map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 2],
    ]);
    // as such a store held it: known by its text with CRs as content, and no row of it loaded
    const legacy = createHash('sha256').update(text).digest('hex');
    await h.db.run(
      `update batches set batch_id = left($legacy, 16), content_hash = $legacy, file_hash = $legacy, rows_loaded = 0`,
      { legacy },
    );
    await h.db.run('delete from raw_departments');
    expect((await h.ingest('departments_2026.csv')).map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 2],
    ]);
    expect(await h.count('stg_departments')).toBe(2);
  });

  it('reads JSON Lines by their LFs: lines ending in CR alone are another text than their LF twin', async () => {
    h = await openHarness();
    const lines = [
      '{"dept_code": "D01", "dept_name": "一局", "level": "市"}',
      '{"dept_code": "D02", "dept_name": "二局", "level": "市"}',
    ];
    h.write('departments_cr.jsonl', lines.join('\r') + '\r');
    h.write('departments_lf.jsonl', lines.join('\n') + '\n');
    const results = await h.ingest('departments_cr.jsonl', 'departments_lf.jsonl');
    expect(results.map((r) => [r.status, r.rows_loaded, r.rows_rejected])).toEqual([
      ['loaded', 0, 1],
      ['loaded', 2, 0],
    ]);
  });

  it("loads again under a changed mapping only the files of that mapping's kind", async () => {
    const config = repoConfig();
    h = await openHarness(config);
    h.write('departments_2026.csv', ['dept_code,dept_name,level', 'D01,一局,省']);
    h.write('share_requests_2026.csv', [
      '申请编号,requester_dept,provider_dept,resource_code,purpose,submitted_at',
      'SQ1,D02,D01,R001,核验,2026-09-28 10:12:00',
    ]);
    h.write('部门名单.csv', ['dept_code,dept_name,level', 'D02,二局,市']);
    h.write('部门名单.jsonl', ['{"dept_code": "D03", "dept_name": "三局", "level": "市"}']);
    h.write('share_requests_other.csv', [
      'request_id,申请部门,provider_dept,resource_code,purpose,submitted_at',
      'SQ2,D03,D01,R001,核验,2026-09-29 10:12:00',
    ]);
    config.mappings.share_requests = { columns: { 申请编号: 'request_id' }, values: {} };
    const files = [
      'departments_2026.csv',
      '部门名单.csv',
      '部门名单.jsonl',
      'share_requests_2026.csv',
      'share_requests_other.csv',
    ];
    const first = await h.ingest(...files);
    expect(first.map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 1],
      ['loaded', 1],
      ['loaded', 1],
      ['loaded', 1],
      ['quarantined', 0], // no requester_dept under this mapping
    ]);
    config.mappings.share_requests.columns['申请部门'] = 'requester_dept';
    const again = await h.ingest(...files);
    // the departments files, by name or by header, are those already loaded; the requests files are read under
    // the new mapping
    expect(again.map((r) => [r.status, r.rows_loaded])).toEqual([
      ['duplicate', 0],
      ['duplicate', 0],
      ['duplicate', 0],
      ['loaded', 1],
      ['loaded', 1],
    ]);
    expect(await h.db.query('select request_id from stg_share_requests order by 1')).toEqual([
      { request_id: 'SQ1' },
      { request_id: 'SQ2' },
    ]);
  });
  it('reads a file whose lines end in CR alone on both paths, as the text of its LF twin', async () => {
    h = await openHarness();
    const rows = ['dept_code,dept_name,level', 'D01,一局,省', 'D02,二局,火星'];
    h.write('departments_cr.csv', rows.join('\r') + '\r');
    h.write('departments_lf.csv', rows.join('\n') + '\n');
    // no bad value
    h.write('departments_cr_2.csv', 'dept_code,dept_name,level\rD03,三局,市\rD04,四局,县');
    // a longer file: the CRs are line breaks to the end
    const long = [
      'dept_code,dept_name,level',
      ...Array.from({ length: 6000 }, (_, i) => `X${i},部门${i},市`),
    ];
    h.write('departments_long_lf.csv', long.join('\n'));
    h.write('departments_long_cr.csv', long.join('\r') + '\r');
    // the last line ending in CR LF, or in LF: still lines ending in CR (their rows were lost as one header)
    h.write('departments_cr_lf.csv', rows.join('\r') + '\n');
    h.write('departments_cr_3.csv', 'dept_code,dept_name,level\rD05,五局,市\rD06,六局,县\r\n');
    const results = await h.ingest(
      'departments_cr.csv',
      'departments_lf.csv',
      'departments_cr_2.csv',
      'departments_long_lf.csv',
      'departments_long_cr.csv',
      'departments_cr_lf.csv',
      'departments_cr_3.csv',
    );
    expect(results.map((r) => [r.status, r.rows_loaded, r.rows_rejected])).toEqual([
      ['loaded', 1, 1],
      ['duplicate', 0, 0],
      ['loaded', 2, 0],
      ['loaded', 6000, 0],
      ['duplicate', 0, 0],
      ['duplicate', 0, 0],
      ['loaded', 2, 0],
    ]);
    expect((await h.rejects()).map((r) => [r.file, r.line, r.column, r.value])).toEqual([
      ['departments_cr.csv', 3, 'level', '火星'],
    ]);
  });
});
