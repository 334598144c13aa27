// Sampled rows of a few resources' own data (data_sample_<code>.csv): identity numbers with valid GB 11643
// and GB 32100 check characters except in a few planted bad rows, and a second provider's sample of the same
// enterprises with a few conflicting values, so that the conformance and 一数一源 checks find something.
import { addDays } from '../metrics/calendar.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import { personName, type Resource } from './demo-data-world.ts';

type Subject = Record<string, string>;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const REGIONS = ['610102', '610103', '610104', '610111', '610112', '610113'];
const DISTRICT_NAMES = ['东湖区', '西山区', '南城区', '北塔区', '高新区'];
const FIRM_WORDS = [
  '华信',
  '恒通',
  '宏达',
  '瑞丰',
  '鑫源',
  '博远',
  '嘉禾',
  '天成',
  '康泰',
  '明德',
  '正和',
  '金穗',
];
const TRADES = ['科技', '贸易', '物流', '建设', '食品', '医药', '信息技术', '环保', '商贸', '农业开发'];

/** GB 11643-1999 check character of the first 17 digits of a citizen identity number. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return '10X98765432'[sum % 11]!;
}

/** GB 32100-2015 check character of the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** GB 11714 check character of an 8-digit organization code body. */
function orgCheckChar(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function address(rng: Rng): string {
  return `示范市${rng.pick(DISTRICT_NAMES)}${rng.pick(['人民', '解放', '建设', '文化', '长安'])}路${rng.int(1, 300)}号`;
}

function person(rng: Rng): Subject {
  const region = rng.pick(REGIONS);
  const birth = addDays('1950-01-01', rng.int(0, 21_900));
  const seq = String(rng.int(1, 999)).padStart(3, '0');
  const body = `${region}${birth.replace(/-/g, '')}${seq}`;
  return {
    公民身份号码: body + idCheckChar(body),
    姓名: personName(rng),
    性别: Number(seq) % 2 === 1 ? '男' : '女',
    民族: rng.pick(['汉族', '汉族', '汉族', '汉族', '回族', '满族', '蒙古族']),
    出生日期: birth,
    户籍地址: address(rng),
    行政区划代码: region,
  };
}

function company(rng: Rng): Subject {
  const org = String(rng.int(10_000_000, 99_999_999));
  const body = `91${rng.pick(REGIONS)}${org}${orgCheckChar(org)}`;
  const founded = addDays('1995-01-01', rng.int(0, 11_000));
  return {
    统一社会信用代码: body + usccCheckChar(body),
    企业名称: `示范${rng.pick(FIRM_WORDS)}${rng.pick(TRADES)}有限公司`,
    法定代表人: personName(rng),
    注册资本: `${rng.int(10, 5000)}万元`,
    成立日期: founded,
    登记日期: founded,
    住所: address(rng),
    登记状态: rng.chance(0.9) ? '存续' : rng.pick(['注销', '吊销']),
    主管税务机关: `国家税务总局示范市${rng.pick(DISTRICT_NAMES)}税务局`,
    纳税人状态: rng.chance(0.92) ? '正常' : '非正常',
  };
}

/** Replaces the check character with another, valid-looking but wrong, one. */
function breakCheck(code: string, alphabet: string): string {
  const last = code.slice(-1);
  return code.slice(0, -1) + alphabet[(alphabet.indexOf(last) + 1) % alphabet.length];
}

export interface SampleFile {
  resource: Resource;
  header: string[];
  lines: string[];
  defects: number;
}

function sampleFile(resource: Resource, rows: Subject[], defects: number): SampleFile {
  const lines = rows.map((row) => csvLine(resource.items.map((item) => row[item] ?? '')));
  return { resource, header: resource.items, lines, defects };
}

export function generateSamples(rng: Rng, resources: Resource[]): SampleFile[] {
  const find = (name: string) => resources.find((r) => r.name === name && r.status === 'published');
  const out: SampleFile[] = [];
  const population = find('人口基本信息');
  if (population) {
    const rows = Array.from({ length: 60 }, () => person(rng));
    for (const i of [5, 17, 33]) rows[i]!.公民身份号码 = breakCheck(rows[i]!.公民身份号码!, '0123456789X');
    Object.assign(rows[22]!, { 出生日期: '2019-02-29' });
    Object.assign(rows[41]!, { 姓名: '' });
    Object.assign(rows[50]!, { 行政区划代码: '619999' });
    out.push(sampleFile(population, rows, 6));
  }
  const enterprise = find('企业登记信息');
  if (!enterprise) return out;
  const firms = Array.from({ length: 60 }, () => company(rng));
  const bad = new Set([8, 29, 36, 44]);
  const clean = firms.filter((_, i) => !bad.has(i)).map((f) => ({ ...f }));
  for (const i of [8, 29]) firms[i]!.统一社会信用代码 = breakCheck(firms[i]!.统一社会信用代码!, USCC_CHARS);
  Object.assign(firms[36]!, { 成立日期: '2018-02-30' });
  Object.assign(firms[44]!, { 法定代表人: '' });
  out.push(sampleFile(enterprise, firms, 4));
  const taxpayers = find('纳税人登记信息');
  if (!taxpayers) return out;
  const overlap = rng.shuffle(clean).slice(0, 40);
  for (const i of [3, 12, 25]) {
    const before = overlap[i]!.法定代表人;
    while (overlap[i]!.法定代表人 === before) overlap[i]!.法定代表人 = personName(rng);
  }
  overlap[19]!.企业名称 = overlap[19]!.企业名称!.replace('有限公司', '有限责任公司');
  out.push(sampleFile(taxpayers, overlap, 4));
  return out;
}
