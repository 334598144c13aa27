// "Fix first": for each department, the open findings whose correction would raise its total most, with
// the points each is worth. Correcting a finding is modelled as its subject passing; the department is
// re-scored with exactly the same method, so the points shown are the points the department would gain.
import type { Profile } from '../config/profile.ts';
import type { Db } from '../store/db.ts';
import { formatScore, type CountedEvaluation } from './compute-scores.ts';
import type { Evaluation } from './findings.ts';
import { decisionsUpTo } from './reviews.ts';
import { countEvaluations, scoreDepartments } from './score-departments.ts';
import type { RunRow } from './score-queries.ts';

export interface FixFirstItem {
  dept_code: string;
  finding_id: string;
  rule_id: string;
  subject_id: string;
  gain: string;
}

function totalWith(profile: Profile, dept: string, evals: CountedEvaluation[]): number | null {
  return scoreDepartments(profile, [dept], evals)[0]?.total ?? null;
}

export async function fixFirst(
  db: Db,
  run: RunRow,
  profile: Profile,
  options: { dept?: string; top: number },
): Promise<FixFirstItem[]> {
  const evaluations = await db.query<Evaluation>(
    `select run_id, rule_id, dept_code, subject_id, status, units::integer as units, failed_units::integer as failed_units, finding_id
     from evaluations where run_id = $run and ($dept is null or dept_code = $dept) order by dept_code, rule_id, subject_id`,
    { run: run.run_id, dept: options.dept ?? null },
  );
  const counted = countEvaluations(evaluations, await decisionsUpTo(db, run.review_seq));
  const byDept = new Map<string, CountedEvaluation[]>();
  for (const e of counted) byDept.set(e.dept_code, [...(byDept.get(e.dept_code) ?? []), e]);
  const items: FixFirstItem[] = [];
  for (const [dept, evals] of byDept) {
    const base = totalWith(profile, dept, evals);
    if (base === null) continue;
    const gains: FixFirstItem[] = [];
    evals.forEach((e, i) => {
      if (e.counted !== 'fail') return;
      const fixed = evals.map((x, j) => (j === i ? { ...x, counted: 'pass' as const } : x));
      const gain = (totalWith(profile, dept, fixed) ?? base) - base;
      if (gain > 0)
        gains.push({
          dept_code: dept,
          finding_id: e.finding_id,
          rule_id: e.rule_id,
          subject_id: e.subject_id,
          gain: formatScore(gain)!,
        });
    });
    gains.sort((a, b) => Number(b.gain) - Number(a.gain) || a.finding_id.localeCompare(b.finding_id));
    items.push(...gains.slice(0, options.top));
  }
  return items;
}
