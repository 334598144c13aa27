// Supply batches per resource at its declared update cycle, filed exemptions (报备), and the platform's own
// monthly quality checks. Daily and real-time resources deliver every calendar day (pipelines do not stop
// at weekends); an exempt period has no deliveries, while sloppy providers also miss unexempted windows.
import { addDays } from '../metrics/calendar.ts';
import { EXEMPTION_REASONS } from './demo-data-names.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import { lastLiveDay, type Resource, type World } from './demo-data-world.ts';
import { DAY, randomWorkday, stamp, type DemoYear } from './demo-data-year.ts';

interface Batch {
  t: number;
  resource: Resource;
  rows: number;
  ok: boolean;
}

interface Exemption {
  resource: Resource;
  from: number;
  to: number;
  reason: string;
}

// prettier-ignore
const SHARE_OF_SIZE: Record<string, number> = {
  实时: 0.004, 每日: 0.004, 每周: 0.03, 每月: 0.1, 每季度: 0.3, 每半年: 0.5, 每年: 1, 不定期: 0.2,
};

/** The day each delivery window of the year is due, by update cycle. */
function windowDays(rng: Rng, y: DemoYear, cycle: string): number[] {
  const all = y.dates.map((_, i) => i);
  const starts = (months: number[], spread: number) =>
    months.map((m) => y.monthStart[m]! + rng.int(0, spread));
  switch (cycle) {
    case '实时':
    case '每日':
      return all;
    case '每周':
      return all.filter((d) => new Date(`${y.dates[d]}T00:00:00Z`).getUTCDay() === 1);
    case '每月':
      return starts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 4);
    case '每季度':
      return starts([0, 3, 6, 9], 9);
    case '每半年':
      return starts([0, 6], 9);
    case '每年':
      return starts([0], 30);
    default:
      return rng.subset(all, rng.int(2, 6));
  }
}

/** An outage run for some sloppy daily providers: days with nothing delivered and nothing filed. */
function outage(rng: Rng, r: Resource, days: number): [number, number] {
  if (!['实时', '每日'].includes(r.cycle) || !rng.chance((1 - r.dept.diligence) * 0.6)) return [1, 0];
  const from = rng.int(0, days - 20);
  return [from, from + rng.int(3, 15)];
}

function resourceBatches(rng: Rng, y: DemoYear, r: Resource, exempt: Exemption | undefined): Batch[] {
  const last = lastLiveDay(r, y);
  const sloppy = 1 - r.dept.diligence;
  const [downFrom, downTo] = outage(rng, r, y.dates.length);
  const out: Batch[] = [];
  for (const day of windowDays(rng, y, r.cycle)) {
    if (day > last || (day >= downFrom && day <= downTo) || rng.chance(0.003 + sloppy * 0.06)) continue;
    if (exempt && day >= exempt.from && day <= exempt.to) continue;
    const t = day * DAY + rng.int(3600, 5 * 3600 - 1);
    const rows = Math.max(1, Math.round(r.size * SHARE_OF_SIZE[r.cycle]! * (0.7 + rng.next() * 0.6)));
    if (!rng.chance(0.005 + sloppy * 0.03)) {
      out.push({ t, resource: r, rows, ok: true });
      continue;
    }
    out.push({ t, resource: r, rows: 0, ok: false });
    if (rng.chance(0.5)) out.push({ t: t + rng.int(2, 5) * 3600, resource: r, rows, ok: true });
  }
  return out;
}

function pickExemptions(rng: Rng, world: World): Exemption[] {
  const { y } = world;
  const eligible = world.resources.filter(
    (r) => ['每日', '每周', '每月'].includes(r.cycle) && lastLiveDay(r, y) === y.dates.length - 1,
  );
  const chosen = rng.subset(eligible, Math.max(1, Math.round(world.resources.length * 0.04)));
  return chosen.map((resource) => {
    const from = randomWorkday(y, rng, 10, y.dates.length - 60)!;
    const to = from + (resource.cycle === '每月' ? rng.int(28, 45) : rng.int(6, 27));
    return { resource, from, to, reason: rng.pick(EXEMPTION_REASONS) };
  });
}

export function generateSupply(rng: Rng, world: World): { batchLines: string[]; exemptionLines: string[] } {
  const { y } = world;
  const exemptions = pickExemptions(rng, world);
  const batches: Batch[] = [];
  for (const r of world.resources) {
    if (lastLiveDay(r, y) < 0) continue;
    batches.push(
      ...resourceBatches(
        rng,
        y,
        r,
        exemptions.find((e) => e.resource === r),
      ),
    );
  }
  batches.sort((a, b) => a.t - b.t || (a.resource.code < b.resource.code ? -1 : 1));
  const batchLines = batches.map((b, i) =>
    csvLine([
      `B${String(i + 1).padStart(7, '0')}`,
      b.resource.code,
      b.resource.dept.code,
      stamp(y, b.t),
      b.rows,
      b.ok ? 'ok' : 'failed',
    ]),
  );
  const exemptionLines = exemptions.map((e) =>
    csvLine([e.resource.code, e.resource.dept.code, y.dates[e.from]!, addDays(y.dates[0]!, e.to), e.reason]),
  );
  return { batchLines, exemptionLines };
}

const DIMENSIONS: Array<{ name: string; rate: number; rule: (r: Resource) => string }> = [
  { name: '规范性', rate: 0.002, rule: normativeRule },
  { name: '完整性', rate: 0.004, rule: (r) => `${r.items[1] ?? r.items[0]}非空` },
  { name: '准确性', rate: 0.001, rule: () => '取值范围校验' },
  { name: '一致性', rate: 0.003, rule: () => '与基础库比对一致' },
  { name: '时效性', rate: 0.002, rule: (r) => `按${r.cycle}周期更新` },
  { name: '可访问性', rate: 0.0005, rule: () => '共享接口可用性探测' },
];

function normativeRule(r: Resource): string {
  if (r.items.includes('统一社会信用代码')) return '统一社会信用代码校验';
  if (r.items.some((i) => i.endsWith('公民身份号码'))) return '公民身份号码校验';
  return '日期格式校验';
}

/** One check per live resource, month and GB/T 36344 dimension, at 23:00 on the month's last day. */
export function generateQualityChecks(rng: Rng, world: World): string[] {
  const { y } = world;
  const lines: string[] = [];
  for (let month = 0; month < 12; month++) {
    const lastDay = y.monthStart[month + 1]! - 1;
    for (const r of world.resources) {
      if (lastLiveDay(r, y) < lastDay) continue;
      const checked = Math.round(r.size * (1 + month * 0.01));
      const sloppy = 1 - r.dept.diligence;
      const t = lastDay * DAY + 23 * 3600 + rng.int(0, 50) * 60;
      for (const dim of DIMENSIONS) {
        const clean = rng.chance(0.5 * r.dept.diligence);
        const failed = clean ? 0 : Math.round(checked * dim.rate * (0.3 + sloppy * 6) * rng.logNormal(0.8));
        const id = `QC${String(lines.length + 1).padStart(6, '0')}`;
        lines.push(
          csvLine([
            id,
            r.code,
            r.dept.code,
            stamp(y, t),
            dim.name,
            dim.rule(r),
            checked,
            Math.min(checked, failed),
          ]),
        );
      }
    }
  }
  return lines;
}
