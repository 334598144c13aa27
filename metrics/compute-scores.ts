// Pure scoring: evaluations (every subject a rule judged, with its counted outcome) -> indicator, dimension
// and total scores per department, grades, veto and ranks. Integer arithmetic in hundredths of a point,
// rounded half up at each level (indicator, dimension, total), so anyone can recompute a total from the
// rounded numbers a report shows. Nothing to measure is "not applicable" (null) and the remaining weights
// are rescaled; a department is never given 100 or 0 for nothing.
import type { IndicatorDef, ScoringMethod } from '../config/scoring.ts';
import type { RuleId } from '../config/rule-ids.ts';

/** How an evaluation counts after review: pass, fail, or left out of the denominator. */
export type Counted = 'pass' | 'fail' | 'excluded';

export interface CountedEvaluation {
  rule_id: RuleId;
  dept_code: string;
  subject_id: string;
  units: number;
  failed_units: number;
  counted: Counted;
  confirmed: boolean;
  finding_id: string;
}

export interface IndicatorScore {
  indicator_id: string;
  dimension: string;
  units: number;
  failed_units: number;
  deducted_points: number;
  /** Hundredths of a point; null when not applicable. */
  score: number | null;
}

export interface DepartmentScore {
  dept_code: string;
  indicators: IndicatorScore[];
  dimensions: Record<string, number | null>;
  total: number | null;
  grade: string | null;
  veto: boolean;
  rank: number | null;
}

export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function weightedMean(parts: Array<{ score: number | null; weight: number }>): number | null {
  const applicable = parts.filter((p): p is { score: number; weight: number } => p.score !== null);
  if (applicable.length === 0) return null;
  const num = applicable.reduce((n, p) => n + BigInt(p.score) * BigInt(p.weight), 0n);
  const den = applicable.reduce((n, p) => n + BigInt(p.weight), 0n);
  return Number(roundHalfUp(num, den));
}

function scoreIndicator(
  def: IndicatorDef,
  dimension: string,
  evals: CountedEvaluation[],
  enabled: Set<RuleId>,
): IndicatorScore {
  const rules = def.rules.filter((r) => enabled.has(r));
  const mine = evals.filter((e) => rules.includes(e.rule_id) && e.counted !== 'excluded');
  const base = {
    indicator_id: def.id,
    dimension,
    units: 0,
    failed_units: 0,
    deducted_points: 0,
    score: null,
  };
  if (mine.length === 0) return base;
  if (def.method === 'deduction') {
    const points = mine
      .filter((e) => e.counted === 'fail')
      .reduce((n, e) => n + (def.points?.[e.rule_id] ?? 0), 0);
    return {
      ...base,
      units: mine.length,
      failed_units: mine.filter((e) => e.counted === 'fail').length,
      deducted_points: points,
      score: Math.max(0, 10000 - points * 100),
    };
  }
  // A subject judged by several rules of one indicator (an entry, a request) fails if any of them fails.
  const bySubject = new Map<string, { units: number; failed: number }>();
  for (const e of mine) {
    const failed = e.counted === 'fail' ? e.failed_units : 0;
    const seen = bySubject.get(e.subject_id);
    bySubject.set(
      e.subject_id,
      seen
        ? { units: Math.max(seen.units, e.units), failed: Math.max(seen.failed, failed) }
        : { units: e.units, failed },
    );
  }
  let units = 0;
  let failed = 0;
  for (const s of bySubject.values()) {
    units += s.units;
    failed += Math.min(s.failed, s.units);
  }
  if (units === 0) return base;
  return {
    ...base,
    units,
    failed_units: failed,
    score: Number(roundHalfUp(BigInt(units - failed) * 10000n, BigInt(units))),
  };
}

export function gradeOf(total: number, method: ScoringMethod, veto: boolean): string {
  const labels = method.grades.map((g) => g.label);
  let grade = method.grades.find((g) => total >= g.min * 100)!.label;
  if (veto && labels.indexOf(grade) < labels.indexOf(method.veto.cap)) grade = method.veto.cap;
  return grade;
}

/** Competition ranking (1, 2, 2, 4) by total, highest first; departments without a total are unranked. */
export function rankScores(scores: DepartmentScore[]): void {
  const ranked = scores.filter((s) => s.total !== null).sort((a, b) => b.total! - a.total!);
  ranked.forEach((s, i) => {
    s.rank = i > 0 && ranked[i - 1]!.total === s.total ? ranked[i - 1]!.rank : i + 1;
  });
}

export function computeScores(
  departments: string[],
  evaluations: CountedEvaluation[],
  method: ScoringMethod,
  enabled: Set<RuleId>,
): DepartmentScore[] {
  const byDept = new Map<string, CountedEvaluation[]>(departments.map((d) => [d, []]));
  for (const e of evaluations) {
    if (!byDept.has(e.dept_code)) byDept.set(e.dept_code, []);
    byDept.get(e.dept_code)!.push(e);
  }
  const scores: DepartmentScore[] = [];
  for (const [dept, evals] of [...byDept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const indicators: IndicatorScore[] = [];
    const dimensions: Record<string, number | null> = {};
    for (const dim of method.dimensions) {
      const inds = dim.indicators.map((def) => scoreIndicator(def, dim.id, evals, enabled));
      indicators.push(...inds);
      dimensions[dim.id] = weightedMean(
        inds.map((s, i) => ({ score: s.score, weight: dim.indicators[i]!.weight })),
      );
    }
    const total = weightedMean(
      method.dimensions.map((d) => ({ score: dimensions[d.id] ?? null, weight: d.weight })),
    );
    const veto = evals.some(
      (e) => method.veto.rules.includes(e.rule_id) && e.counted === 'fail' && e.confirmed,
    );
    scores.push({
      dept_code: dept,
      indicators,
      dimensions,
      total,
      grade: total === null ? null : gradeOf(total, method, veto),
      veto,
      rank: null,
    });
  }
  rankScores(scores);
  return scores;
}

/** Hundredths of a point as the exact decimal text exports and reports show ("87.50"). */
export function formatScore(hundredths: number | null): string | null {
  if (hundredths === null) return null;
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
