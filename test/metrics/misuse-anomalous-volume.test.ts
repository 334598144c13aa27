// misuse.anomalous_volume's baseline, with generated access logs (20+ days of reads per consumer are too
// long for a case file): the 90-day window reaches into the previous year and ends the day before, idle
// days are not zeros, too short a baseline or too small a day is never judged, a MAD of 0 gives way to the
// mean absolute deviation, a flat baseline has a floor on its spread, and the params validate.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { ConfigError } from '../../config/errors.ts';
import { loadProfile, type Profile } from '../../config/profile.ts';
import { loadRuleDefinitions } from '../../metrics/rule-registry.ts';
import { ruleParams } from '../../metrics/run-rules.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, freshDb, repoConfig } from '../helpers.ts';
import { runTestRules } from './run-test-rules.ts';

const RULE = 'misuse.anomalous_volume';
const config = repoConfig();
const shaanxi = loadProfile(config.profilesDir, 'shaanxi-2017');
let db: Db;

const rows: string[] = ['event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records'];
function read(dept: string, day: string, records: number | null, time = '10:00:00', op = 'query'): void {
  rows.push(`E${rows.length},${day} ${time},${dept},u1,R001,D09,${op},${records ?? ''}`);
}
const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** 7 x low, 7 x mid, 6 x high: median = mid, MAD = mid - low. */
const BASE = [...Array<number>(7).fill(0), ...Array<number>(7).fill(1), ...Array<number>(6).fill(2)];
function baseline(dept: string, days: string[], low: number, step: number): void {
  days.forEach((day, i) => read(dept, day, low + step * BASE[i]!));
}
const run = (from: string, n: number): string[] => Array.from({ length: n }, (_, i) => addDays(from, i));

// D01: baseline in December 2025, spike on 2026-01-05 just above 1000 + 6 x 1.4826 x 100 = 1889.56
baseline('D01', run('2025-12-01', 20), 900, 100);
read('D01', '2026-01-05', 1890);
// D02: the same with only 19 baseline days: not judged
baseline('D02', run('2025-12-01', 19), 900, 100);
read('D02', '2026-01-05', 50_000);
// D03 / D04: small consumer (median 20, MAD 10): 999 is below min_records, 1000 is not
baseline('D03', run('2026-02-01', 20), 10, 10);
read('D03', '2026-02-25', 999);
baseline('D04', run('2026-02-01', 20), 10, 10);
read('D04', '2026-02-25', 1000);
// D05 / D06: 20 sparse baseline days; the earliest is 91 (D05, outside) or 90 (D06, inside) days before
baseline('D05', ['2025-12-30', ...run('2026-01-05', 19)], 900, 100);
read('D05', '2026-03-31', 50_000);
baseline('D06', ['2025-12-31', ...run('2026-01-05', 19)], 900, 100);
read('D06', '2026-03-31', 50_000);
// D09 is R001's provider: its own spike and Sunday bulk download are not use of shared data, never judged
baseline('D09', run('2025-12-01', 20), 900, 100);
read('D09', '2026-01-05', 50_000);
read('D09', '2026-04-12', 20_000, '11:00:00', 'download');
// D08 / D10: a baseline of 1000 on 11 days and 50000 on 10 has MAD 0; the spread is then 1.253314 x the mean
// absolute deviation (490000 / 21), so 50000 again is not far above it (D08) and 200000 is (D10)
const bimodal = (dept: string, spike: number) => {
  run('2026-02-01', 21).forEach((day, i) => read(dept, day, i < 11 ? 1000 : 50_000));
  read(dept, '2026-02-25', spike);
};
bimodal('D08', 50_000);
bimodal('D10', 200_000);
// D11 / D12: a flat baseline (1000 every day: MAD and mean deviation 0) has a spread of 10% of the median, so
// 1001 is not far above it (D11) and 1601 is (D12: 1000 + 6 x 100 = 1600)
const flat = (dept: string, spike: number) => {
  run('2026-05-01', 20).forEach((day) => read(dept, day, 1000));
  read(dept, '2026-05-25', spike);
};
flat('D11', 1001);
flat('D12', 1601);
// D07: reads without a record count weigh 1 each; a Sunday bulk download makes the month a finding
read('D07', '2026-04-01', null);
read('D07', '2026-04-02', null);
read('D07', '2026-04-12', 20_000, '11:00:00', 'download');

