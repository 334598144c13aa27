import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { CalendarGapError } from '../../config/errors.ts';
import { WorkCalendar } from '../../metrics/calendar.ts';
import { writeDemoInbox, type DemoSummary } from '../../cli/demo-data.ts';
import { encodeGbk } from '../../cli/demo-data-csv.ts';
import { buildYear, workdayAfter } from '../../cli/demo-data-year.ts';
import { REPO_ROOT, tempDir } from '../helpers.ts';

type Row = Record<string, string>;

/** The canonical columns of DATA-CONTRACT.md, written out here so the test checks the spec, not the code. */
// prettier-ignore
const CANONICAL: Record<string, string[]> = {
  departments: ['dept_code', 'dept_name', 'level', 'parent_code', 'notice_email', 'contact'],
  catalog_snapshot: [
    'snapshot_date', 'resource_code', 'resource_name', 'provider_dept', 'category', 'base_kind', 'share_type',
    'share_condition', 'legal_basis', 'share_method', 'open_type', 'update_cycle', 'format', 'data_items',
    'usage_requirements', 'contact', 'published_on', 'updated_at', 'mounted', 'status',
  ],
  catalog_changes: ['change_id', 'resource_code', 'dept_code', 'action', 'changed_at', 'note'],
  change_events: ['event_id', 'dept_code', 'kind', 'occurred_on', 'reference', 'description'],
  share_requests: [
    'request_id', 'requester_dept', 'provider_dept', 'resource_code', 'purpose', 'requested_items',
    'submitted_at', 'responded_at', 'decision', 'reason', 'legal_basis', 'valid_from', 'valid_until',
    'approved_items',
  ],
  supply_batches: ['batch_id', 'resource_code', 'provider_dept', 'delivered_at', 'rows', 'status'],
  supply_exemptions: ['resource_code', 'dept_code', 'from', 'to', 'reason'],
  access_log: [
    'event_id', 'ts', 'consumer_dept', 'user_id', 'resource_code', 'provider_dept', 'operation', 'records',
    'items', 'approval_id', 'client_ip', 'result',
  ],
  verification_requests: [
    'ticket_id', 'resource_code', 'provider_dept', 'raised_by_dept', 'raised_at', 'item', 'description',
    'responded_at', 'outcome', 'corrected_at',
  ],
  quality_checks: [
    'check_id', 'resource_code', 'provider_dept', 'checked_at', 'dimension', 'rule', 'rows_checked',
    'rows_failed',
  ],
};

const CALENDAR_DIR = path.join(REPO_ROOT, 'config', 'calendars');
const cal = new WorkCalendar(loadCalendarSource(CALENDAR_DIR), CALENDAR_DIR);
const OPTIONS = { seed: 1, year: 2026, scale: 0.01 };

function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    out[f] = createHash('sha256')
      .update(readFileSync(path.join(dir, f)))
      .digest('hex');
  }
  return out;
}

function readText(file: string): string {
  const buf = readFileSync(file);
  return isUtf8(buf) ? buf.toString('utf8') : new TextDecoder('gb18030', { fatal: true }).decode(buf);
}

/** Parses a CSV file with csv-parse (columns: true) and returns its header and rows. */
function readCsv(file: string): { header: string[]; rows: Row[] } {
  let header: string[] = [];
  const rows = parse(readText(file), {
    columns: (h: string[]) => (header = h),
  }) as Row[];
  return { header, rows };
}

function kindOf(file: string): string {
  return Object.keys(CANONICAL).find((k) => file.startsWith(`${k}_`) || file === `${k}.csv`) ?? file;
}

let dir: string;
let summary: DemoSummary;
let tables: Record<string, Row[]>;

beforeAll(async () => {
  dir = tempDir('sw-demo-');
  summary = await writeDemoInbox(dir, OPTIONS);
  tables = {};
  for (const f of readdirSync(dir)) {
    const kind = kindOf(f);
    if (kind in CANONICAL) (tables[kind] ??= []).push(...readCsv(path.join(dir, f)).rows);
  }
});

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function isTimestampIn(value: string, year: number): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m || !m[1]!.startsWith(`${year}-`)) return false;
  const valid = new Date(`${m[1]}T00:00:00Z`).toISOString().slice(0, 10) === m[1];
  return valid && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}

