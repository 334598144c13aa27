// A data sample's resource code is in its file name, not in its content: the same rows sampled from two
// resources are two inputs (both load), while the same file sent again is still a duplicate.
import { afterEach, describe, expect, it } from 'vitest';
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
});
