// EXPECTED.md "For the rules of the scores issue" on supply.update_cycle (R002 is daily and batch B3 on 01-07
// failed; R003 is exempt for January) and on quality.error_corrected (VT1 confirmed 05-12, corrected 05-13).
// The sample holds batches for 01-05..01-08 only, so every other due window of the year is missed: the
// expected sets are computed from the working-day calendar rather than typed out.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import type { Profile } from '../../config/profile.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig } from '../helpers.ts';
import { runTestRules, testCalendar, testProfile } from './run-test-rules.ts';

const config = repoConfig();
const calendar = testCalendar;
const days2026 = calendar.rows().filter((r) => r.date.startsWith('2026-'));
const workdays = days2026.filter((r) => r.is_workday).map((r) => r.date);
const allDays = days2026.map((r) => r.date);
const W = workdays.length;
const MET = ['2026-01-05', '2026-01-06', '2026-01-08'];
let db: Db;

async function score(
  profileId: string,
  updateCycleParams?: Record<string, unknown>,
  adjust: (profile: Profile) => Profile = (p) => p,
): Promise<string> {
  const summary = await runTestRules(db, adjust(testProfile(profileId)), {
    params: updateCycleParams ? { 'supply.update_cycle': updateCycleParams } : {},
  });
  return summary.runId;
}

// a resource's passing windows are one row, '<resource>/*', counting them in `subjects`
async function evaluationsOf(runId: string, ruleId: string) {
  return db.query<{ dept_code: string; subject_id: string; status: string; subjects: number }>(
    `select dept_code, subject_id, status, subjects::integer as subjects from evaluations
     where run_id = $run and rule_id = $rule order by subject_id`,
    { run: runId, rule: ruleId },
  );
}

async function findingsOf(profileId: string, ruleId: string) {
  const { rows } = await latestRunFindings(db, profileId, '2026');
  return rows
    .filter((r) => r.rule_id === ruleId)
    .map((r) => ({ ...r, evidence: JSON.parse(r.evidence) as { records: Record<string, unknown> } }));
}

const ids = (rows: Array<{ subject_id: string }>) => rows.map((r) => r.subject_id);
// a missed window is not 'ok': 'open', or 'data_gap' on a day the platform delivered no batch at all
const missed = (rows: Array<{ subject_id: string; status: string }>) => rows.filter((r) => r.status !== 'ok');
const subjects = (rows: Array<{ subjects: number }>) => rows.reduce((n, r) => n + r.subjects, 0);

beforeAll(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: path.join(fresh.dir, 'tmp') }, [
    INBOX_SMALL,
  ]);
});
afterAll(() => db.close());

