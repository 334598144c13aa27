// quality.one_source (一数一源): two departments supply the same item for the same subject (found by its key:
// 统一社会信用代码, 公民身份号码) with different values; one subject per key and item two providers supply.
// Reconciling is a joint duty (协商形成一致意见) but a finding has one department: the non-base provider that
// disagrees when exactly one provider's resource is base (基础库), else the first disagreeing one by code; the
// evidence names all of them. Only departments disagree: one holding two values, each matched by another
// department, has a consistency problem of its own (charged to it only when it is the base provider).
// Each provider is compared by its latest sample in the period (currentSources). A key value that fails its
// standard's check (GB 32100, GB 11643) or is a placeholder (无, /) identifies no subject and is skipped:
// quality.conformance reports it, and rows keyed "无" are not one person.
import { z } from 'zod';
import { NO_VALUE_PLACEHOLDERS } from '../../store/schema.ts';
import { readSampleRows, type SampleRow } from '../data-sample-rows.ts';
import type { RuleRow } from '../findings.ts';
import { defineRule, severity } from '../rule-definition.ts';
import { parseItemDate } from '../validators/calendar-date.ts';
import { runCheck, toHalfWidth, type CheckId } from '../validators/index.ts';

const paramsSchema = z
  .object({
    subject_keys: z
      .record(z.string(), z.array(z.string()).min(1))
      .default({
        统一社会信用代码: ['统一社会信用代码', '社会信用代码'],
        公民身份号码: ['公民身份号码', '身份证号码', '居民身份证号码', '身份证号'],
      })
      .describe('subject key name -> the item names that carry it in samples (its spellings)'),
  })
  .strict();

type Params = z.infer<typeof paramsSchema>;

interface Source {
  dept_code: string;
  resource_code: string;
  category: string | null;
  batch_id: string;
  file_name: string;
  line: number;
  value: string;
  sampled_on: string | null;
}

interface SubjectItem {
  key: string;
  keyValue: string;
  item: string;
  sources: Source[];
}

/** The built-in keys are checked by their standard: a placeholder (无, /) or a typo is not a subject. */
const KEY_CHECKS: Record<string, CheckId> = { 统一社会信用代码: 'gb32100', 公民身份号码: 'gb11643' };
/** A key of any other name must not be a placeholder for "no value". */
const PLACEHOLDERS = new Set(NO_VALUE_PLACEHOLDERS);

/** Whether a key value can identify a subject: it passes its standard's check, or is no placeholder. */
function isSubjectKey(key: string, keyValue: string): boolean {
  const check = KEY_CHECKS[key];
  if (check) return runCheck(check, keyValue) === null;
  return /[\p{L}\p{N}]/u.test(keyValue) && !PLACEHOLDERS.has(keyValue);
}

/**
 * Values compare after full-width to half-width and without blanks (张 三 and 张三, an address keyed with a
 * space, are one value in Chinese text); dates compare as dates, whatever the form.
 */
const comparable = (value: string): string => {
  const half = toHalfWidth(value);
  return parseItemDate(half) ?? half.replace(/\s+/gu, '');
};

function collect(rows: SampleRow[], params: Params): Map<string, SubjectItem> {
  const keyItems = new Set(Object.values(params.subject_keys).flat().map(toHalfWidth));
  const subjects = new Map<string, SubjectItem>();
  for (const row of rows) {
    const record = new Map(Object.entries(row.record).map(([k, v]) => [toHalfWidth(k), v]));
    for (const [key, spellings] of Object.entries(params.subject_keys)) {
      const raw = spellings.map((s) => record.get(toHalfWidth(s))).find((v) => v && v.trim() !== '');
      if (!raw) continue;
      const keyValue = toHalfWidth(raw).toUpperCase();
      if (!isSubjectKey(key, keyValue)) continue;
      for (const [item, value] of record) {
        if (keyItems.has(item) || value === null || value.trim() === '') continue;
        const id = `${key}=${keyValue}/${item}`;
        const subject = subjects.get(id) ?? { key, keyValue, item, sources: [] };
        subject.sources.push({
          dept_code: row.provider_dept,
          resource_code: row.resource_code,
          category: row.category,
          batch_id: row.batch_id,
          file_name: row.file_name,
          line: row.line,
          value,
          sampled_on: row.sampled_on,
        });
        subjects.set(id, subject);
      }
    }
  }
  return subjects;
}

/** Each department's current values, comparable (a department may hold two for one subject). */
function valuesByDept(sources: Source[]): Map<string, Set<string>> {
  const byDept = new Map<string, Set<string>>();
  for (const s of sources) {
    const values = byDept.get(s.dept_code) ?? new Set<string>();
    values.add(comparable(s.value));
    byDept.set(s.dept_code, values);
  }
  return byDept;
}