describe('demo inbox generator', () => {
  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const again = tempDir('sw-demo-');
    const other = tempDir('sw-demo-');
    await writeDemoInbox(again, OPTIONS);
    await writeDemoInbox(other, { ...OPTIONS, seed: 2 });
    const hashes = fileHashes(dir);
    expect(fileHashes(again)).toEqual(hashes);
    const otherHashes = fileHashes(other);
    const differing = Object.keys(hashes).filter((f) => otherHashes[f] !== hashes[f]);
    expect(differing.length).toBeGreaterThan(20);
  });

  it('reports the volumes of seed 1 at scale 0.01 exactly', () => {
    expect(summary).toMatchObject({
      departments: 40,
      resources: 160,
      conditionalResources: 75,
      requests: 30,
      pendingRequests: 1,
      accessEvents: 3984,
      changeEvents: 31,
      catalogChanges: 658,
      supplyBatches: 23936,
      supplyExemptions: 6,
      verificationRequests: 300,
      qualityChecks: 10272,
      sampleRows: 160,
      worstDepartments: ['D12', 'D08', 'D04', 'D32'],
      misuseDepartments: ['D20', 'D38', 'D39'],
    });
    expect(summary.files).toEqual(readdirSync(dir).sort());
    expect(summary.files).toHaveLength(35);
  });

  it('writes every kind with exactly the canonical columns, one file in GBK', () => {
    const kinds = new Set(summary.files.map(kindOf));
    expect([...kinds].filter((k) => k in CANONICAL).sort()).toEqual(Object.keys(CANONICAL).sort());
    for (const f of summary.files) {
      const { header } = readCsv(path.join(dir, f));
      if (f.startsWith('data_sample_')) continue;
      expect(header, f).toEqual(CANONICAL[kindOf(f)]);
    }
    const notUtf8 = summary.files.filter((f) => !isUtf8(readFileSync(path.join(dir, f))));
    expect(notUtf8).toEqual([summary.gbkFile]);
    const gbkRows = readCsv(path.join(dir, summary.gbkFile)).rows;
    expect(gbkRows.length).toBeGreaterThan(0);
    expect(gbkRows.every((r) => /[\u4e00-\u9fff]/.test(r.purpose!))).toBe(true);
    expect(
      new TextDecoder('gb18030').decode(encodeGbk('示编〔2026〕3号，《居民身份证法》；（已报备）')),
    ).toBe('示编〔2026〕3号，《居民身份证法》；（已报备）');
  });

  it('heads each data sample with the data items its catalog entry declares', () => {
    const items = new Map(tables.catalog_snapshot!.map((r) => [r.resource_code!, r.data_items!]));
    const samples = summary.files.filter((f) => f.startsWith('data_sample_'));
    expect(samples).toHaveLength(3);
    for (const f of samples) {
      const code = /^data_sample_(R\d{4})\.csv$/.exec(f)![1]!;
      expect(readCsv(path.join(dir, f)).header.join(';')).toBe(items.get(code));
    }
  });

  it('stamps every access and request in the year, requests mostly on working days', () => {
    for (const e of tables.access_log!) expect(isTimestampIn(e.ts!, 2026), e.ts).toBe(true);
    const requests = tables.share_requests!;
    for (const q of requests) expect(isTimestampIn(q.submitted_at!, 2026), q.submitted_at).toBe(true);
    const onWorkdays = requests.filter((q) => cal.isWorkday(q.submitted_at!.slice(0, 10))).length;
    expect(onWorkdays / requests.length).toBeGreaterThan(0.9);
    const accessOnWorkdays = tables.access_log!.filter((e) => cal.isWorkday(e.ts!.slice(0, 10))).length;
    expect(accessOnWorkdays / tables.access_log!.length).toBeGreaterThan(0.97);
  });

  it('counts working days as the calendar module does', () => {
    const y = buildYear(cal, 2026);
    for (let day = 0; day < y.dates.length; day++) {
      const after = workdayAfter(y, day, 10);
      if (after !== null) expect(y.dates[after]).toBe(cal.deadline(y.dates[day]!, 10));
    }
    expect(y.dates[workdayAfter(y, y.dates.indexOf('2026-09-28'), 10)!]).toBe('2026-10-16');
  });

  it('throws a calendar error, writing nothing, for a year the calendar lacks', async () => {
    const target = path.join(tempDir('sw-demo-'), 'inbox');
    await expect(writeDemoInbox(target, { seed: 1, year: 2027 })).rejects.toBeInstanceOf(CalendarGapError);
    expect(existsSync(target)).toBe(false);
  });
});

/** Classifies one read of the logs against the catalog and the requests, independently of the generator. */
function classify(e: Row, catalog: Map<string, Row>, requests: Map<string, Row>): string {
  const resource = catalog.get(e.resource_code!)!;
  const hour = Number(e.ts!.slice(11, 13));
  const bulkNight = e.operation === 'download' && Number(e.records) >= 5000 && (hour >= 22 || hour < 5);
  if (resource.share_type !== '有条件共享')
    return e.approval_id ? 'approvalOnFreeData' : bulkNight ? 'bulkNight' : 'ok';
  if (e.result === 'denied') return 'denied';
  if (!e.approval_id) return 'noApproval';
  const q = requests.get(e.approval_id);
  if (!q) return 'unknownApproval';
  if (q.requester_dept !== e.consumer_dept) return 'otherDeptApproval';
  if (q.resource_code !== e.resource_code) return 'otherResource';
  if (q.decision !== 'approved' || e.ts! < q.valid_from!) return 'beforeApproval';
  if (e.ts! > q.valid_until!) return 'afterExpiry';
  const approved = new Set(q.approved_items!.split(';'));
  if (e.items!.split(';').some((i) => !approved.has(i))) return 'beyondScope';
  return bulkNight ? 'bulkNight' : 'ok';
}

