// Collector-health gating on inbox-small: supply batches exist only for 2026-01-05..08, so every other
// working day is a platform data gap; missed windows on those days are shown as data gaps, not counted.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { recordReview } from '../../metrics/reviews.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig } from '../helpers.ts';
import { runTestRules } from './run-test-rules.ts';

let db: Db;
let runId: string;

beforeAll(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  const config = repoConfig();
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: path.join(fresh.dir, 'tmp') }, [
    INBOX_SMALL,
  ]);
  ({ runId } = await runTestRules(db, 'shaanxi-2017'));
});
afterAll(() => db.close());

describe('data gaps', () => {
  it('leaves missed windows on days without any platform batch out of the count, and keeps the real miss', async () => {
    const byStatus = await db.query(
      `select status, sum(subjects)::integer as n from evaluations where run_id = $run and rule_id = 'supply.update_cycle' group by status order by status`,
      { run: runId },
    );
    expect(byStatus).toEqual([
      { status: 'data_gap', n: 499 },
      { status: 'ok', n: 3 },
      { status: 'open', n: 5 },
    ]);
    const open = await db.query(
      `select subject_id from findings where run_id = $run and rule_id = 'supply.update_cycle' and status = 'open' order by subject_id`,
      { run: runId },
    );
    expect(open.map((r) => (r as { subject_id: string }).subject_id)).toEqual([
      'R001/2026-01-05',
      'R001/2026-01-06',
      'R001/2026-01-07',
      'R001/2026-01-08',
      'R002/2026-01-07',
    ]);
  });

  it('refuses a review decision on a data-gap finding, which does not count anyway', async () => {
    const [gap] = await db.query<{ finding_id: string }>(
      `select finding_id from findings where run_id = $run and status = 'data_gap' order by finding_id limit 1`,
      { run: runId },
    );
    await expect(
      recordReview(db, { findingId: gap!.finding_id, decision: 'confirm', actor: '李评估', at: FIXED_NOW }),
    ).rejects.toThrow(
      `问题 ${gap!.finding_id} 在运行 ${runId} 中依赖的平台记录缺失（数据缺失），不计入得分，无需评审；补齐后重新评估再评审。`,
    );
    expect(await db.query('select * from reviews')).toEqual([]);
  });

  it('names the gap days in the evidence of a gated finding', async () => {
    const [row] = await db.query<{ evidence: string }>(
      `select evidence::varchar as evidence from findings where run_id = $run and rule_id = 'supply.update_cycle' and subject_id = 'R003/2026-02'`,
      { run: runId },
    );
    const evidence = JSON.parse(row!.evidence) as {
      records: { data_gap: { sources: string[]; days: string[]; day_count: number } };
    };
    expect(evidence.records.data_gap.sources).toEqual(['supply_batches']);
    expect(evidence.records.data_gap.day_count).toBe(16); // 20 weekdays - 6 in the Spring Festival + make-up Saturdays 02-14 and 02-28
    expect(evidence.records.data_gap.days.slice(0, 3)).toEqual(['2026-02-02', '2026-02-03', '2026-02-04']);
  });

  it('scores the update-cycle rate from the counted windows only', async () => {
    const rows = await db.query(
      `select dept_code, units::integer as units, failed_units::integer as failed, score::varchar as score from indicator_scores
       where run_id = $run and indicator_id = 'supply_cycle_rate' order by dept_code`,
      { run: runId },
    );
    expect(rows).toEqual([
      { dept_code: 'D01', units: 4, failed: 4, score: '0.00' },
      { dept_code: 'D02', units: 4, failed: 1, score: '75.00' },
      { dept_code: 'D03', units: 0, failed: 0, score: null },
    ]);
  });
});
