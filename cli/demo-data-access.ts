// Access logs: proper reads come from "streams" (a consumer holding an approval for a conditional resource
// while it is valid, or reading an unconditional one), with volumes spread over working days in proportion
// to each stream's weight. Files are produced one month at a time so memory stays flat at 500k events.
import { csvLine, writeCsv, type WrittenFile } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import type { ShareRequest } from './demo-data-requests.ts';
import { lastLiveDay, type Dept, type Resource, type World } from './demo-data-world.ts';
import { DAY, officeSecond, randomWorkday, stamp, workdaysIn, type DemoYear } from './demo-data-year.ts';

export interface AccessEvent {
  t: number;
  consumer: Dept;
  user: number;
  resource: Resource;
  operation: string;
  records: number;
  items: string;
  approval: string;
  result: 'ok' | 'denied' | 'error';
}

export interface Stream {
  consumer: Dept;
  resource: Resource;
  approval: ShareRequest | null;
  items: string[];
  users: number[];
  /** First and last day (inclusive) of proper use. */
  from: number;
  to: number;
  weight: number;
  profile: number;
  rate: number;
}

const PROFILES: Array<{ ops: string[]; weights: number[] }> = [
  { ops: ['api', 'compare', 'query'], weights: [70, 20, 10] },
  { ops: ['query', 'compare', 'api', 'download', 'analysis'], weights: [60, 15, 10, 10, 5] },
  { ops: ['analysis', 'download', 'query'], weights: [40, 30, 30] },
];

function newStream(rng: Rng, consumer: Dept, resource: Resource, approval: ShareRequest | null): Stream {
  const users = rng.subset([...Array(consumer.users).keys()], rng.int(1, Math.min(4, consumer.users)));
  return {
    consumer,
    resource,
    approval,
    items: approval ? approval.approved : resource.items,
    users,
    from: 0,
    to: -1,
    weight: resource.popularity * consumer.activity * rng.logNormal(1),
    profile: rng.weighted([55, 35, 10]),
    rate: 0,
  };
}

export function buildStreams(rng: Rng, world: World, requests: ShareRequest[]): Stream[] {
  const { y, depts } = world;
  const streams: Stream[] = [];
  for (const q of requests) {
    if (q.decision !== 'approved') continue;
    const s = newStream(rng, q.requester, q.resource, q);
    s.from = Math.floor(q.responded! / DAY) + 1;
    s.to = Math.min(q.untilDay, lastLiveDay(q.resource, y));
    if (s.from <= s.to) streams.push(s);
  }
  for (const r of world.resources) {
    if (r.shareType !== 'unconditional' || lastLiveDay(r, y) < 0) continue;
    const consumers = depts.filter((d) => d !== r.dept);
    const n = Math.min(consumers.length, 1 + Math.floor(r.popularity * 1.5));
    for (const consumer of rng.subset(consumers, n)) {
      const s = newStream(rng, consumer, r, null);
      s.to = lastLiveDay(r, y);
      s.weight *= 1.5;
      streams.push(s);
    }
  }
  return streams;
}

function setRates(y: DemoYear, streams: Stream[], total: number): void {
  let work = 0;
  for (const s of streams) work += s.weight * workdaysIn(y, s.from, s.to);
  for (const s of streams) s.rate = work > 0 ? (total * s.weight) / work : 0;
}

export function userId(consumer: Dept, user: number): string {
  return `u${consumer.code.slice(1)}${String(user + 1).padStart(2, '0')}`;
}

/** A subset of the items, always with the key item first. */
export function someItems(rng: Rng, items: string[]): string {
  if (items.length <= 2 || rng.chance(0.6)) return items.join(';');
  return [items[0]!, ...rng.subset(items.slice(1), rng.int(1, items.length - 2))].join(';');
}

const RECORDS: Record<string, [number, number]> = {
  api: [1, 1],
  compare: [1, 1],
  query: [1, 20],
  download: [50, 2000],
  analysis: [200, 5000],
};

export function properRead(rng: Rng, s: Stream, t: number): AccessEvent {
  const profile = PROFILES[s.profile]!;
  const operation = profile.ops[rng.weighted(profile.weights)]!;
  const [min, max] = RECORDS[operation]!;
  return {
    t,
    consumer: s.consumer,
    user: rng.pick(s.users),
    resource: s.resource,
    operation,
    records: rng.int(min, max),
    items: someItems(rng, s.items),
    approval: s.approval?.id ?? '',
    result: rng.chance(0.003) ? 'error' : 'ok',
  };
}

/** Proper reads of one month: mostly office hours on working days, about 2% in the evening or on rest days. */
function monthReads(rng: Rng, y: DemoYear, streams: Stream[], month: number): AccessEvent[] {
  const out: AccessEvent[] = [];
  const first = y.monthStart[month]!;
  const last = y.monthStart[month + 1]! - 1;
  for (const s of streams) {
    const a = Math.max(s.from, first);
    const b = Math.min(s.to, last);
    const expected = s.rate * workdaysIn(y, a, b);
    const n = Math.floor(expected) + (rng.next() < expected % 1 ? 1 : 0);
    for (let i = 0; i < n; i++) {
      let t: number;
      if (rng.chance(0.02)) {
        const day = rng.int(a, b);
        t = day * DAY + (y.isWorkday[day] ? 18 * 3600 + rng.int(0, 4 * 3600) : officeSecond(rng));
      } else {
        t = randomWorkday(y, rng, a, b)! * DAY + officeSecond(rng);
      }
      out.push(properRead(rng, s, t));
    }
  }
  return out;
}

function accessLine(y: DemoYear, id: number, e: AccessEvent): string {
  return csvLine([
    `AC${String(id).padStart(7, '0')}`,
    stamp(y, e.t),
    e.consumer.code,
    userId(e.consumer, e.user),
    e.resource.code,
    e.resource.dept.code,
    e.operation,
    e.records,
    e.items,
    e.approval,
    `10.8.${e.consumer.num % 250}.${e.user + 11}`,
    e.result,
  ]);
}

/** Writes access_log_<year>-MM.csv for every month; planted events are merged in time order. */
export async function writeAccessLogs(
  dir: string,
  rng: Rng,
  world: World,
  streams: Stream[],
  planted: AccessEvent[],
  total: number,
): Promise<WrittenFile[]> {
  const { y } = world;
  setRates(y, streams, total);
  const files: WrittenFile[] = [];
  let nextId = 1;
  for (let month = 0; month < 12; month++) {
    const first = y.monthStart[month]! * DAY;
    const end = y.monthStart[month + 1]! * DAY;
    const events = planted.filter((e) => e.t >= first && e.t < end);
    events.push(...monthReads(rng, y, streams, month));
    events.sort((a, b) => a.t - b.t);
    const lines = events.map((e) => accessLine(y, nextId++, e));
    const mm = String(month + 1).padStart(2, '0');
    files.push(await writeCsv(dir, `access_log_${y.year}-${mm}.csv`, 'access_log', lines));
  }
  return files;
}