async function score(profile: Profile) {
  await runTestRules(db, profile);
  const { rows: found } = await latestRunFindings(db, profile.id, '2026');
  return found
    .filter((f) => f.rule_id === RULE)
    .map((f) => ({
      ...f,
      records: (JSON.parse(f.evidence) as { records: Record<string, unknown> }).records,
    }));
}

function withParams(params: Record<string, unknown>): Profile {
  const rules = new Map(shaanxi.rules);
  rules.set(RULE, { ...shaanxi.rules.get(RULE)!, params });
  return { ...shaanxi, rules };
}

beforeAll(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  const inbox = path.join(fresh.dir, 'inbox');
  mkdirSync(inbox);
  writeFileSync(path.join(inbox, 'access_log_generated.csv'), rows.join('\n') + '\n');
  const loaded = await ingestPaths(
    { db, config, clock: () => FIXED_NOW, tmpDir: path.join(fresh.dir, 'tmp') },
    [inbox],
  );
  expect(loaded.map((r) => [r.rows_loaded, r.rows_rejected])).toEqual([[rows.length - 1, 0]]);
});
afterAll(() => db.close());

describe('misuse.anomalous_volume baseline', () => {
  it('judges days against median and MAD of the days with reads among the 90 before', async () => {
    const found = await score(shaanxi);
    expect(found.map((f) => [f.subject_id, f.status, f.started_on, f.observed_on])).toEqual([
      ['D01/R001/2026-01', 'needs_review', '2026-01-05', '2026-01-05'],
      ['D04/R001/2026-02', 'needs_review', '2026-02-25', '2026-02-25'],
      ['D06/R001/2026-03', 'needs_review', '2026-03-31', '2026-03-31'],
      ['D07/R001/2026-04', 'needs_review', '2026-04-12', '2026-04-12'],
      ['D10/R001/2026-02', 'needs_review', '2026-02-25', '2026-02-25'],
      ['D12/R001/2026-05', 'needs_review', '2026-05-25', '2026-05-25'],
    ]);
    const days = Object.fromEntries(found.map((f) => [f.dept_code, f.records.anomalous_days]));
    expect(days).toEqual({
      D01: [
        {
          date: '2026-01-05',
          volume: 1890,
          baseline_median: 1000,
          baseline_mad: 100,
          baseline_mean_ad: null,
          baseline_days: 20,
          threshold: 1889.56,
        },
      ],
      D04: [
        {
          date: '2026-02-25',
          volume: 1000,
          baseline_median: 20,
          baseline_mad: 10,
          baseline_mean_ad: null,
          baseline_days: 20,
          threshold: 108.96,
        },
      ],
      D06: [
        {
          date: '2026-03-31',
          volume: 50000,
          baseline_median: 1000,
          baseline_mad: 100,
          baseline_mean_ad: null,
          baseline_days: 20,
          threshold: 1889.56,
        },
      ],
      D07: [],
      // 1000 + 6 x 1.253314 x 23333.33 = 176463.96
      D10: [
        {
          date: '2026-02-25',
          volume: 200000,
          baseline_median: 1000,
          baseline_mad: 0,
          baseline_mean_ad: 23333.33,
          baseline_days: 21,
          threshold: 176463.96,
        },
      ],
      D12: [
        {
          date: '2026-05-25',
          volume: 1601,
          baseline_median: 1000,
          baseline_mad: 0,
          baseline_mean_ad: 0,
          baseline_days: 20,
          threshold: 1600,
        },
      ],
    });
    expect(found.find((f) => f.dept_code === 'D12')!.records.min_spread_ratio).toBe(0.1);
    // how each threshold was reached: the baseline's 90 days, and the spread (1.4826 x MAD 100 = 148.26;
    // 1.253314 x 23333.33; D12's flat baseline at the floor, 0.1 x median 1000)
    const baselines = Object.fromEntries(
      found.map((f) => [f.dept_code, f.records.anomalous_day_baselines as unknown[]]),
    );
    expect([baselines.D01, baselines.D10, baselines.D12, baselines.D07]).toEqual([
      [
        {
          date: '2026-01-05',
          baseline_from: '2025-10-07',
          baseline_to: '2026-01-04',
          spread: 148.26,
          spread_from: 'mad',
          spread_at_floor: false,
        },
      ],
      [
        {
          date: '2026-02-25',
          baseline_from: '2025-11-27',
          baseline_to: '2026-02-24',
          spread: 29243.99,
          spread_from: 'mean_absolute_deviation',
          spread_at_floor: false,
        },
      ],
      [
        {
          date: '2026-05-25',
          baseline_from: '2026-02-24',
          baseline_to: '2026-05-24',
          spread: 100,
          spread_from: 'mean_absolute_deviation',
          spread_at_floor: true,
        },
      ],
      [],
    ]);
    const d07 = found.find((f) => f.dept_code === 'D07')!.records;
    expect([d07.reads_in_month, d07.records_in_month]).toEqual([3, 20_002]);
    expect(d07.off_hours_bulk_downloads).toEqual([
      {
        event_id: `E${rows.length - 1}`,
        ts: '2026-04-12 11:00:00',
        user_id: 'u1',
        records: 20000,
        day_kind: 'weekend',
      },
    ]);
  });

  it('evaluates every consumer month with reads in the period, and none of the baseline months before it', async () => {
    // its own run: not whichever test scored last
    const { runId } = await runTestRules(db, shaanxi);
    const evaluated = await db.query<{ subject_id: string; status: string; subjects: number }>(
      `select subject_id, status, subjects::integer as subjects from evaluations
       where run_id = $run and rule_id = $rule order by subject_id`,
      { run: runId, rule: RULE },
    );
    // a consumer's passing months on a resource are one row counting them: D02 2026-01 (not its December
    // baseline), D03 2026-02, D05 2026-01 and 2026-03, D06 2026-01, D08 2026-02; nothing of D09, the provider
    // itself
    expect(evaluated.filter((e) => e.status === 'ok').map((e) => [e.subject_id, e.subjects])).toEqual([
      ['D02/R001/*', 1],
      ['D03/R001/*', 1],
      ['D05/R001/*', 2],
      ['D06/R001/*', 1],
      ['D08/R001/*', 1],
      ['D11/R001/*', 1],
    ]);
  });

  it('takes the threshold and the bulk size from the profile params', async () => {
    const found = await score(withParams({ threshold: 7, bulk_records: 20_001, min_records: 1001 }));
    expect(found.map((f) => f.subject_id)).toEqual(['D06/R001/2026-03']);
  });

  it('rejects unknown params and working hours that end before they start', async () => {
    const def = (await loadRuleDefinitions()).get(RULE)!;
    const check = (params: Record<string, unknown>) => () =>
      ruleParams(def, withParams(params).rules.get(RULE)!, shaanxi);
    const issues = (params: Record<string, unknown>) => {
      try {
        check(params)();
      } catch (error) {
        if (error instanceof ConfigError) return error.issues;
        throw error;
      }
      return [];
    };
    // in Chinese, at the rule's line in the profile (these params are not in its text)
    const at = 'rules.misuse.anomalous_volume.params';
    const line = '（第 72 行第 5 列）';
    expect(issues({ treshold: 5 })).toEqual([
      `${at}.treshold${line}：未知的键（此处可用：threshold, min_spread_ratio, min_baseline_days, min_records, ` +
        'bulk_records, work_start, work_end）',
    ]);
    expect(issues({ threshold: '6' })).toEqual([`${at}.threshold${line}：应为数字（收到："6"）`]);
    expect(issues({ work_start: '18:00', work_end: '08:30' })).toEqual([
      `${at}.work_end${line}：work_end 应晚于 work_start`,
    ]);
    // a malformed start alone: not also "work_end 应晚于 work_start"
    expect(issues({ work_start: '8:30' })).toEqual([`${at}.work_start${line}：应为形如 08:30 的本地时间`]);
  });
});
