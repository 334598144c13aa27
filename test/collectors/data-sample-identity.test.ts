// A data sample's resource code and date are in its file name, not in its content: the same rows sampled
// from two resources or on two dates are two inputs (both load), while the same file sent again is still a
// duplicate.
import { afterEach, describe, expect, it } from 'vitest';
import { sampleDateOf } from '../../collectors/detect-kind.ts';
import { openHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

const SAMPLE = ['统一社会信用代码,企业名称', '91110000600037341L,示例科技有限公司'];

describe('data sample identity', () => {
  it('loads equal samples of two resources, and the same sample of one resource once', async () => {
    h = await openHarness();
    h.write('data_sample_R002.csv', SAMPLE);
    h.write('data_sample_R005.csv', SAMPLE);
    const first = await h.ingest('data_sample_R002.csv', 'data_sample_R005.csv');
    expect(first.map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 1],
      ['loaded', 1],
    ]);
    h.write('data_sample_R002_again.csv', SAMPLE);
    const again = await h.ingest('data_sample_R002_again.csv');
    expect(again.map((r) => r.status)).toEqual(['duplicate']);
    expect(
      await h.db.query(
        'select resource_code, count(*)::integer as n from raw_data_sample group by all order by all',
      ),
    ).toEqual([
      { resource_code: 'R002', n: 1 },
      { resource_code: 'R005', n: 1 },
    ]);
  });

  it('reads a sample in JSON Lines as one in CSV: each line a record of its own keys, bad lines rejected with their line', async () => {
    h = await openHarness();
    h.write('data_sample_R002.jsonl', [
      '{"统一社会信用代码": "91110000600037341L", "企业名称": " 示例科技有限公司 ", "注册资本": 1000000}',
      '',
      '{"统一社会信用代码": "91310115MA1K3BTP2B", "企业名称": "", "注销日期": null}',
      '{"统一社会信用代码": "91440300708461136T", ',
      '["not", "an", "object"]',
    ]);
    const [result] = await h.ingest('data_sample_R002.jsonl');
    expect([result!.status, result!.rows_loaded, result!.rows_rejected]).toEqual(['loaded', 2, 2]);
    expect(
      await h.db.query(
        'select resource_code, row_no::integer as row_no, line::integer as line, record from raw_data_sample order by row_no',
      ),
    ).toEqual([
      {
        resource_code: 'R002',
        row_no: 1,
        line: 1,
        record: JSON.stringify({
          统一社会信用代码: '91110000600037341L',
          企业名称: '示例科技有限公司',
          注册资本: '1000000',
          注销日期: null,
        }),
      },
      {
        resource_code: 'R002',
        row_no: 2,
        line: 3,
        record: JSON.stringify({
          统一社会信用代码: '91310115MA1K3BTP2B',
          企业名称: null,
          注册资本: null,
          注销日期: null,
        }),
      },
    ]);
    const rejects = await h.db.query<{ line: number; reason: string }>(
      'select line::integer as line, reason from rejects order by line',
    );
    expect(rejects.map((r) => r.line)).toEqual([4, 5]);
    expect(rejects[0]!.reason).toMatch(/^JSON 格式错误（第 \d+ 个字符处）：该行不是有效的 JSON（/);
    expect(rejects[1]!.reason).toBe('每行应为一个 JSON 对象');
  });

  it('keeps the values of unnamed columns, each as column<N>', async () => {
    h = await openHarness();
    h.write('data_sample_R009.csv', [
      '统一社会信用代码,企业名称,,',
      '91110000600037341L,甲公司,备注一,备注二',
    ]);
    const [result] = await h.ingest('data_sample_R009.csv');
    expect([result!.status, result!.rows_loaded]).toEqual(['loaded', 1]);
    expect(await h.db.query('select record from raw_data_sample')).toEqual([
      {
        record: JSON.stringify({
          统一社会信用代码: '91110000600037341L',
          企业名称: '甲公司',
          column3: '备注一',
          column4: '备注二',
        }),
      },
    ]);
  });

  it('loads the same rows sampled on two dates as two samples, and the same date in another spelling once', async () => {
    h = await openHarness();
    h.write('data_sample_R002_20260115.csv', SAMPLE);
    h.write('data_sample_R002_20260215.csv', SAMPLE);
    const first = await h.ingest('data_sample_R002_20260115.csv', 'data_sample_R002_20260215.csv');
    expect(first.map((r) => [r.status, r.rows_loaded])).toEqual([
      ['loaded', 1],
      ['loaded', 1],
    ]);
    h.write('data_sample_R002_2026-02-15.csv', SAMPLE);
    h.write('data_sample_R002_20260230.csv', SAMPLE);
    h.write('data_sample_R002.csv', SAMPLE);
    const again = await h.ingest(
      'data_sample_R002_2026-02-15.csv',
      'data_sample_R002_20260230.csv',
      'data_sample_R002.csv',
    );
    // 2026-02-30 is no date: that file is undated, as data_sample_R002.csv, which it duplicates
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'loaded', 'duplicate']);
  });
});

describe('the date in a data sample file name', () => {
  it('reads YYYYMMDD and YYYY-MM-DD after the resource code, anywhere among the name parts', () => {
    expect(sampleDateOf('data_sample_R002_20260315.csv')).toBe('2026-03-15');
    expect(sampleDateOf('DATA_SAMPLE_R002_2026-03-15.CSV')).toBe('2026-03-15');
    expect(sampleDateOf('data_sample_R002_月报_20260315_v2.csv')).toBe('2026-03-15');
    expect(sampleDateOf('data_sample_R002.csv')).toBeNull();
    expect(sampleDateOf('data_sample_R002_20260230.csv')).toBeNull();
    expect(sampleDateOf('data_sample_20260315.csv')).toBeNull();
  });
});
