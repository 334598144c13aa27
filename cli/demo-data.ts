// Writes a realistic year of sharing-platform records for the fictional city 示范市 into an inbox folder, as
// canonical CSV files (DATA-CONTRACT.md), for demos, benchmarks and end-to-end tests. Byte-identical for a
// seed: each stage draws from its own seeded stream and nothing reads the clock, Math.random or the time zone.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendarSource } from '../config/calendar-files.ts';
import { AppError } from '../config/errors.ts';
import { WorkCalendar } from '../metrics/calendar.ts';
import { buildStreams, writeAccessLogs } from './demo-data-access.ts';
import { generateCatalogChanges } from './demo-data-catalog.ts';
import { writeCsv, type WrittenFile } from './demo-data-csv.ts';
import { plantMisuse, type MisuseCounts } from './demo-data-misuse.ts';
import { stageRng } from './demo-data-random.ts';
import { ApprovalIndex, generateRequests, requestLine, type ShareRequest } from './demo-data-requests.ts';
import { generateSamples } from './demo-data-samples.ts';
import { generateQualityChecks, generateSupply } from './demo-data-supply.ts';
import { generateVerifications } from './demo-data-verification.ts';
import {
  buildCatalog,
  buildDepartments,
  departmentLines,
  snapshotLines,
  type World,
} from './demo-data-world.ts';
import { DAY, buildYear, type DemoYear } from './demo-data-year.ts';

export interface DemoOptions {
  seed: number;
  year: number;
  /** Number of departments (default 40; beyond 40 they are district-level copies). */
  departments?: number;
  /** Multiplies the big volumes: share requests (3,000) and access events (400,000). */
  scale?: number;
}

export interface DemoSummary {
  files: string[];
  bytes: number;
  departments: number;
  resources: number;
  conditionalResources: number;
  requests: number;
  /** Requests still unanswered at the year's end. */
  pendingRequests: number;
  /** Requests answered more than 10 working days after receipt. */
  lateAnswers: number;
  rejectedWithoutReason: number;
  accessEvents: number;
  /** Planted misconduct events in the access logs, by kind. */
  misuse: MisuseCounts;
  changeEvents: number;
  /** Change events whose first catalog change came after 15 working days, or not in the year. */
  changeEventsLate: number;
  changeEventsUnanswered: number;
  catalogChanges: number;
  supplyBatches: number;
  supplyExemptions: number;
  verificationRequests: number;
  qualityChecks: number;
  sampleRows: number;
  /** The departments made clearly worse than the rest, and those behind most misuse. */
  worstDepartments: string[];
  misuseDepartments: string[];
  /** The one file written in GBK, as real exports often are. */
  gbkFile: string;
}

const CALENDAR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'config', 'calendars');
const GBK_MONTH = 3;

function checkOptions(options: DemoOptions): { departments: number; scale: number } {
  const departments = options.departments ?? 40;
  const scale = options.scale ?? 1;
  const bad = (what: string) => new AppError('demo_invalid_option', `演示数据参数无效：${what}`);
  if (!Number.isSafeInteger(options.seed)) throw bad(`seed 应为整数，实际为 ${options.seed}`);
  if (!Number.isInteger(options.year)) throw bad(`year 应为整数年份，实际为 ${options.year}`);
  if (!Number.isInteger(departments) || departments < 2 || departments > 200) {
    throw bad(`departments 应为 2 到 200 之间的整数，实际为 ${departments}`);
  }
  if (!(scale > 0 && scale <= 10)) throw bad(`scale 应大于 0 且不超过 10，实际为 ${scale}`);
  return { departments, scale };
}

function buildWorld(seed: number, y: DemoYear, departments: number): World {
  const rng = stageRng(seed, 'world');
  const depts = buildDepartments(rng, departments);
  const resources = buildCatalog(rng, y, depts);
  const byDiligence = [...depts].sort((a, b) => a.diligence - b.diligence);
  const worst = byDiligence.slice(0, Math.max(1, Math.round(departments * 0.1)));
  return { y, depts, resources, worst, misusers: depts.filter((d) => d.misuser) };
}

function requestStats(y: DemoYear, requests: ShareRequest[]) {
  const late = requests.filter((q) => {
    if (q.responded === null) return false;
    const from = y.workdaysUpTo[Math.floor(q.submitted / DAY) + 1]!;
    return y.workdaysUpTo[Math.floor(q.responded / DAY) + 1]! - from > 10;
  });
  return {
    pendingRequests: requests.filter((q) => q.decision === 'pending').length,
    lateAnswers: late.length,
    rejectedWithoutReason: requests.filter((q) => q.decision === 'rejected' && !q.reason).length,
  };
}

