// The demo city's departments and catalog, and the traits that drive every later stage: a department's
// diligence (0 to 1) sets how late, sloppy and incomplete it is everywhere, so that a few departments are
// clearly worse than the rest and the ranking has something to show.
import { addDays } from '../metrics/calendar.ts';
import {
  DEPT_TEMPLATES,
  DISTRICTS,
  GIVEN,
  SHARE_CONDITIONS,
  SURNAMES,
  USAGE_REQUIREMENTS,
} from './demo-data-names.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import { clockTime, officeSecond, randomWorkday, type DemoYear } from './demo-data-year.ts';

export type ShareType = 'unconditional' | 'conditional' | 'none';

export interface Dept {
  code: string;
  num: number;
  name: string;
  level: 'city' | 'county';
  parent: string;
  contact: string;
  diligence: number;
  misuser: boolean;
  /** How much the department requests and reads shared data. */
  activity: number;
  users: number;
  law: string;
  purposes: string[];
}

export interface Resource {
  code: string;
  name: string;
  dept: Dept;
  category: string;
  baseKind: string;
  shareType: ShareType;
  cycle: string;
  items: string[];
  condition: string;
  legalBasis: string;
  usage: string;
  contact: string;
  method: string;
  openType: string;
  format: string;
  mounted: boolean;
  status: 'published' | 'withdrawn';
  publishedOn: string;
  updatedAt: string;
  /** Rows held; sizes supply batches and quality checks. */
  size: number;
  /** Weight for how often it is requested and read. */
  popularity: number;
  /** Day of the year on which the provider withdraws it, if it does. */
  withdrawnDay: number | null;
}

export interface World {
  y: DemoYear;
  depts: Dept[];
  resources: Resource[];
  worst: Dept[];
  misusers: Dept[];
}

export const SHARE_TYPE_ZH: Record<ShareType, string> = {
  unconditional: '无条件共享',
  conditional: '有条件共享',
  none: '不予共享',
};

const CYCLES = ['实时', '每日', '每周', '每月', '每季度', '每半年', '每年', '不定期'];
const CYCLE_WEIGHTS = [8, 35, 12, 25, 10, 3, 5, 2];
const NUMERALS = '〇一二三四五六七八九';

export function personName(rng: Rng): string {
  const given = rng.pick([...GIVEN]) + (rng.chance(0.6) ? rng.pick([...GIVEN]) : '');
  return rng.pick([...SURNAMES]) + given;
}

