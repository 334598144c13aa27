// quality.one_source (一数一源): two departments supply the same item for the same subject (found by its key:
// 统一社会信用代码, 公民身份号码) with different values; one subject per key and item two providers supply.
// Reconciling is a joint duty (协商形成一致意见) but a finding has one department: the non-base provider that
// disagrees when exactly one provider's resource is base (基础库), else the first disagreeing one by code; the
// evidence names all of them. Only departments disagree: one holding two values, each matched by another
// department, has a consistency problem of its own (charged to it only when it is the base provider).
// Each provider is compared by its latest sample in the period (currentSources). A key value that fails its
// standard's check (GB 32100, GB 11643) or is a placeholder (无, /) identifies no subject and is skipped:
// quality.conformance reports it, and rows keyed "无" are not one person.
// A row is one subject: the first key of subject_keys it carries (a company row holding its legal
// representative's 身份证号码 is about the company, not the person). Items compare by name as sw_item_key
// does; record-keeping items (序号, 更新时间) and values stating nothing (无, /) are not compared.
import { z } from 'zod';
import { statesNothing } from '../../store/schema.ts';
import { readSampleRows, type SampleRow } from '../data-sample-rows.ts';
import type { RuleRow } from '../findings.ts';
import { GENERIC_ITEMS, itemKey } from '../item-names.ts';
import { defineRule, severity } from '../rule-definition.ts';
import { isRealDate, parseItemDate } from '../validators/calendar-date.ts';
import { runCheck, toHalfWidth, type CheckId } from '../validators/index.ts';

const paramsSchema = z
  .object({
    subject_keys: z
      .record(z.string(), z.array(z.string()).min(1))
      .default({
        统一社会信用代码: ['统一社会信用代码', '社会信用代码', '统一信用代码', '信用代码'],
        公民身份号码: [
          '公民身份号码',
          '公民身份证号码',
          '身份证号码',
          '居民身份证号码',
          '身份证件号码',
          '身份证号',
        ],
      })
      .describe(
        'subject key name -> the item names that carry it in samples (its spellings, compared as sw_item_key does, a trailing note in brackets dropped); a row is the subject of the first key it carries',
      ),
    ignore_items: z
      .array(z.string().min(1))
      .default(GENERIC_ITEMS)
      .describe(
        'record-keeping items (序号, 更新时间) that say nothing about the subject and are not compared',
      ),
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

/** The built-in keys are checked by their standard: a typo is not a subject. */
const KEY_CHECKS: Record<string, CheckId> = { 统一社会信用代码: 'gb32100', 公民身份号码: 'gb11643' };

/** Whether a key value can identify a subject: no placeholder (无, /), and it passes its standard's check. */
function isSubjectKey(key: string, keyValue: string): boolean {
  if (statesNothing(keyValue)) return false;
  const check = KEY_CHECKS[key];
  return check ? runCheck(check, keyValue) === null : true;
}

/** A header as a key spelling is matched: its item key without a trailing note (统一社会信用代码（18位）). */
const keySpelling = (header: string): string => itemKey(toHalfWidth(header).replace(/\([^()]*\)$/, ''));

// a date as data items write it: 2015-06-01, 2015/6/1, 2015.6.1, 2015年6月1日, 20150601 (a time dropped:
// looseInstant reads it)
const LOOSE_DATE =
  /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))(?:[ T].*)?$/u;