async function writeRequests(dir: string, y: DemoYear, requests: ShareRequest[]): Promise<WrittenFile[]> {
  const files: WrittenFile[] = [];
  for (let month = 1; month <= 12; month++) {
    const mm = String(month).padStart(2, '0');
    const lines = requests.filter((q) => y.dates[Math.floor(q.submitted / DAY)]!.slice(5, 7) === mm);
    const name = `share_requests_${y.year}-${mm}.csv`;
    const encoding = month === GBK_MONTH ? 'gbk' : 'utf8';
    files.push(
      await writeCsv(
        dir,
        name,
        'share_requests',
        lines.map((q) => requestLine(y, q)),
        encoding,
      ),
    );
  }
  return files;
}

/** Writes the demo inbox into dir (created if needed; files of the same names are replaced). */
export async function writeDemoInbox(dir: string, options: DemoOptions): Promise<DemoSummary> {
  const { departments, scale } = checkOptions(options);
  const { seed, year } = options;
  const y = buildYear(new WorkCalendar(loadCalendarSource(CALENDAR_DIR), CALENDAR_DIR), year);
  const world = buildWorld(seed, y, departments);
  await mkdir(dir, { recursive: true });
  const written: WrittenFile[] = [];
  const put = async (name: string, kind: Parameters<typeof writeCsv>[2], lines: string[]) => {
    const file = await writeCsv(dir, name, kind, lines);
    written.push(file);
    return file;
  };
  await put('departments.csv', 'departments', departmentLines(world.depts));
  await put(`catalog_snapshot_${year}0101.csv`, 'catalog_snapshot', snapshotLines(y, world.resources));
  const catalog = generateCatalogChanges(stageRng(seed, 'catalog'), world);
  await put(`catalog_changes_${year}.csv`, 'catalog_changes', catalog.changeLines);
  await put(`change_events_${year}.csv`, 'change_events', catalog.eventLines);

  const requests = generateRequests(stageRng(seed, 'requests'), world, Math.round(3000 * scale));
  written.push(...(await writeRequests(dir, y, requests)));
  const supply = generateSupply(stageRng(seed, 'supply'), world);
  await put(`supply_batches_${year}.csv`, 'supply_batches', supply.batchLines);
  await put(`supply_exemptions_${year}.csv`, 'supply_exemptions', supply.exemptionLines);

  const streams = buildStreams(stageRng(seed, 'streams'), world, requests);
  const index = new ApprovalIndex(requests);
  const misuse = plantMisuse(stageRng(seed, 'misuse'), world, requests, index, streams, scale);
  const total = Math.round(400_000 * scale);
  written.push(
    ...(await writeAccessLogs(dir, stageRng(seed, 'access'), world, streams, misuse.events, total)),
  );

  const verification = generateVerifications(stageRng(seed, 'verification'), world, 300);
  await put(`verification_requests_${year}.csv`, 'verification_requests', verification.lines);
  await put(
    `quality_checks_${year}.csv`,
    'quality_checks',
    generateQualityChecks(stageRng(seed, 'quality'), world),
  );
  for (const sample of generateSamples(stageRng(seed, 'samples'), world.resources)) {
    await put(`data_sample_${sample.resource.code}.csv`, sample.header, sample.lines);
  }
  return summarize(world, written, { requests, misuse: misuse.counts, catalog, verification });
}

function summarize(
  world: World,
  written: WrittenFile[],
  parts: {
    requests: ShareRequest[];
    misuse: MisuseCounts;
    catalog: ReturnType<typeof generateCatalogChanges>;
    verification: ReturnType<typeof generateVerifications>;
  },
): DemoSummary {
  const rows = (prefix: string) =>
    written.filter((f) => f.name.startsWith(prefix)).reduce((sum, f) => sum + f.rows, 0);
  const { catalog } = parts;
  return {
    files: written.map((f) => f.name).sort(),
    bytes: written.reduce((sum, f) => sum + f.bytes, 0),
    departments: world.depts.length,
    resources: world.resources.length,
    conditionalResources: world.resources.filter((r) => r.shareType === 'conditional').length,
    requests: parts.requests.length,
    ...requestStats(world.y, parts.requests),
    accessEvents: rows('access_log_'),
    misuse: parts.misuse,
    changeEvents: catalog.eventLines.length,
    changeEventsLate: catalog.eventsLate,
    changeEventsUnanswered: catalog.eventsUnanswered,
    catalogChanges: catalog.changeLines.length,
    supplyBatches: rows('supply_batches_'),
    supplyExemptions: rows('supply_exemptions_'),
    verificationRequests: parts.verification.lines.length,
    qualityChecks: rows('quality_checks_'),
    sampleRows: rows('data_sample_'),
    worstDepartments: world.worst.map((d) => d.code),
    misuseDepartments: world.misusers.map((d) => d.code),
    gbkFile: `share_requests_${world.y.year}-${String(GBK_MONTH).padStart(2, '0')}.csv`,
  };
}