const disjoint = (a: Set<string>, b: Set<string>): boolean => ![...a].some((v) => b.has(v));

/**
 * The departments that disagree with another department: those sharing no value with some other provider.
 * A department holding two values itself (an internal inconsistency, not a second source disagreeing) does
 * not disagree with a department holding one of them.
 */
function disagreeing(byDept: Map<string, Set<string>>): string[] {
  const depts = [...byDept.keys()].sort();
  return depts.filter((d) => depts.some((o) => o !== d && disjoint(byDept.get(d)!, byDept.get(o)!)));
}

/**
 * The department charged, and why. With a single base provider: the first department (by code) sharing no
 * value with it; when every department shares a value with it, the disagreement comes from the base
 * provider's own two values (others each copy one), so it is charged. Else the first disagreeing department.
 */
function chargedDept(
  base: string[],
  byDept: Map<string, Set<string>>,
  conflicting: string[],
): { dept: string; authoritative: string | null; because: string } {
  if (base.length !== 1)
    return { dept: conflicting[0]!, authoritative: null, because: 'first_provider_by_code' };
  const authority = base[0]!;
  const differing = conflicting.find(
    (d) => d !== authority && disjoint(byDept.get(d)!, byDept.get(authority)!),
  );
  return differing
    ? { dept: differing, authoritative: authority, because: 'not_authoritative_source' }
    : { dept: authority, authoritative: authority, because: 'authoritative_source_inconsistent' };
}

/**
 * Each provider's current value: its samples of the latest sample date (all of them when some are undated, as
 * their order is unknown). A provider's own change over time (a company renamed between two samples) is not a
 * second source disagreeing; the earlier samples stay in the evidence.
 */
function currentSources(sources: Source[]): Source[] {
  const latest = new Map<string, string | null>();
  for (const s of sources) {
    const seen = latest.get(s.dept_code);
    if (seen === undefined || (seen !== null && (s.sampled_on === null || s.sampled_on > seen)))
      latest.set(s.dept_code, s.sampled_on);
  }
  return sources.filter((s) => {
    const last = latest.get(s.dept_code)!;
    return last === null || s.sampled_on === last;
  });
}

function judge(id: string, subject: SubjectItem): RuleRow | null {
  const depts = [...new Set(subject.sources.map((s) => s.dept_code))].sort();
  if (depts.length < 2) return null;
  const compared = currentSources(subject.sources);
  const byDept = valuesByDept(compared);
  const conflicting = disagreeing(byDept);
  const conflict = conflicting.length > 0;
  // the departments whose compared resource is base (基础库)
  const base = [...new Set(compared.filter((s) => s.category === 'base').map((s) => s.dept_code))];
  const charged = conflict ? chargedDept(base, byDept, conflicting) : null;
  const dates = subject.sources.map((s) => s.sampled_on).filter((d): d is string => d !== null);
  return {
    // no conflict: the evaluation is the non-base provider's (or the first's), as a finding would be
    dept_code: charged?.dept ?? (base.length === 1 ? depts.find((d) => d !== base[0])! : depts[0]!),
    subject_type: 'subject_item',
    subject_id: id,
    started_on: null,
    deadline: null,
    observed_on: dates.length > 0 ? dates.sort().at(-1)! : null,
    late_working_days: null,
    late_calendar_days: null,
    status: conflict ? 'open' : 'ok',
    evidence: {
      subject_key: subject.key,
      subject_key_value: subject.keyValue,
      item: subject.item,
      conflict,
      departments: depts,
      disagreeing_departments: conflicting,
      // departments holding two or more values themselves: their own consistency, no conflict on its own
      inconsistent_departments: [...byDept]
        .filter(([, v]) => v.size > 1)
        .map(([d]) => d)
        .sort(),
      authoritative_dept: charged ? charged.authoritative : base.length === 1 ? base[0]! : null,
      charged_because:
        charged?.because ?? (base.length === 1 ? 'not_authoritative_source' : 'first_provider_by_code'),
      sources: compared,
      superseded_sources: subject.sources.filter((s) => !compared.includes(s)),
    },
  };
}

export default defineRule({
  id: 'quality.one_source',
  needs: ['int_data_sample'],
  paramsSchema,
  compute: async ({ db, params }) => {
    const subjects = collect(await readSampleRows(db), params);
    return [...subjects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, subject]) => judge(id, subject))
      .filter((row): row is RuleRow => row !== null);
  },
  severity: severity('minor'),
});