// a decimal number, with thousands separators or not: 1,000,000 and 1000000.00 are one amount
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** The date (YYYY-MM-DD) a value in any usual written form stands for, or null. */
function looseDate(value: string): string | null {
  const exact = parseItemDate(value);
  if (exact) return exact;
  const m = LOOSE_DATE.exec(value);
  if (!m) return null;
  const [y, mo, d] = [m[1], m[3] ?? m[5] ?? m[7], m[4] ?? m[6] ?? m[8]].map(Number) as [
    number,
    number,
    number,
  ];
  if (!isRealDate(y, mo, d)) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// a value's time of day, after its date: 10:00, 10:00:00, 10:00:00.500, with a UTC offset (Z, +08:00, -0800)
const TIME_SUFFIX = /^(.+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/u;
const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The local (Beijing) instant a date and time stand for, as YYYY-MM-DD HH:MM:SS[.fff], or the date alone
 * (YYYY-MM-DD) when the value has no time or its time is midnight (a date an export wrote as a time); null
 * when the value is no date. 10:00 and 10:00:00 are one instant; 2026-03-01T20:00:00Z is 2026-03-02 04:00:00.
 */
function looseInstant(value: string): string | null {
  const m = TIME_SUFFIX.exec(value.trim().replace(/\s+/gu, ' '));
  const date = m ? looseDate(m[1]!.trim()) : null;
  if (!m || !date) return null;
  if (m[2] === undefined) return date;
  let [h, mi] = [Number(m[2]), Number(m[3])];
  const sec = Number(m[4] ?? 0);
  if (h > 23 || mi > 59 || sec > 59) return null;
  let day = date;
  if (m[6] !== undefined) {
    const offset = m[6] === 'Z' ? 0 : (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
    const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
    const local = new Date(Date.UTC(y, mo - 1, d, h, mi, sec) + (8 * 60 - offset) * 60_000);
    [day, h, mi] = [local.toISOString().slice(0, 10), local.getUTCHours(), local.getUTCMinutes()];
  }
  const fraction = (m[5] ?? '').replace(/0+$/, '');
  if (h === 0 && mi === 0 && sec === 0 && fraction === '') return day;
  return `${day} ${pad2(h)}:${pad2(mi)}:${pad2(sec)}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Values compare as the same fact however they are written: full-width to half-width, without blanks (张 三
 * and 张三, an address keyed with a space), case folded (ABC@X.CN); dates as dates, whatever the form;
 * amounts as numbers (100 and 100.00, 1,000,000 and 1000000). A code with leading zeros stays as written.
 */
const comparable = (value: string): string => {
  const text = toHalfWidth(value);
  const instant = looseInstant(text);
  if (instant) return instant;
  const half = text.replace(/\s+/gu, '');
  const date = looseDate(half);
  if (date) return date;
  if (NUMBER.test(half)) {
    const plain = half.replace(/,/g, '').replace(/^\+/, '');
    return plain.includes('.') ? plain.replace(/0+$/, '').replace(/\.$/, '') : plain;
  }
  return half.toUpperCase();
};

function collect(rows: SampleRow[], params: Params): Map<string, SubjectItem> {
  const keys = Object.entries(params.subject_keys).map(
    ([key, spellings]) => [key, new Set(spellings.map(keySpelling))] as const,
  );
  const keySpellings = new Set(keys.flatMap(([, spellings]) => [...spellings]));
  const notCompared = new Set(params.ignore_items.map(itemKey));
  const subjects = new Map<string, SubjectItem>();
  for (const row of rows) {
    // each header's name, its key spelling and its item key, worked out once per row
    const entries = Object.entries(row.record).map(([header, v]) => {
      const name = toHalfWidth(header);
      return { name, spelling: keySpelling(header), key: itemKey(name), v };
    });
    // the row's subject: the first key it carries a usable value of
    const subject = keys
      .map(([key, spellings]) => {
        const raw = entries.find((e) => spellings.has(e.spelling) && e.v && e.v.trim() !== '')?.v;
        return raw ? { key, keyValue: toHalfWidth(raw).toUpperCase() } : null;
      })
      .find((k) => k !== null && isSubjectKey(k.key, k.keyValue));
    if (!subject) continue;
    const { key, keyValue } = subject;
    for (const { name, spelling, key: item, v: value } of entries) {
      if (keySpellings.has(spelling) || notCompared.has(item)) continue;
      if (value === null || statesNothing(value)) continue;
      const id = `${key}=${keyValue}/${item}`;
      const found = subjects.get(id) ?? { key, keyValue, item: name, sources: [] };
      // one name for the item however providers spell it: the first by code point order
      if (name < found.item) found.item = name;
      found.sources.push({
        dept_code: row.provider_dept,
        resource_code: row.resource_code,
        category: row.category,
        batch_id: row.batch_id,
        file_name: row.file_name,
        line: row.line,
        value,
        sampled_on: row.sampled_on,
      });
      subjects.set(id, found);
    }
  }
  return subjects;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;

/**
 * Each department's current values, comparable (a department may hold two for one subject). Instants are
 * compared as far as every provider states them: when one gives the date alone, the others' times of that
 * item are cut to their dates (2020-01-01 and 2020-01-01 15:00 agree; 10:00 and 12:00 of a day do not).
 */
function valuesByDept(sources: Source[]): Map<string, Set<string>> {
  const values = sources.map((s) => comparable(s.value));
  const toDate = values.some((v) => DATE_ONLY.test(v)) && values.some((v) => INSTANT.test(v));
  const byDept = new Map<string, Set<string>>();
  sources.forEach((s, i) => {
    const held = byDept.get(s.dept_code) ?? new Set<string>();
    const value = values[i]!;
    held.add(toDate && INSTANT.test(value) ? value.slice(0, 10) : value);
    byDept.set(s.dept_code, held);
  });
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

function judge(subject: SubjectItem): RuleRow | null {
  const id = `${subject.key}=${subject.keyValue}/${subject.item}`;
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
    return [...subjects.values()]
      .map((subject) => judge(subject))
      .filter((row): row is RuleRow => row !== null)
      .sort((a, b) => (a.subject_id < b.subject_id ? -1 : a.subject_id > b.subject_id ? 1 : 0));
  },
  severity: severity('minor'),
});
