// Compares two stored runs field by field (findings with their evidence, scores, indicator values) and
// lists every difference in words an evaluator can act on; an empty list means the runs are identical.
import type { Db } from '../store/db.ts';
import { findingsOfRun } from './store-findings.ts';
import { indicatorsOfRun, scoresOfRun } from './score-queries.ts';

type Keyed = Record<string, unknown>;

function diffRows(
  what: string,
  key: (r: Keyed) => string,
  a: Keyed[],
  b: Keyed[],
  ignore: string[],
): string[] {
  const out: string[] = [];
  const left = new Map(a.map((r) => [key(r), r]));
  const right = new Map(b.map((r) => [key(r), r]));
  for (const [k, row] of left) {
    const other = right.get(k);
    if (!other) {
      out.push(`${what} ${k}：仅存在于原运行`);
      continue;
    }
    for (const field of Object.keys(row)) {
      if (ignore.includes(field)) continue;
      const x = JSON.stringify(row[field]);
      const y = JSON.stringify(other[field]);
      if (x !== y) out.push(`${what} ${k} 的 ${field} 不同：原 ${x}，重算 ${y}`);
    }
  }
  for (const k of right.keys()) if (!left.has(k)) out.push(`${what} ${k}：仅存在于重算结果`);
  return out;
}

export async function compareRuns(
  original: { db: Db; runId: string; reviewSeq: number },
  recomputed: { db: Db; runId: string; reviewSeq: number },
): Promise<string[]> {
  const strip = (evidence: unknown) => {
    const parsed = JSON.parse(String(evidence)) as Keyed;
    delete parsed.run_id;
    return parsed;
  };
  const findings = async (s: typeof original) =>
    (await findingsOfRun(s.db, s.runId, s.reviewSeq)).map(
      (f) => ({ ...f, evidence: strip(f.evidence) }) as Keyed,
    );
  const diffs = diffRows(
    '问题',
    (r) => String(r.finding_id),
    await findings(original),
    await findings(recomputed),
    ['run_id'],
  );
  diffs.push(
    ...diffRows(
      '得分',
      (r) => String(r.dept_code),
      (await scoresOfRun(original.db, original.runId)) as unknown as Keyed[],
      (await scoresOfRun(recomputed.db, recomputed.runId)) as unknown as Keyed[],
      [],
    ),
  );
  const indicators = async (s: typeof original) =>
    (await indicatorsOfRun(s.db, s.runId)) as unknown as Keyed[];
  diffs.push(
    ...diffRows(
      '指标',
      (r) => `${String(r.dept_code)}/${String(r.indicator_id)}`,
      await indicators(original),
      await indicators(recomputed),
      [],
    ),
  );
  return diffs;
}
