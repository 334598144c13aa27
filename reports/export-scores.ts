// The stable scores export (DATA-CONTRACT.md "Exports"): one row per department, a column per dimension,
// total, grade, rank, veto and the change against the previous period; every row names the profile, its
// version, the period and the manifest id. Ordered by rank then department, so the same data gives the same bytes.
import type { RunRow, ScoreRow } from '../metrics/score-queries.ts';
import { csvField } from './export-findings.ts';

export const SCORE_COLUMNS = [
  'dept_code',
  'dept_name',
  'period',
  'catalog',
  'supply',
  'quality',
  'misuse',
  'total',
  'grade',
  'rank',
  'veto',
  'change',
  'profile',
  'profile_version',
  'manifest_id',
] as const;

function record(row: ScoreRow, run: RunRow): Record<(typeof SCORE_COLUMNS)[number], unknown> {
  return { ...row, profile: run.profile_id, profile_version: run.profile_version, manifest_id: run.run_id };
}

export function scoresToCsv(rows: ScoreRow[], run: RunRow, options: { bom: boolean }): string {
  const lines = [SCORE_COLUMNS.join(',')];
  for (const row of rows) {
    const r = record(row, run);
    lines.push(SCORE_COLUMNS.map((c) => csvField(r[c])).join(','));
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

export function scoresToJson(rows: ScoreRow[], run: RunRow): string {
  return (
    JSON.stringify(
      rows.map((row) => Object.fromEntries(SCORE_COLUMNS.map((c) => [c, record(row, run)[c]]))),
      null,
      2,
    ) + '\n'
  );
}
