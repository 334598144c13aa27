// quality.conformance: supplied data is complete, valid and usable (GB/T 36344 dimensions), from two sources:
// the platform's own quality checks (SQL: one subject per check) and the system's checks on data_sample files
// (one subject per sample, weighing its rows). Every item the resource's catalog entry declares is required
// by default: the catalog is what the department undertook to supply, so a blank declared item is incomplete.
import { z } from 'zod';
import { groupBySample, readSampleRows, type SampleRow } from '../data-sample-rows.ts';
import type { RuleRow } from '../findings.ts';
import { defineRule, severitySql } from '../rule-definition.ts';
import { CHECK_IDS, defaultChecks, runCheck, toHalfWidth, type CheckId } from '../validators/index.ts';

/** Failing values listed in one finding's evidence; the counts always cover all of them. */
const MAX_LISTED_FAILURES = 100;

/**
 * Words in a data item's name that mark it as filled only once something happened: an active company has no
 * 注销日期, a living person no 死亡日期, a record never changed no 变更日期; 备注 and 说明 are free notes. A
 * catalog declares such items, and a blank one is no gap in the data.
 */
const CONDITIONAL_ITEM_WORDS = [
  '注销',
  '吊销',
  '撤销',
  '终止',
  '停业',
  '歇业',
  '清算',
  '变更',
  '迁出',
  '死亡',
  '离婚',
  '曾用名',
  '备注',
  '说明',
  '附件',
  '传真',
];

const paramsSchema = z
  .object({
    tolerance: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe(
        'share of checked rows that may fail before a check or sample is a finding (0: any failed row)',
      ),
    item_checks: z
      .record(z.string(), z.array(z.enum(CHECK_IDS)))
      .default({})
      .describe(
        'data item name -> the checks that apply to it, replacing the defaults for that item ([]: not checked)',
      ),
    required_from_catalog: z
      .boolean()
      .default(true)
      .describe(
        "every data item of the resource's catalog entry must be non-empty in each sampled row, except the conditional ones (optional_items)",
      ),
    optional_items: z
      .array(z.string().min(1))
      .default(CONDITIONAL_ITEM_WORDS)
      .describe(
        'words marking a declared item as filled only once something happened (注销日期, 变更日期, 备注): not required by required_from_catalog',
      ),
  })
  .strict();

type Params = z.infer<typeof paramsSchema>;

interface Failure {
  line: number;
  row_no: number;
  item: string;
  value: string | null;
  check: CheckId;
  reason: string;
}

function checksFor(item: string, params: Params, declared: Set<string>): CheckId[] {
  const name = toHalfWidth(item);
  const explicit = Object.entries(params.item_checks).find(([key]) => toHalfWidth(key) === name)?.[1];
  if (explicit) return explicit;
  const required =
    params.required_from_catalog &&
    declared.has(name) &&
    !params.optional_items.some((word) => name.includes(toHalfWidth(word)));
  return [...(required ? (['required'] as CheckId[]) : []), ...defaultChecks(item)];
}

function failuresOf(row: SampleRow, checks: Map<string, CheckId[]>, on: string): Failure[] {
  const failures: Failure[] = [];
  for (const [item, value] of Object.entries(row.record)) {
    for (const check of checks.get(item) ?? []) {
      const reason = runCheck(check, value, on);
      if (reason) failures.push({ line: row.line, row_no: row.row_no, item, value, check, reason });
    }
  }
  return failures;
}

/** `asOf`: the run's as-of date, the day an undated sample is judged by. */
function judgeSample(rows: SampleRow[], params: Params, asOf: string): RuleRow {
  const first = rows[0]!;
  const declared = new Set((first.catalog_items ?? []).map(toHalfWidth));
  const items = Object.keys(first.record);
  const checks = new Map(items.map((item) => [item, checksFor(item, params, declared)]));
  const perRow = rows.map((row) => failuresOf(row, checks, first.sampled_on ?? asOf));
  const failures = perRow.flat();
  const failedRows = perRow.filter((f) => f.length > 0).length;
  const present = new Set(items.map(toHalfWidth));
  return {
    dept_code: first.provider_dept,
    subject_type: 'data_sample',
    subject_id: `${first.resource_code}/${first.batch_id}`,
    started_on: first.sampled_on,
    deadline: null,
    observed_on: first.sampled_on,
    late_working_days: null,
    late_calendar_days: null,
    status: failedRows > rows.length * params.tolerance ? 'open' : 'ok',
    units: rows.length,
    failed_units: failedRows,
    evidence: {
      resource_code: first.resource_code,
      batch_id: first.batch_id,
      file_name: first.file_name,
      sampled_on: first.sampled_on,
      catalog_snapshot_date: first.catalog_snapshot_date,
      rows_sampled: rows.length,
      rows_failed: failedRows,
      tolerance: params.tolerance,
      checks: items.map((item) => ({ item, checks: checks.get(item)! })),
      catalog_items_not_sampled: [...declared].filter((item) => !present.has(item)),
      failures_total: failures.length,
      failures: failures.slice(0, MAX_LISTED_FAILURES),
    },
  };
}

export default defineRule({
  id: 'quality.conformance',
  needs: ['int_data_sample'],
  paramsSchema,
  bind: (_rule, params) => ({ tolerance: params.tolerance }),
  // the platform's checks stay in SQL; the samples' checks are TypeScript validators
  sql: 'quality_conformance.sql',
  weighted: true,
  compute: async ({ db, params, values }) =>
    groupBySample(await readSampleRows(db)).map((rows) => judgeSample(rows, params, String(values.as_of))),
  // major when more than 5% of the checked rows fail: then the defect is systematic, not a slip
  severity: severitySql(`case when units > 0 and failed_units * 20 > units then 'major' else 'minor' end`),
});
