import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig } from '../helpers.ts';

let db: Db | undefined;
afterEach(() => db?.close());

describe('ingest of the canonical small inbox', () => {
  it('loads every file once, decoding GBK and BOM files, and skips a re-sent inbox', async () => {
    const fresh = await freshDb();
    db = fresh.db;
    const deps = { db, config: repoConfig(), clock: () => FIXED_NOW, tmpDir: path.join(fresh.dir, 'tmp') };
    const first = await ingestPaths(deps, [INBOX_SMALL]);
    expect(
      first.map((r) => [path.basename(r.path), r.kind, r.rows_loaded, r.rows_rejected, r.encoding]),
    ).toEqual([
      ['access_log_2026-10.csv', 'access_log', 5, 0, 'utf-8'],
      ['catalog_changes_2026.csv', 'catalog_changes', 2, 0, 'utf-8'],
      ['catalog_snapshot_20260101.csv', 'catalog_snapshot', 3, 0, 'utf-8-bom'],
      ['change_events_2026.csv', 'change_events', 2, 0, 'utf-8'],
      ['data_sample_R002.csv', 'data_sample', 3, 0, 'utf-8'],
      ['departments.csv', 'departments', 3, 0, 'utf-8'],
      ['quality_checks_2026.csv', 'quality_checks', 2, 0, 'utf-8'],
      ['share_requests_2026q3.csv', 'share_requests', 4, 0, 'gb18030'],
      ['supply_batches_2026-01.csv', 'supply_batches', 4, 0, 'utf-8'],
      ['supply_exemptions_2026.csv', 'supply_exemptions', 1, 0, 'utf-8'],
      ['verification_requests_2026.csv', 'verification_requests', 2, 0, 'utf-8'],
      ['EXPECTED.md', null, 0, 0, null],
    ]);
    expect(first.map((r) => r.status)).toEqual([...Array<string>(11).fill('loaded'), 'ignored']);
    expect(first[11]!.reason).toContain('不是可导入的文件类型');
    const second = await ingestPaths(deps, [INBOX_SMALL]);
    expect(second.map((r) => r.status)).toEqual([...Array<string>(11).fill('duplicate'), 'ignored']);
    expect(second.every((r) => r.rows_loaded === 0)).toBe(true);
    const requests = await db.query(
      'select request_id, submitted_at, purpose from stg_share_requests order by request_id',
    );
    expect(requests).toEqual([
      { request_id: 'SQ1', submitted_at: '2026-09-28 10:12:00', purpose: '企业开办身份核验' },
      { request_id: 'SQ2', submitted_at: '2026-09-28 11:00:00', purpose: '社保待遇资格认证' },
      { request_id: 'SQ3', submitted_at: '2026-09-30 10:30:00', purpose: '治安管理' },
      { request_id: 'SQ4', submitted_at: '2026-08-03 09:00:00', purpose: '市场主体信用监管' },
    ]);
    const snapshot = await db.query(
      'select resource_code, share_type, mounted from stg_catalog_snapshot order by resource_code',
    );
    expect(snapshot).toEqual([
      { resource_code: 'R001', share_type: 'conditional', mounted: true },
      { resource_code: 'R002', share_type: 'unconditional', mounted: true },
      { resource_code: 'R003', share_type: 'conditional', mounted: false },
    ]);
  });
});
