import { describe, expect, it } from 'vitest';
import { loadDefaultScoring } from '../../config/scoring.ts';
import { RULE_IDS, type RuleId } from '../../config/rule-ids.ts';
import {
  computeScores,
  formatScore,
  roundHalfUp,
  type CountedEvaluation,
} from '../../metrics/compute-scores.ts';
import { countEvaluation } from '../../metrics/score-departments.ts';

const method = loadDefaultScoring().method;
const allRules = new Set<RuleId>(RULE_IDS);

let n = 0;
function ev(
  dept: string,
  rule: RuleId,
  counted: CountedEvaluation['counted'],
  extra: Partial<CountedEvaluation> = {},
): CountedEvaluation {
  n += 1;
  return {
    rule_id: rule,
    dept_code: dept,
    subject_id: `S${n}`,
    units: 1,
    failed_units: counted === 'fail' ? 1 : 0,
    counted,
    confirmed: false,
    finding_id: `F${n}`,
    ...extra,
  };
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

  it('scores rates and deductions, rescales weights over what is applicable, and leaves a department with nothing unscored', () => {
    const evals = [
      ev('A', 'supply.request_response', 'pass'),
      ev('A', 'supply.request_response', 'fail'),
      ev('A', 'supply.request_unanswered', 'fail'),
      ev('A', 'supply.rejection_basis', 'pass'),
      ev('A', 'catalog.change_update', 'pass'),
      ev('A', 'misuse.unapproved_access', 'pass'),
      ev('A', 'misuse.unapproved_access', 'fail'),
      ev('A', 'quality.verification_response', 'excluded'),
    ];
    const [a, b] = computeScores(['A', 'B'], evals, method, allRules);
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
    expect([b!.total, b!.grade, b!.rank, b!.dimensions.catalog]).toEqual([null, null, null, null]);
  });

  it('judges one subject once when several rules of an indicator see it, and weighs rows for conformance', () => {
    const evals = [
      ev('A', 'catalog.metadata_complete', 'fail', { subject_id: 'R1' }),
      ev('A', 'catalog.restricted_basis', 'fail', { subject_id: 'R1' }),
      ev('A', 'catalog.metadata_complete', 'pass', { subject_id: 'R2' }),
      ev('A', 'quality.conformance', 'fail', { units: 1210, failed_units: 7 }),
    ];
    const [a] = computeScores(['A'], evals, method, allRules);
    const score = (id: string) => a!.indicators.find((i) => i.indicator_id === id)!.score;
    expect(score('catalog_entry_rate')).toBe(5000);
    expect(score('quality_conformance_rate')).toBe(9942); // 1203 / 1210 = 99.4215 -> 99.42
  });

  it('ranks ties equally (1, 1, 3) and caps a confirmed veto item at 合格', () => {
    const evals = [
      ev('A', 'catalog.change_update', 'pass'),
      ev('B', 'catalog.change_update', 'pass'),
      ev('C', 'catalog.change_update', 'pass'),
      ev('C', 'misuse.unapproved_access', 'fail', { confirmed: true }),
      ...Array.from({ length: 10 }, () => ev('C', 'misuse.unapproved_access', 'pass')),
    ];
    const scores = computeScores(['A', 'B', 'C'], evals, method, allRules);
    expect(scores.map((s) => [s.dept_code, s.total, s.rank, s.grade, s.veto])).toEqual([
      ['A', 10000, 1, '优秀', false],
      ['B', 10000, 1, '优秀', false],
      ['C', 9556, 3, '合格', true], // (10000 x 25 + 9000 x 20) / 45 = 9555.6 -> 95.56, capped
    ]);
  });

  it('counts findings after review: dismissed pass, exempted are left out, needs-review counts only when confirmed', () => {
    expect([
      countEvaluation('ok', undefined),
      countEvaluation('open', undefined),
      countEvaluation('open', 'confirm'),
      countEvaluation('open', 'dismiss'),
      countEvaluation('open', 'exempt'),
      countEvaluation('needs_review', undefined),
      countEvaluation('needs_review', 'confirm'),
      countEvaluation('pending_calendar', 'confirm'),
      countEvaluation('data_gap', undefined),
    ]).toEqual(['pass', 'fail', 'fail', 'pass', 'excluded', 'pass', 'fail', 'excluded', 'excluded']);
  });

  it('ignores rules the profile disables', () => {
    const evals = [ev('A', 'catalog.change_update', 'fail'), ev('A', 'catalog.mounted', 'pass')];
    const [a] = computeScores(['A'], evals, method, new Set<RuleId>(['catalog.mounted']));
    expect(a!.dimensions.catalog).toBe(10000);
  });
});
