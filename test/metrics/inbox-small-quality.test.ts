// EXPECTED.md "For the rules of the scores issue" on the quality rules, from the real inbox-small files:
// quality.conformance (the platform's QC1, and the system's own checks on data_sample_R002.csv) and
// quality.one_source, which has nothing to compare there (a single data sample, of one provider).
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import type { RunSummary } from '../../metrics/run-rules.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { ruleFindings, runTestRules } from './run-test-rules.ts';

const config = repoConfig();
let db: Db;
let sampleBatch: string;

async function run(profileId: string): Promise<RunSummary> {
  return runTestRules(db, profileId);
}

const findings = (profileId: string, ruleId: string) => ruleFindings(db, profileId, ruleId);

async function evaluations(runId: string, ruleId: string) {
  return db.query<{
    subject_id: string;
    dept_code: string;
    status: string;
    units: number;
    failed_units: number;
  }>(
    `select subject_id, dept_code, status, units, failed_units from evaluations
     where run_id = $run and rule_id = $rule order by subject_id`,
    { run: runId, rule: ruleId },
  );
}

beforeAll(async () => {
  ({ db } = await freshDb());
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [INBOX_SMALL]);
  const batches = await db.query<{ batch_id: string }>(
    `select batch_id from batches where file_name = 'data_sample_R002.csv' and status = 'loaded'`,
  );
  expect(batches).toHaveLength(1);
  sampleBatch = batches[0]!.batch_id;
});

describe.each(['shaanxi-2017', 'yingkou-2022'])('quality.conformance under %s', (profileId) => {
  let summary: RunSummary;
  beforeAll(async () => {
    summary = await run(profileId);
  });

  it("finds the platform's QC1 (7 of 1,210 rows failing 规范性) and the bad rows of data_sample_R002.csv", async () => {
    const found = await findings(profileId, 'quality.conformance');
    expect(found.map((f) => [f.subject_type, f.subject_id, f.dept_code, f.status, f.severity])).toEqual([
      ['quality_check', 'QC1', 'D02', 'open', 'minor'],
      ['data_sample', `R002/${sampleBatch}`, 'D02', 'open', 'major'],
    ]);
    expect(found[0]!.evidence.records).toMatchObject({
      check_id: 'QC1',
      resource_code: 'R002',
      dimension: 'normative',
      dimension_label: '规范性',
      rule: '统一社会信用代码校验',
      rows_checked: 1210,
      rows_failed: 7,
    });
    expect(found[1]!.evidence.records).toMatchObject({
      resource_code: 'R002',
      file_name: 'data_sample_R002.csv',
      sampled_on: null,
      rows_sampled: 3,
      rows_failed: 2,
      failures_total: 3,
      failures: [
        {
          line: 3,
          row_no: 2,
          item: '统一社会信用代码',
          value: '91110000600037341N',
          check: 'gb32100',
          reason: '统一社会信用代码校验位错误（应为 L）',
        },
        { line: 3, row_no: 2, item: '登记日期', value: '2018-02-30', check: 'date', reason: '日期不存在' },
        { line: 4, row_no: 3, item: '法定代表人', value: null, check: 'required', reason: '必填项为空' },
      ],
    });
  });

  it('shows which checks applied to which item: the catalog declares all four items, so all are required', async () => {
    const [, sample] = await findings(profileId, 'quality.conformance');
    expect(sample!.evidence.records.checks).toEqual([
      { item: '统一社会信用代码', checks: ['required', 'gb32100'] },
      { item: '企业名称', checks: ['required'] },
      { item: '法定代表人', checks: ['required'] },
      { item: '登记日期', checks: ['required', 'date'] },
    ]);
  });

  it('weighs QC2 (no failed rows) and the sample by their rows in the rate', async () => {
    expect(await evaluations(summary.runId, 'quality.conformance')).toEqual([
      { subject_id: 'QC1', dept_code: 'D02', status: 'open', units: 1210, failed_units: 7 },
      { subject_id: 'QC2', dept_code: 'D02', status: 'ok', units: 1210, failed_units: 0 },
      { subject_id: `R002/${sampleBatch}`, dept_code: 'D02', status: 'open', units: 3, failed_units: 2 },
    ]);
  });
});

// the tickets 校核按时答复率 counts: answered on time or not, not only the late ones (findings alone would not
// show a rule that dropped the tickets answered in time)
describe('quality.verification_response and its indicator on inbox-small', () => {
  const rate = (runId: string) =>
    db.query<{ dept_code: string; score: string | null }>(
      `select dept_code, cast(score as varchar) as score from indicator_scores
       where run_id = $run and indicator_id = 'quality_verification_rate' order by dept_code`,
      { run: runId },
    );

  it.each([
    ['yingkou-2022', '5 working days: VT1 late for D02, VT2 answered in time by D01', 'open', '0.00'],
    ['shaanxi-2017', '10 working days: both in time', 'ok', '100.00'],
  ])('under %s (%s)', async (profileId, _what, vt1, d02) => {
    const summary = await run(profileId);
    expect(await evaluations(summary.runId, 'quality.verification_response')).toEqual([
      { subject_id: 'VT1', dept_code: 'D02', status: vt1, units: 1, failed_units: vt1 === 'open' ? 1 : 0 },
      { subject_id: 'VT2', dept_code: 'D01', status: 'ok', units: 1, failed_units: 0 },
    ]);
    expect(await rate(summary.runId)).toEqual([
      { dept_code: 'D01', score: '100.00' },
      { dept_code: 'D02', score: d02 },
      { dept_code: 'D03', score: null },
    ]);
  });
});

describe('quality.one_source on inbox-small', () => {
  it('compares nothing under shaanxi-2017: the only data sample (R002) has no second provider to compare with', async () => {
    const summary = await run('shaanxi-2017');
    expect(summary.perRule.find((r) => r.rule_id === 'quality.one_source')).toMatchObject({
      findings: 0,
      evaluated: 0,
    });
    expect(summary.perRule.find((r) => r.rule_id === 'quality.conformance')).toMatchObject({
      findings: 2,
      evaluated: 3,
    });
    expect(await evaluations(summary.runId, 'quality.one_source')).toEqual([]);
  });

  it('is disabled under yingkou-2022, whose measures state no one-source duty', async () => {
    const summary = await run('yingkou-2022');
    expect(summary.disabled).toContain('quality.one_source');
    expect(await findings('yingkou-2022', 'quality.one_source')).toEqual([]);
  });
});
