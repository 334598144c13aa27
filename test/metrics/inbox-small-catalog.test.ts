// The catalog rules on shared/examples/inbox-small, as of 2026-12-31: what EXPECTED.md "For the rules of the
// scores issue" says (R003: no legal basis, no data mounted, no contact under yingkou-2022), under the
// profiles whose articles cover it, and what the same data yields beyond it (R001, quarterly reviews).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { monthPeriod, quarterPeriod, type Period } from '../../metrics/periods.ts';
import { yearPeriod } from '../../metrics/run-rules.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { runTestRules } from './run-test-rules.ts';

interface CatalogFinding {
  rule_id: string;
  dept_code: string;
  subject_type: string;
  subject_id: string;
  status: string;
  severity: string;
  article: string;
  records: Record<string, unknown>;
}

const config = repoConfig();
const EVERY_PROFILE = ['shaanxi-2017', 'guangdong-2018', 'yingkou-2022', 'liyang-2020', 'zhongshan-draft'];
let db: Db;
let snapshotBatch: string;
const runs = new Map<string, { findings: CatalogFinding[]; evaluated: string[] }>();

async function runProfile(profileId: string, period: Period): Promise<string> {
  const summary = await runTestRules(db, profileId, { period });
  return summary.runId;
}

/** Runs the profile for 2026 once and keeps its catalog findings (change_update aside) and evaluated subjects. */
async function run(profileId: string): Promise<{ findings: CatalogFinding[]; evaluated: string[] }> {
  const cached = runs.get(profileId);
  if (cached) return cached;
  const runId = await runProfile(profileId, yearPeriod(2026));
  const { rows } = await latestRunFindings(db, profileId, '2026');
  const findings = rows
    .filter((r) => r.rule_id.startsWith('catalog.') && r.rule_id !== 'catalog.change_update')
    .map((r) => ({
      rule_id: r.rule_id,
      dept_code: r.dept_code,
      subject_type: r.subject_type,
      subject_id: r.subject_id,
      status: r.status,
      severity: r.severity,
      article: r.article,
      records: (JSON.parse(r.evidence) as { records: Record<string, unknown> }).records,
    }));
  const evaluations = await db.query<{ rule_id: string; subject_id: string; status: string }>(
    `select rule_id, subject_id, status from evaluations
     where run_id = $run and rule_id like 'catalog.%' and rule_id <> 'catalog.change_update'
     order by rule_id, subject_id`,
    { run: runId },
  );
  const result = { findings, evaluated: evaluations.map((e) => `${e.rule_id} ${e.subject_id} ${e.status}`) };
  runs.set(profileId, result);
  return result;
}

/** The quarterly_review subjects a shaanxi-2017 run over another period evaluates. */
async function reviewSubjects(period: Period): Promise<string[]> {
  const runId = await runProfile('shaanxi-2017', period);
  const rows = await db.query<{ subject_id: string }>(
    `select subject_id from evaluations where run_id = $run and rule_id = 'catalog.quarterly_review'
     order by subject_id`,
    { run: runId },
  );
  return rows.map((r) => r.subject_id);
}

const brief = (f: CatalogFinding) => [f.rule_id, f.subject_id, f.dept_code, f.severity];

beforeAll(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [INBOX_SMALL]);
  const batches = await db.query<{ batch_id: string }>(
    `select batch_id from batches where file_name = 'catalog_snapshot_20260101.csv'`,
  );
  snapshotBatch = batches[0]!.batch_id;
});

afterAll(() => db?.close());

describe('catalog rules on inbox-small (EXPECTED.md, scores issue)', () => {
  it('guangdong-2018 (第十八条 covers 有条件共享): R003 is conditional and cites no legal basis', async () => {
    const { findings, evaluated } = await run('guangdong-2018');
    const r003 = findings.find((f) => f.rule_id === 'catalog.restricted_basis');
    expect(r003).toEqual({
      rule_id: 'catalog.restricted_basis',
      dept_code: 'D03',
      subject_type: 'catalog_entry',
      subject_id: 'R003',
      status: 'open',
      severity: 'major',
      article: '广东省政务数据资源共享管理办法(试行) 第十八条',
      records: {
        resource_code: 'R003',
        resource_name: '社保参保信息',
        provider_dept: 'D03',
        snapshot_date: '2026-01-01',
        share_type: 'conditional',
        legal_basis: null,
        share_condition: '用于待遇核验',
        missing: ['legal_basis'],
        batch_id: snapshotBatch,
      },
    });
    // R001 is conditional too but cites 《居民身份证法》 and states its condition; R002 is unconditional
    expect(evaluated.filter((e) => e.startsWith('catalog.restricted_basis'))).toEqual([
      'catalog.restricted_basis R001 ok',
      'catalog.restricted_basis R003 open',
    ]);
  });

  it('shaanxi-2017, yingkou-2022 and liyang-2020 do not judge R003 for its basis: their articles cover only 不予共享', async () => {
    // not evaluated at all (no row), since none of the three entries is 不予共享
    for (const profile of ['shaanxi-2017', 'yingkou-2022', 'liyang-2020']) {
      const { evaluated } = await run(profile);
      expect(evaluated.filter((e) => e.startsWith('catalog.restricted_basis'))).toEqual([]);
    }
  });

  it('R003 has no data mounted, under every profile; R001 and R002 have', async () => {
    for (const profile of EVERY_PROFILE) {
      const { findings, evaluated } = await run(profile);
      const mounted = findings.filter((f) => f.rule_id === 'catalog.mounted');
      expect(mounted.map(brief)).toEqual([['catalog.mounted', 'R003', 'D03', 'major']]);
      expect(mounted[0]!.records).toEqual({
        resource_code: 'R003',
        resource_name: '社保参保信息',
        provider_dept: 'D03',
        snapshot_date: '2026-01-01',
        published_on: '2025-02-01',
        mounted: false,
        mounted_known: true,
        batch_id: snapshotBatch,
      });
      expect(evaluated.filter((e) => e.startsWith('catalog.mounted'))).toEqual([
        'catalog.mounted R001 ok',
        'catalog.mounted R002 ok',
        'catalog.mounted R003 open',
      ]);
    }
  });

  it('yingkou-2022 (第十四条 asks for a 联络人): R003 has no contact, and nothing else is missing', async () => {
    const { findings, evaluated } = await run('yingkou-2022');
    const metadata = findings.filter((f) => f.rule_id === 'catalog.metadata_complete');
    expect(metadata.map(brief)).toEqual([['catalog.metadata_complete', 'R003', 'D03', 'minor']]);
    expect(metadata[0]!.records).toEqual({
      resource_code: 'R003',
      resource_name: '社保参保信息',
      provider_dept: 'D03',
      snapshot_date: '2026-01-01',
      missing: ['contact'],
      batch_id: snapshotBatch,
      values_as_exported: {
        format: '表格',
        data_items: ['公民身份号码', '姓名', '参保状态'],
        share_method: 'file',
        share_condition: '用于待遇核验',
        usage_requirements: null,
        contact: null,
      },
    });
    expect(evaluated.filter((e) => e.startsWith('catalog.metadata_complete'))).toEqual([
      'catalog.metadata_complete R001 ok',
      'catalog.metadata_complete R002 ok',
      'catalog.metadata_complete R003 open',
    ]);
  });
});