export function chineseNumber(n: number): string {
  if (n < 10) return NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? NUMERALS[tens] : ''}十${n % 10 ? NUMERALS[n % 10] : ''}`;
}

/** Diligence per department: a few clearly bad, some weak, the rest good. */
function diligences(rng: Rng, n: number): number[] {
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const worst = Math.max(1, Math.round(n * 0.1));
  const weak = Math.round(n * 0.15);
  const out = new Array<number>(n);
  order.forEach((dept, rank) => {
    if (rank < worst) out[dept] = 0.15 + rng.next() * 0.25;
    else if (rank < worst + weak) out[dept] = 0.55 + rng.next() * 0.2;
    else out[dept] = 0.8 + rng.next() * 0.18;
  });
  return out;
}

export function buildDepartments(rng: Rng, count: number): Dept[] {
  const dil = diligences(rng, count);
  const misusers = new Set(rng.subset([...Array(count).keys()], Math.max(1, Math.round(count * 0.075))));
  return Array.from({ length: count }, (_, i) => {
    const tpl = DEPT_TEMPLATES[i % DEPT_TEMPLATES.length]!;
    const city = i < DEPT_TEMPLATES.length;
    const district = city ? '' : DISTRICTS[(Math.floor(i / DEPT_TEMPLATES.length) - 1) % DISTRICTS.length];
    const activity = rng.logNormal(0.5) * (i % DEPT_TEMPLATES.length < 12 ? 1.6 : 1);
    return {
      code: deptCode(i + 1),
      num: i + 1,
      name: city ? `示范市${tpl.name}` : `示范市${district}${tpl.name}`,
      level: city ? 'city' : 'county',
      parent: city ? '' : deptCode((i % DEPT_TEMPLATES.length) + 1),
      contact: personName(rng),
      diligence: dil[i]!,
      misuser: misusers.has(i),
      activity,
      users: Math.min(30, 3 + Math.floor(activity * 4)),
      law: tpl.law,
      purposes: tpl.purposes,
    };
  });
}

function deptCode(num: number): string {
  return `D${String(num).padStart(2, '0')}`;
}

function expandItems(items: string): string[] {
  return items.replace('$P', '公民身份号码;姓名').replace('$E', '统一社会信用代码;企业名称').split(';');
}

function shareTypeOf(rng: Rng, baseKind: string, items: string[], dept: Dept): ShareType {
  if (baseKind) return rng.chance(0.15 + (1 - dept.diligence) * 0.4) ? 'conditional' : 'unconditional';
  if (items.some((i) => i.endsWith('公民身份号码') || i === '证件号码')) {
    return rng.chance(0.85) ? 'conditional' : 'unconditional';
  }
  const r = rng.next();
  return r < 0.3 ? 'conditional' : r < 0.97 ? 'unconditional' : 'none';
}

export function buildCatalog(rng: Rng, y: DemoYear, depts: Dept[]): Resource[] {
  const resources: Resource[] = [];
  for (const dept of depts) {
    const tpl = DEPT_TEMPLATES[(dept.num - 1) % DEPT_TEMPLATES.length]!;
    const prefix = dept.level === 'county' ? dept.name.slice(3, 6) : '';
    for (const [i, spec] of tpl.resources.entries()) {
      const [rawName, baseKind, rawItems] = spec.split('|') as [string, string, string];
      const code = `R${String(resources.length + 1).padStart(4, '0')}`;
      const name = prefix + rawName.replace('!', '');
      resources.push(
        buildResource(rng, y, {
          dept,
          code,
          name,
          baseKind,
          rawItems,
          none: rawName.startsWith('!'),
          tail: i >= 2,
        }),
      );
    }
  }
  return resources;
}

interface ResourceSpec {
  dept: Dept;
  code: string;
  name: string;
  baseKind: string;
  rawItems: string;
  none: boolean;
  /** Not among the department's first two resources: only these are ever withdrawn. */
  tail: boolean;
}

function formatOf(rng: Rng, baseKind: string, sloppy: number): string {
  if (rng.chance(0.01 + sloppy * 0.1)) return '';
  if (baseKind === '自然资源和空间地理' && rng.chance(0.5)) return '图形图像';
  return rng.pick(['表格', '表格', '数据库']);
}

function buildResource(rng: Rng, y: DemoYear, spec: ResourceSpec): Resource {
  const { dept, code, name, baseKind, rawItems, none, tail } = spec;
  const items = expandItems(rawItems);
  const sloppy = 1 - dept.diligence;
  const shareType = none ? 'none' : shareTypeOf(rng, baseKind, items, dept);
  const restricted = shareType !== 'unconditional';
  const withdrawn = tail && rng.chance(0.03);
  const updatedDay = -(sloppy > 0.5 ? rng.int(200, 900) : rng.int(1, 120));
  const updatedDate = addDays(y.dates[0]!, updatedDay);
  const personal = items.some((i) => i.endsWith('公民身份号码'));
  return {
    code,
    name,
    dept,
    category: baseKind ? '基础' : rng.chance(0.25) ? '主题' : '部门',
    baseKind,
    shareType,
    cycle: CYCLES[rng.weighted(CYCLE_WEIGHTS)]!,
    items,
    condition: shareType === 'conditional' && !rng.chance(sloppy * 0.2) ? rng.pick(SHARE_CONDITIONS) : '',
    legalBasis:
      restricted && !rng.chance(0.04 + sloppy * 0.5) ? `${dept.law}第${chineseNumber(rng.int(2, 20))}条` : '',
    usage: rng.chance(0.03 + sloppy * 0.3) ? '' : rng.pick(USAGE_REQUIREMENTS),
    contact: rng.chance(0.03 + sloppy * 0.3) ? '' : personName(rng),
    method: rng.chance(0.7) ? 'api' : 'file',
    openType: restricted || personal || rng.chance(0.6) ? 'none' : rng.pick(['conditional', 'unconditional']),
    format: formatOf(rng, baseKind, sloppy),
    mounted: !withdrawn && !rng.chance(0.03 + sloppy * 0.35),
    status: withdrawn ? 'withdrawn' : 'published',
    publishedOn: addDays(updatedDate, -rng.int(0, 1500)),
    updatedAt: `${updatedDate} ${clockTime(officeSecond(rng))}`,
    size: Math.round((baseKind ? 200_000 : personal ? 30_000 : 5_000) * rng.logNormal(1)),
    popularity: (baseKind ? 6 : personal ? 2.5 : 1) * rng.logNormal(0.6),
    withdrawnDay:
      !withdrawn && tail && !baseKind && rng.chance(0.04)
        ? randomWorkday(y, rng, 60, y.dates.length - 30)
        : null,
  };
}

/** Live on a day: published, mounted and not yet withdrawn. */
export function liveOn(r: Resource, day: number): boolean {
  return r.status === 'published' && r.mounted && (r.withdrawnDay === null || day < r.withdrawnDay);
}

/** The last day the resource is live (inclusive), or -1. */
export function lastLiveDay(r: Resource, y: DemoYear): number {
  if (r.status !== 'published' || !r.mounted) return -1;
  return (r.withdrawnDay ?? y.dates.length) - 1;
}

export function departmentLines(depts: Dept[]): string[] {
  return depts.map((d) =>
    csvLine([d.code, d.name, d.level, d.parent, `${d.code.toLowerCase()}@demo.gov.cn`, d.contact]),
  );
}

export function snapshotLines(y: DemoYear, resources: Resource[]): string[] {
  const date = y.dates[0]!;
  return resources.map((r) => snapshotLine(date, r));
}

function snapshotLine(date: string, r: Resource): string {
  // prettier-ignore
  return csvLine([
    date, r.code, r.name, r.dept.code, r.category, r.baseKind, SHARE_TYPE_ZH[r.shareType], r.condition,
    r.legalBasis, r.method, r.openType, r.cycle, r.format, r.items.join(';'), r.usage, r.contact,
    r.publishedOn, r.updatedAt, r.mounted ? '是' : '否', r.status,
  ]);
}
