// Pure scoring from indicator aggregates (units due and failed, or deducted points, per department and
// indicator; aggregated in SQL by metrics/sql/indicator_aggregates.sql) to indicator, dimension and total
// scores, grades, veto and ranks. Integer arithmetic in hundredths of a point, rounded half up at each level
// (indicator, dimension, total), so anyone can recompute a total from the rounded numbers a report shows.
// Nothing to measure is "not applicable" (null) and the remaining weights are rescaled: never 100 or 0 for nothing.
import type { IndicatorDef, ScoringMethod } from '../config/scoring.ts';

export interface IndicatorAggregate {
  dept_code: string;
  indicator_id: string;
  units: number;
  failed_units: number;
  points: number;
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

export function scoreIndicator(
  def: IndicatorDef,
  dimension: string,
  agg: IndicatorAggregate | undefined,
): IndicatorScore {
  const base = {
    indicator_id: def.id,
    dimension,
    units: agg?.units ?? 0,
    failed_units: agg?.failed_units ?? 0,
    deducted_points: agg?.points ?? 0,
  };
  if (!agg || agg.units === 0) return { ...base, score: null };
  if (def.method === 'deduction') return { ...base, score: Math.max(0, 10000 - agg.points * 100) };
  const passed = BigInt(agg.units - Math.min(agg.failed_units, agg.units));
  return { ...base, score: Number(roundHalfUp(passed * 10000n, BigInt(agg.units))) };
}

export function gradeOf(total: number, method: ScoringMethod, veto: boolean): string {
  const labels = method.grades.map((g) => g.label);
  // minimums in hundredths, as the totals: 64.01 * 100 is 6401.000000000001 in floating point
  let grade = method.grades.find((g) => total >= Math.round(g.min * 100))!.label;
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

/** One department's scores from its aggregates (keyed by indicator id). */
export function scoreDepartment(
  dept: string,
  aggregates: Map<string, IndicatorAggregate>,
  method: ScoringMethod,
  veto: boolean,
): DepartmentScore {
  const indicators: IndicatorScore[] = [];
  const dimensions: Record<string, number | null> = {};
  for (const dim of method.dimensions) {
    const inds = dim.indicators.map((def) => scoreIndicator(def, dim.id, aggregates.get(def.id)));
    indicators.push(...inds);
    dimensions[dim.id] = weightedMean(
      inds.map((s, i) => ({ score: s.score, weight: dim.indicators[i]!.weight })),
    );
  }
  const total = weightedMean(
    method.dimensions.map((d) => ({ score: dimensions[d.id] ?? null, weight: d.weight })),
  );
  return {
    dept_code: dept,
    indicators,
    dimensions,
    total,
    grade: total === null ? null : gradeOf(total, method, veto),
    veto,
    rank: null,
  };
}

export function computeScores(
  departments: string[],
  aggregates: IndicatorAggregate[],
  method: ScoringMethod,
  vetoed: Set<string>,
): DepartmentScore[] {
  const byDept = new Map<string, Map<string, IndicatorAggregate>>(departments.map((d) => [d, new Map()]));
  // With a departments register, only its departments are scored: a code outside it (a typo in a record, a
  // department not yet registered) must not take a rank. Without one, every code the records name is scored.
  const registered = departments.length > 0;
  for (const a of aggregates) {
    if (registered && !byDept.has(a.dept_code)) continue;
    if (!byDept.has(a.dept_code)) byDept.set(a.dept_code, new Map());
    byDept.get(a.dept_code)!.set(a.indicator_id, a);
  }
  const codes = [...byDept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const scores = codes.map((dept) => scoreDepartment(dept, byDept.get(dept)!, method, vetoed.has(dept)));
  rankScores(scores);
  return scores;
}

/** Hundredths of a point as the exact decimal text exports and reports show ("87.50"). */
export function formatScore(hundredths: number | null): string | null {
  if (hundredths === null) return null;
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
