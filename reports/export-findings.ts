// The stable findings export (DATA-CONTRACT.md "Exports"): CSV or JSON, ordered by rule, department and
// subject so that the same data always gives the same bytes. Each row names its profile, profile version,
// period and the manifest (run) id from which it can be computed again.
import type { FindingExportRow } from '../metrics/store-findings.ts';

export const FINDING_COLUMNS = [
  'finding_id',
  'rule_id',
  'dimension',
  'dept_code',
  'subject_type',
  'subject_id',
  'article',
  'profile',
  'started_on',
  'deadline',
  'observed_on',
  'late_working_days',
  'late_calendar_days',
  'severity',
  'status',
  'evidence',
  'profile_version',
  'period',
  'manifest_id',
  'reviewed_by',
  'reviewed_at',
  'review_reason',
] as const;

type ExportRecord = Record<(typeof FINDING_COLUMNS)[number], string | number | null | object>;

function toRecord(row: FindingExportRow): ExportRecord {
  const { run_id, evidence, ...rest } = row;
  return { ...rest, evidence: JSON.parse(evidence) as object, manifest_id: run_id };
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function findingsToCsv(rows: FindingExportRow[], options: { bom: boolean }): string {
  const lines = [FINDING_COLUMNS.join(',')];
  for (const row of rows) {
    const record = toRecord(row);
    lines.push(FINDING_COLUMNS.map((c) => csvField(record[c])).join(','));
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

export function findingsToJson(rows: FindingExportRow[]): string {
  return (
    JSON.stringify(
      rows.map((row) => {
        const record = toRecord(row);
        return Object.fromEntries(FINDING_COLUMNS.map((c) => [c, record[c]]));
      }),
      null,
      2,
    ) + '\n'
  );
}
