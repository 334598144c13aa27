// The scoring method's checks: a method that would silently miscount (a rule in two indicators, a grade
// missing so the veto cap finds nothing, a dimension twice) is refused with the key path; grade minimums
// are compared in hundredths, as the totals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../config/errors.ts';
import {
  DEFAULT_SCORING_FILE,
  methodProblems,
  scoringSchema,
  type ScoringMethod,
} from '../../config/scoring.ts';
import { validateConfig } from '../../config/zod-issues.ts';
import { gradeOf } from '../../metrics/compute-scores.ts';

const base = (): ScoringMethod => parseYaml(readFileSync(DEFAULT_SCORING_FILE, 'utf8')) as ScoringMethod;

function issuesOf(change: (m: ScoringMethod) => void): string[] {
  const method = base();
  change(method);
  try {
    validateConfig(scoringSchema, 'scoring.yaml', { data: method, at: () => '' });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('scoring method checks', () => {
  it('accepts the default method', () => {
    expect(issuesOf(() => undefined)).toEqual([]);
  });

  it('refuses grades out of order or repeated, which would leave the veto cap without its grade', () => {
    expect(
      issuesOf((m) => {
        m.grades[2]!.label = '良好';
      }),
    ).toEqual(['grades：等次应依次为 优秀、良好、合格、不合格']);
  });

  it('refuses a grade minimum with more than two decimals', () => {
    expect(
      issuesOf((m) => {
        m.grades[2]!.min = 60.005;
      }),
    ).toEqual(['grades.2.min：最多两位小数']);
  });

  it('refuses a dimension twice, an indicator id twice, a rule in two indicators and a rule twice in one', () => {
    expect(
      issuesOf((m) => {
        m.dimensions[1]!.id = 'catalog';
      }),
    ).toEqual(['dimensions：每个维度只能出现一次（catalog 出现了两次）']);
    expect(
      issuesOf((m) => {
        m.dimensions[1]!.indicators[0]!.id = m.dimensions[0]!.indicators[0]!.id;
      }),
    ).toEqual(['dimensions：指标 id 不能重复（catalog_update_rate 出现了两次）']);
    expect(
      issuesOf((m) => {
        m.dimensions[1]!.indicators[0]!.rules.push('catalog.mounted');
      }),
    ).toEqual(['dimensions：每条规则只能属于一个指标（catalog.mounted 属于两个指标）']);
    expect(
      issuesOf((m) => {
        const indicator = m.dimensions[3]!.indicators[0]!;
        indicator.rules.push(indicator.rules[0]!);
      }),
    ).toEqual([
      'dimensions：指标 misuse_deduction 中每条规则只能出现一次（misuse.unapproved_access 出现了两次）',
    ]);
  });

  it('states the weights as they sum, and refuses points that would do nothing', () => {
    expect(
      issuesOf((m) => {
        m.dimensions[0]!.weight = 26;
      }),
    ).toEqual(['dimensions：各维度权重之和应为 100（现为 101）']);
    const method = base();
    expect(methodProblems(method, { data: method, at: () => '' })).toEqual([]);
    const deduction = method.dimensions[3]!.indicators[0]!;
    expect(deduction.method).toBe('deduction');
    deduction.points = { ...deduction.points, 'catalog.mounted': 5 };
    method.dimensions[0]!.indicators[0]!.points = { 'catalog.change_update': 2 };
    method.veto.cap = '优秀';
    expect(methodProblems(method, { data: method, at: () => '' })).toEqual([
      'dimensions.0.indicators.0.points：比率制（rate）指标不按扣分计分，points 不起作用：删除它，或把 method 改为 deduction',
      'dimensions.3.indicators.0.points.catalog.mounted：catalog.mounted 不在本指标的 rules 中，此扣分不起作用：把它加入 rules，或删除此项',
      'veto.cap：等次上限为 优秀 时否决项不起作用：应为 良好、合格、不合格 之一',
    ]);
  });

  it('compares a total with a minimum in exact hundredths (64.01 x 100 is 6401.000000000001 as a float)', () => {
    const method = base();
    method.grades[2]!.min = 64.01;
    expect([gradeOf(6401, method, false), gradeOf(6400, method, false)]).toEqual(['合格', '不合格']);
  });
});