describe('catalog rules on inbox-small, beyond what EXPECTED.md lists', () => {
  it('shaanxi-2017 (the 编制指南 has no 使用要求) finds no metadata gap; guangdong-2018 (第八条 使用要求) finds R002 and R003', async () => {
    const shaanxi = await run('shaanxi-2017');
    expect(shaanxi.findings.filter((f) => f.rule_id === 'catalog.metadata_complete')).toEqual([]);
    const guangdong = await run('guangdong-2018');
    const metadata = guangdong.findings.filter((f) => f.rule_id === 'catalog.metadata_complete');
    expect(metadata.map((f) => [f.subject_id, f.records.missing])).toEqual([
      ['R002', ['usage_requirements']],
      ['R003', ['usage_requirements']],
    ]);
  });

  it('R001 (人口 base data) is conditional: a base_unconditional finding under every profile', async () => {
    for (const profile of EVERY_PROFILE) {
      const { findings, evaluated } = await run(profile);
      const base = findings.filter((f) => f.rule_id === 'catalog.base_unconditional');
      expect(base.map(brief)).toEqual([['catalog.base_unconditional', 'R001', 'D01', 'major']]);
      expect(base[0]!.records).toMatchObject({
        category: 'base',
        base_kind: 'population',
        share_type: 'conditional',
        legal_basis: '《居民身份证法》',
      });
      // R003 is a theme entry without a base kind: not base data
      expect(evaluated.filter((e) => e.startsWith('catalog.base_unconditional'))).toEqual([
        'catalog.base_unconditional R001 open',
        'catalog.base_unconditional R002 ok',
      ]);
    }
  });

  it('no department did a full review (CH1, CH2 are modifications): every department x quarter under shaanxi-2017 and yingkou-2022', async () => {
    const quarters = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
    const expected = ['D01', 'D02', 'D03'].flatMap((d) => quarters.map((q) => `${d}/${q}`));
    for (const profile of ['shaanxi-2017', 'yingkou-2022']) {
      const { findings } = await run(profile);
      const reviews = findings.filter((f) => f.rule_id === 'catalog.quarterly_review');
      expect(reviews.map((f) => f.subject_id)).toEqual(expected);
      expect(reviews.every((f) => f.subject_type === 'department_quarter' && f.severity === 'minor')).toBe(
        true,
      );
    }
    const d03q4 = (await run('shaanxi-2017')).findings.find((f) => f.subject_id === 'D03/2026-Q4')!;
    expect(d03q4.records).toEqual({
      dept_code: 'D03',
      quarter: '2026-Q4',
      quarter_start: '2026-10-01',
      quarter_end: '2026-12-31',
      full_review_change_ids: [],
      entries_in_force: 1,
      resources_in_force: ['R003'],
      catalog_changes_loaded: true,
      catalog_changes_from: '2026-03-10',
      catalog_changes_to: '2026-10-21',
    });
    expect((await run('guangdong-2018')).evaluated.filter((e) => e.includes('quarterly_review'))).toEqual([]);
  });

  it('judges a quarter in the period its end falls in: a quarter period has one, its last month too, other months none', async () => {
    const q3 = ['D01/2026-Q3', 'D02/2026-Q3', 'D03/2026-Q3'];
    expect(await reviewSubjects(quarterPeriod(2026, 3))).toEqual(q3);
    expect(await reviewSubjects(monthPeriod(2026, 9))).toEqual(q3);
    expect(await reviewSubjects(monthPeriod(2026, 8))).toEqual([]);
  });
});
