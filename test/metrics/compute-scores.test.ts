// Scores from hand-computed cases: the SQL aggregation of evaluations (counting after review, one subject
// per indicator) and the integer arithmetic of indicators, dimensions, totals, grades, veto and ranks.
import { afterEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../config/profile.ts';
import { RULE_IDS, type RuleId } from '../../config/rule-ids.ts';
import { computeScores, formatScore, roundHalfUp } from '../../metrics/compute-scores.ts';
import { scoreRun } from '../../metrics/score-departments.ts';
import type { Db } from '../../store/db.ts';
import { freshDb, repoConfig } from '../helpers.ts';

const config = repoConfig();
const profile = loadProfile(config.profilesDir, 'liyang-2020');
const method = profile.scoring;
let db: Db | undefined;
afterEach(() => db?.close());

interface Evaluation {
  run_id: string;
  rule_id: string;
  dept_code: string;
  subject_id: string;
  status: string;
  units: number;
  failed_units: number;
  finding_id: string | null;
  /** the passes of a group as one row: how many */
  subjects?: number;
}

async function insertEvaluations(target: Db, evaluations: Evaluation[]): Promise<void> {
  // a finding row for each evaluation with a finding id: decisions apply to the run's findings
  for (const e of evaluations.filter((x) => x.finding_id !== null))
    await target.run(
      `insert into findings (finding_id, run_id, rule_id, dimension, dept_code, subject_type, subject_id, article,
         profile, profile_version, period, severity, status, evidence)
       values ($finding_id, $run_id, $rule_id, 'test', $dept_code, 'test', $subject_id, 'test', 'test', 'test',
         '2026', 'major', $status, '{}')`,
      {
        finding_id: e.finding_id,
        run_id: e.run_id,
        rule_id: e.rule_id,
        dept_code: e.dept_code,
        subject_id: e.subject_id,
        status: e.status,
      },
    );
  for (const e of evaluations)
    await target.run(
      `insert into evaluations (run_id, rule_id, dept_code, subject_id, status, units, failed_units, finding_id, subjects)
       values ($run_id, $rule_id, $dept_code, $subject_id, $status, $units, $failed_units, $finding_id, $subjects)`,
      { subjects: 1, ...e },
    );
}

let n = 0;
function ev(dept: string, rule: RuleId, status: string, extra: Partial<Evaluation> = {}): Evaluation {
  n += 1;
  return {
    run_id: 'M-test',
    rule_id: rule,
    dept_code: dept,
    subject_id: `S${n}`,
    status,
    units: 1,
    failed_units: status === 'ok' ? 0 : 1,
    finding_id: status === 'ok' ? null : `F${n}`,
    ...extra,
  };
}

async function scoresOf(
  evaluations: Evaluation[],
  reviews: Array<[string | null, string]> = [],
  departments: string[] = [],
) {
  const fresh = await freshDb();
  db = fresh.db;
  await insertEvaluations(db, evaluations);
  for (const [i, [finding, decision]] of reviews.entries()) {
    await db.run(
      `insert into reviews (seq, finding_id, decision, reason, actor, "at")
       values ($seq, $f, $d, 'test', 'tester', timestamp '2026-11-21 10:00:00')`,
      { seq: i + 1, f: finding, d: decision },
    );
  }
  for (const d of departments)
    await db.run(
      `insert into raw_departments (dept_code, dept_name, _batch_id, _seq) values ($d, $d, 'b', 1)`,
      { d },
    );
  return scoreRun(db, profile, 'M-test', reviews.length);
}

describe('exact scores in hundredths of a point', () => {
  it('rounds half up', () => {
    expect([
      roundHalfUp(1n, 2n),
      roundHalfUp(10000n, 3n),
      roundHalfUp(20000n, 3n),
      roundHalfUp(316650n, 65n),
    ]).toEqual([1n, 3333n, 6667n, 4872n]);
    expect([formatScore(7682), formatScore(5), formatScore(10000), formatScore(null)]).toEqual([
      '76.82',
      '0.05',
      '100.00',
      null,
    ]);
  });

  it('scores rates and deductions, rescales weights over what is applicable, and leaves a department with nothing unscored', async () => {
    const [a, b] = await scoresOf(
      [
        ev('A', 'supply.request_response', 'ok'),
        ev('A', 'supply.request_response', 'open'),
        ev('A', 'supply.request_unanswered', 'open'),
        ev('A', 'supply.rejection_basis', 'ok'),
        ev('A', 'catalog.change_update', 'ok'),
        ev('A', 'misuse.unapproved_access', 'ok'),
        ev('A', 'misuse.unapproved_access', 'open'),
        ev('A', 'quality.verification_response', 'pending_calendar'),
      ],
      [],
      ['A', 'B'],
    );
    const indicator = (id: string) => a!.indicators.find((i) => i.indicator_id === id)!;
    expect([
      indicator('supply_response_rate').units,
      indicator('supply_response_rate').failed_units,
      indicator('supply_response_rate').score,
    ]).toEqual([3, 2, 3333]);
    expect(indicator('supply_cycle_rate').score).toBeNull();
    expect(indicator('quality_verification_rate').score).toBeNull();
    expect([indicator('misuse_deduction').deducted_points, indicator('misuse_deduction').score]).toEqual([
      10, 9000,
    ]);
    // supply: (3333 x 50 + 10000 x 15) / 65 = 4871.54 -> 48.72; total: (10000 x 25 + 4872 x 30 + 9000 x 20) / 75
    expect(a!.dimensions).toEqual({ catalog: 10000, supply: 4872, quality: null, misuse: 9000 });
    expect([a!.total, a!.grade, a!.rank, a!.veto]).toEqual([7682, '合格', 1, false]);
    expect([b!.dept_code, b!.total, b!.grade, b!.rank, b!.dimensions.catalog]).toEqual([
      'B',
      null,
      null,
      null,
      null,
    ]);
  });

  it('counts a row of grouped passes as its subjects, in rates and in deductions', async () => {
    const grouped = await scoresOf([
      ev('A', 'supply.update_cycle', 'ok', { subject_id: 'R1/*', units: 3, subjects: 3 }),
      ev('A', 'supply.update_cycle', 'open', { subject_id: 'R1/2026-01-07' }),
      ev('A', 'misuse.unapproved_access', 'ok', { subject_id: 'A/R9/*', subjects: 2 }),
      ev('A', 'misuse.unapproved_access', 'open', { subject_id: 'A/R9/2026-03' }),
    ]);
    db!.close(); // scoresOf opens a fresh database each time
    const single = await scoresOf([
      ...['01-05', '01-06', '01-08'].map((d) =>
        ev('A', 'supply.update_cycle', 'ok', { subject_id: `R1/2026-${d}` }),
      ),
      ev('A', 'supply.update_cycle', 'open', { subject_id: 'R1/2026-01-07' }),
      ev('A', 'misuse.unapproved_access', 'ok', { subject_id: 'A/R9/2026-01' }),
      ev('A', 'misuse.unapproved_access', 'ok', { subject_id: 'A/R9/2026-02' }),
      ev('A', 'misuse.unapproved_access', 'open', { subject_id: 'A/R9/2026-03' }),
    ]);
    const view = (s: (typeof grouped)[number]) =>
      s.indicators.map((i) => [i.indicator_id, i.units, i.failed_units, i.deducted_points, i.score]);
    expect(view(grouped[0]!).filter(([, units]) => units !== 0)).toEqual([
      ['supply_cycle_rate', 4, 1, 0, 7500],
      ['misuse_deduction', 3, 1, 10, 9000],
    ]);
    expect(view(grouped[0]!)).toEqual(view(single[0]!));
    expect(grouped[0]!.total).toBe(single[0]!.total);
  });

  it('judges one subject once when several rules of an indicator see it, and weighs rows for conformance', async () => {
    const [a] = await scoresOf([
      ev('A', 'catalog.metadata_complete', 'open', { subject_id: 'R1' }),
      ev('A', 'catalog.restricted_basis', 'open', { subject_id: 'R1' }),
      ev('A', 'catalog.metadata_complete', 'ok', { subject_id: 'R2' }),
      ev('A', 'quality.conformance', 'open', { units: 1210, failed_units: 7 }),
    ]);
    const score = (id: string) => a!.indicators.find((i) => i.indicator_id === id)!.score;
    expect(score('catalog_entry_rate')).toBe(5000);
    expect(score('quality_conformance_rate')).toBe(9942); // 1203 / 1210 = 99.4215 -> 99.42
  });

  it('counts after review: dismissed passes, exempted is left out, needs-review counts once confirmed, a confirmed veto caps the grade', async () => {
    const evals = [
      ev('A', 'supply.request_response', 'open'), // dismissed -> pass
      ev('A', 'supply.request_response', 'open'), // exempted -> left out
      ev('A', 'supply.request_response', 'ok'),
      ev('A', 'misuse.anomalous_volume', 'needs_review'), // not confirmed -> pass
      ev('A', 'misuse.anomalous_volume', 'needs_review'), // confirmed -> 10 points
      ev('A', 'misuse.unapproved_access', 'open'), // confirmed veto -> 10 points, grade capped
      ev('A', 'supply.rejection_basis', 'data_gap'),
    ];
    const [a] = await scoresOf(evals, [
      [evals[0]!.finding_id, 'dismiss'],
      [evals[1]!.finding_id, 'exempt'],
      [evals[4]!.finding_id, 'confirm'],
      [evals[5]!.finding_id, 'confirm'],
    ]);
    const indicator = (id: string) => a!.indicators.find((i) => i.indicator_id === id)!;
    expect([indicator('supply_response_rate').units, indicator('supply_response_rate').failed_units]).toEqual(
      [2, 0],
    );
    expect(indicator('supply_rejection_rate').score).toBeNull();
    expect([indicator('misuse_deduction').deducted_points, a!.dimensions.misuse]).toEqual([20, 8000]);
    // (10000 x 30 + 8000 x 20) / 50 = 9200 -> 优秀, capped at 合格 by the confirmed veto item
    expect([a!.total, a!.grade, a!.veto]).toEqual([9200, '合格', true]);
  });

  it('scores only the registered departments: a code the register lacks takes no score and no rank', async () => {
    const records = [
      ev('A', 'supply.request_response', 'open'),
      ev('X9', 'misuse.unapproved_access', 'ok'),
      ev('B', 'misuse.unapproved_access', 'open'),
    ];
    const scored = await scoresOf(records, [], ['A', 'B']);
    expect(scored.map((s) => [s.dept_code, s.total, s.rank])).toEqual([
      ['A', 0, 2],
      ['B', 9000, 1],
    ]);
    // without a register every code the records name is a department
    db!.close();
    const unregistered = await scoresOf(records);
    expect(unregistered.map((s) => [s.dept_code, s.total, s.rank])).toEqual([
      ['A', 0, 3],
      ['B', 9000, 2],
      ['X9', 10000, 1],
    ]);
  });

  it('ranks ties equally (1, 1, 3)', () => {
    const agg = (dept: string, failed: number) => ({
      dept_code: dept,
      indicator_id: 'catalog_update_rate',
      units: 4,
      failed_units: failed,
      points: 0,
    });
    const scores = computeScores(
      ['A', 'B', 'C', 'D'],
      [agg('A', 0), agg('B', 0), agg('C', 1)],
      method,
      new Set(),
    );
    expect(scores.map((s) => [s.dept_code, s.total, s.rank, s.grade])).toEqual([
      ['A', 10000, 1, '优秀'],
      ['B', 10000, 1, '优秀'],
      ['C', 7500, 3, '合格'],
      ['D', null, null, null],
    ]);
  });

  it('ignores rules the profile disables', async () => {
    const disabled = RULE_IDS.filter((r) => !profile.rules.get(r)?.enabled);
    expect(disabled).toContain('catalog.quarterly_review');
    const [a] = await scoresOf([
      ev('A', 'catalog.quarterly_review', 'open'),
      ev('A', 'catalog.mounted', 'ok'),
    ]);
    expect(a!.dimensions.catalog).toBe(10000);
  });
});