describe('demo inbox invariants', () => {
  it('plants exactly the reported misconduct and nothing else', () => {
    const catalog = new Map(tables.catalog_snapshot!.map((r) => [r.resource_code!, r]));
    const requests = new Map(tables.share_requests!.map((r) => [r.request_id!, r]));
    const counts: Record<string, number> = {};
    for (const e of tables.access_log!) {
      const kind = classify(e, catalog, requests);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    const { ok, ...bad } = counts;
    expect(bad).toEqual(summary.misuse);
    expect(summary.misuse).toEqual({
      beforeApproval: 4,
      afterExpiry: 11,
      otherDeptApproval: 3,
      beyondScope: 4,
      noApproval: 4,
      bulkNight: 3,
      denied: 2,
    });
    expect(ok).toBe(3953);
  });

  it('reads only mounted, published, shareable resources', () => {
    const catalog = new Map(tables.catalog_snapshot!.map((r) => [r.resource_code!, r]));
    const reads = tables.access_log!.map((e) => catalog.get(e.resource_code!)!);
    expect(reads.filter((r) => r.mounted !== '是' || r.status !== 'published')).toEqual([]);
    expect(reads.filter((r) => r.share_type === '不予共享')).toEqual([]);
    const supplied = tables.supply_batches!.map((b) => catalog.get(b.resource_code!)!);
    expect(supplied.filter((r) => r.mounted !== '是')).toEqual([]);
  });

  it('answers requests consistently: approved items within requested items, pending ones unanswered', () => {
    const items = new Map(tables.catalog_snapshot!.map((r) => [r.resource_code!, r.data_items!.split(';')]));
    const requests = tables.share_requests!;
    for (const q of requests) {
      const requested = q.requested_items!.split(';');
      expect(requested.every((i) => items.get(q.resource_code!)!.includes(i))).toBe(true);
      if (q.decision === 'approved') {
        expect(q.approved_items!.split(';').every((i) => requested.includes(i))).toBe(true);
        expect(q.valid_from).toBe(q.responded_at);
        expect(q.valid_until! > q.valid_from!).toBe(true);
      }
      if (q.responded_at) expect(q.responded_at > q.submitted_at!).toBe(true);
    }
    const pending = requests.filter((q) => q.decision === 'pending');
    expect(pending.length).toBe(summary.pendingRequests);
    expect(pending.every((q) => q.responded_at === '')).toBe(true);
  });

  it('makes the worst departments answer late more often than the rest', () => {
    const worst = new Set(summary.worstDepartments);
    const late = (rows: Row[]) =>
      rows.filter((q) => !q.responded_at || q.responded_at.slice(0, 10) > deadlineOrEnd(q.submitted_at!))
        .length / rows.length;
    const requests: Row[] = tables.verification_requests!.map((v) => ({ ...v, submitted_at: v.raised_at! }));
    const bad = requests.filter((v) => worst.has(v.provider_dept!));
    const good = requests.filter((v) => !worst.has(v.provider_dept!));
    expect(late(bad)).toBeGreaterThan(2 * late(good));
  });

  it('writes valid check characters in the samples except the planted bad rows', () => {
    const [population, enterprise, taxpayers] = summary.files
      .filter((f) => f.startsWith('data_sample_'))
      .map((f) => readCsv(path.join(dir, f)).rows);
    const badIds = population!.filter((r) => !validId(r.公民身份号码!));
    expect(badIds).toHaveLength(3);
    expect(enterprise!.filter((r) => !validUscc(r.统一社会信用代码!))).toHaveLength(2);
    const byCode = new Map(enterprise!.map((r) => [r.统一社会信用代码!, r]));
    const conflicts = taxpayers!.filter((t) => {
      const e = byCode.get(t.统一社会信用代码!)!;
      return e.法定代表人 !== t.法定代表人 || e.企业名称 !== t.企业名称;
    });
    expect(conflicts).toHaveLength(4);
  });
});

function deadlineOrEnd(ts: string): string {
  const start = ts.slice(0, 10);
  return start > '2026-12-17' ? '2026-12-31' : cal.deadline(start, 5);
}

function validId(id: string): boolean {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...id.slice(0, 17)].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return /^\d{17}[\dX]$/.test(id) && '10X98765432'[sum % 11] === id[17];
}

function validUscc(code: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...code.slice(0, 17)].reduce((s, c, i) => s + chars.indexOf(c) * w[i]!, 0);
  return code.length === 18 && chars[(31 - (sum % 31)) % 31] === code[17];
}