describe('inbox-small supply.update_cycle (EXPECTED.md)', () => {
  it('shaanxi-2017: R002 daily misses 01-07 (B3 failed) and every working day without a batch', async () => {
    const runId = await score('shaanxi-2017');
    const evaluations = await evaluationsOf(runId, 'supply.update_cycle');
    const of = (resource: string) => evaluations.filter((e) => e.subject_id.startsWith(`${resource}/`));
    expect(W).toBe(248);

    expect(of('R002').every((e) => e.dept_code === 'D02')).toBe(true);
    expect(of('R002').filter((e) => e.status === 'ok')).toEqual([
      { dept_code: 'D02', subject_id: 'R002/*', status: 'ok', subjects: MET.length },
    ]);
    expect(ids(missed(of('R002')))).toEqual(workdays.filter((d) => !MET.includes(d)).map((d) => `R002/${d}`));
    expect(subjects(of('R002'))).toBe(W);

    // R001 is daily too and has no batch at all
    expect(ids(missed(of('R001')))).toEqual(workdays.map((d) => `R001/${d}`));
    expect(of('R001').every((e) => e.dept_code === 'D01')).toBe(true);

    // R003 is monthly and exempt for January (报备): no window for 2026-01, every later month missed
    const months = Array.from({ length: 11 }, (_, i) => `R003/2026-${String(i + 2).padStart(2, '0')}`);
    expect(ids(of('R003'))).toEqual(months);
    expect(ids(missed(of('R003')))).toEqual(months);
    expect(subjects(evaluations)).toBe(W + W + 11);
    expect(missed(evaluations)).toHaveLength(W + W - 3 + 11);
    expect(evaluations).toHaveLength(W + W - 3 + 11 + 1);

    const findings = await findingsOf('shaanxi-2017', 'supply.update_cycle');
    expect(findings).toHaveLength(W + W - 3 + 11);
    const b3 = findings.find((f) => f.subject_id === 'R002/2026-01-07')!;
    expect([b3.status, b3.dept_code, b3.subject_type, b3.started_on, b3.observed_on, b3.severity]).toEqual([
      'open',
      'D02',
      'supply_window',
      '2026-01-07',
      '2026-01-07',
      'minor',
    ]);
    expect(b3.evidence.records).toEqual({
      resource_code: 'R002',
      cycle: 'daily',
      window: '2026-01-07',
      window_start: '2026-01-07',
      window_end: '2026-01-07',
      daily_days: 'working',
      snapshot_date: '2026-01-01',
      published_on: '2024-05-01',
      batch_count: 1,
      failed_batches: [{ delivered_at: '2026-01-07 02:00:00', batch_id: 'B3', status: 'failed' }],
      exemptions: [],
    });
    expect(b3.article).toBe('陕西省政务信息资源共享管理办法 第九条、第二十八条(二)');
    // R001 on the days the platform did deliver (R002's batches): missed by D01 itself
    expect(
      findings.filter((f) => f.subject_id.startsWith('R001/2026-01-0')).map((f) => [f.subject_id, f.status]),
    ).toEqual(
      workdays
        .filter((d) => d <= '2026-01-09')
        .map((d) => [`R001/${d}`, MET.includes(d) || d === '2026-01-07' ? 'open' : 'data_gap']),
    );
    const feb = findings.find((f) => f.subject_id === 'R003/2026-02')!;
    expect([feb.started_on, feb.observed_on, feb.severity, feb.evidence.records.exemptions]).toEqual([
      '2026-02-01',
      '2026-02-28',
      'major',
      [],
    ]);
  });

  it('with daily_days: calendar, every calendar day of the year is due for the daily resources', async () => {
    const runId = await score('shaanxi-2017', { daily_days: 'calendar' });
    const evaluations = await evaluationsOf(runId, 'supply.update_cycle');
    const r002 = evaluations.filter((e) => e.subject_id.startsWith('R002/'));
    expect(allDays.length).toBe(365);
    expect(ids(missed(r002))).toEqual(allDays.filter((d) => !MET.includes(d)).map((d) => `R002/${d}`));
    expect(r002.filter((e) => e.status === 'ok').map((e) => [e.subject_id, e.subjects])).toEqual([
      ['R002/*', MET.length],
    ]);
    expect(subjects(evaluations)).toBe(365 + 365 + 11);
    // batches were due every day, so a Saturday without any is a platform gap as a working day is
    const status = (id: string) => evaluations.find((e) => e.subject_id === id)!.status;
    expect(['R002/2026-01-07', 'R002/2026-01-09', 'R002/2026-01-10'].map(status)).toEqual([
      'open',
      'data_gap',
      'data_gap',
    ]);
  });

  it('keeps every passing window as its own row when update_cycle shares a rate indicator', async () => {
    // there a subject judged by both rules counts once, so each pass must be known by its id
    const shared = (p: Profile): Profile => ({
      ...p,
      scoring: {
        ...p.scoring,
        dimensions: p.scoring.dimensions.map((d) => ({
          ...d,
          indicators: d.indicators.map((x) =>
            x.id === 'supply_cycle_rate'
              ? { ...x, rules: [...x.rules, 'supply.rejection_basis' as const] }
              : x,
          ),
        })),
      },
    });
    const runId = await score('shaanxi-2017', undefined, shared);
    const evaluations = await evaluationsOf(runId, 'supply.update_cycle');
    expect(evaluations).toHaveLength(W + W + 11);
    expect(evaluations.every((e) => e.subjects === 1)).toBe(true);
    expect(ids(evaluations.filter((e) => e.status === 'ok'))).toEqual(MET.map((d) => `R002/${d}`));
  });

  it('zhongshan-draft (报备 exempts, 第十六条) gives the same windows', async () => {
    const runId = await score('zhongshan-draft');
    const evaluations = await evaluationsOf(runId, 'supply.update_cycle');
    expect(subjects(evaluations)).toBe(W + W + 11);
    expect(evaluations.some((e) => e.subject_id === 'R003/2026-01')).toBe(false);
    const findings = await findingsOf('zhongshan-draft', 'supply.update_cycle');
    expect(findings.find((f) => f.subject_id === 'R002/2026-01-07')!.article).toBe(
      '中山市政务信息资源共享管理办法(送审稿) 第十六条',
    );
  });
});

describe('inbox-small quality.error_corrected (EXPECTED.md)', () => {
  it.each(['shaanxi-2017', 'yingkou-2022'])(
    '%s: VT1, confirmed 05-12 and corrected 05-13, is evaluated and fine; VT2 found no error',
    async (profileId) => {
      const runId = await score(profileId);
      expect(await evaluationsOf(runId, 'quality.error_corrected')).toEqual([
        { dept_code: 'D02', subject_id: 'VT1', status: 'ok', subjects: 1 },
      ]);
      expect(await findingsOf(profileId, 'quality.error_corrected')).toEqual([]);
    },
  );
});
