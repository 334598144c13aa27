// EXPECTED.md "For the rules of the scores issue" on the misuse rules of inbox-small: AC3, a 52,000-record
// download at 22:47, needs review under misuse.anomalous_volume; R003 shares only join keys with the base
// resource R001, so misuse.duplicate_collection evaluates it and finds nothing (Shaanxi disables the rule).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig } from '../helpers.ts';
import { ruleFindings, runTestRules } from './run-test-rules.ts';

const config = repoConfig();
let db: Db;

async function score(profileId: string, params?: Record<string, unknown>): Promise<string> {
  const summary = await runTestRules(db, profileId, {
    params: params ? { 'misuse.duplicate_collection': params } : {},
  });
  return summary.runId;
}

const findingsOf = (profileId: string, ruleId: string) => ruleFindings(db, profileId, ruleId);

// a consumer's passing months on a resource are one row, '<consumer>/<resource>/*', counting them
async function evaluationsOf(runId: string, ruleId: string) {
  return db.query(
    `select dept_code, subject_id, status, subjects::integer as subjects from evaluations
     where run_id = $run and rule_id = $rule order by subject_id`,
    { run: runId, rule: ruleId },
  );
}

beforeAll(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: path.join(fresh.dir, 'tmp') }, [
    INBOX_SMALL,
  ]);
});
afterAll(() => db.close());

describe('inbox-small misuse rules (EXPECTED.md)', () => {
  it('shaanxi-2017: AC3, a 52,000-record download at 22:47, needs review; the other reads are ok', async () => {
    const runId = await score('shaanxi-2017');
    const findings = await findingsOf('shaanxi-2017', 'misuse.anomalous_volume');
    expect(
      findings.map((f) => [f.subject_type, f.subject_id, f.dept_code, f.status, f.started_on, f.observed_on]),
    ).toEqual([['access_month', 'D01/R003/2026-10', 'D01', 'needs_review', '2026-10-21', '2026-10-21']]);
    const records = findings[0]!.evidence.records;
    expect(records.off_hours_bulk_downloads).toEqual([
      { event_id: 'AC3', ts: '2026-10-21 22:47:13', user_id: 'u011', records: 52000, day_kind: 'workday' },
    ]);
    expect(records.anomalous_days).toEqual([]);
    expect([records.provider_dept, records.records_in_month, records.working_hours]).toEqual([
      'D03',
      52000,
      '08:30-18:00',
    ]);
    expect(findings[0]!.article).toBe('陕西省政务信息资源共享管理办法 第十七条');
    expect(await evaluationsOf(runId, 'misuse.anomalous_volume')).toEqual([
      { dept_code: 'D01', subject_id: 'D01/R002/*', status: 'ok', subjects: 1 },
      { dept_code: 'D01', subject_id: 'D01/R003/2026-10', status: 'needs_review', subjects: 1 },
      { dept_code: 'D02', subject_id: 'D02/R001/*', status: 'ok', subjects: 1 },
      { dept_code: 'D03', subject_id: 'D03/R001/*', status: 'ok', subjects: 1 },
    ]);
    expect(await evaluationsOf(runId, 'misuse.duplicate_collection')).toEqual([]);
  });

  it('yingkou-2022: R003 repeats only the join keys of base R001, so it is evaluated and not a finding', async () => {
    const runId = await score('yingkou-2022');
    expect(await findingsOf('yingkou-2022', 'misuse.duplicate_collection')).toEqual([]);
    expect(await evaluationsOf(runId, 'misuse.duplicate_collection')).toEqual([
      { dept_code: 'D03', subject_id: 'R003', status: 'ok', subjects: 1 },
    ]);
    const anomalous = await findingsOf('yingkou-2022', 'misuse.anomalous_volume');
    expect(anomalous.map((f) => [f.subject_id, f.status])).toEqual([['D01/R003/2026-10', 'needs_review']]);
  });

  it('yingkou-2022 with no key items: R003 then duplicates 公民身份号码 and 姓名 of base R001', async () => {
    await score('yingkou-2022', { ignore_items: [] });
    const findings = await findingsOf('yingkou-2022', 'misuse.duplicate_collection');
    expect(findings.map((f) => [f.subject_id, f.dept_code, f.status, f.severity])).toEqual([
      ['R003', 'D03', 'open', 'minor'],
    ]);
    expect(findings[0]!.evidence.records.duplicated_items).toEqual(
      ['公民身份号码', '姓名'].map((item) => ({
        item,
        provided_by: [{ resource_code: 'R001', resource_name: '人口基本信息', provider_dept: 'D01', item }],
      })),
    );
    expect(findings[0]!.article).toBe('营口市政务数据资源共享开放管理办法 第二十五条');
  });
});
