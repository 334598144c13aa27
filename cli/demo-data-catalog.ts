// Change events (法规修订/职能调整) and the catalog changes departments make: quarterly full reviews, routine
// edits, additions, withdrawals, and the update each event obliges. A rule takes the department's first
// change after an event as its update, so the department makes no change at all until its planned answer.
import {
  CHANGE_NOTES,
  FUNCTION_EVENT_TEXTS,
  LAW_EVENT_TEXTS,
  NEW_RESOURCE_NOTES,
} from './demo-data-names.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import type { Dept, Resource, World } from './demo-data-world.ts';
import { DAY, officeSecond, officeTime, randomWorkday, stamp, workdayAfter } from './demo-data-year.ts';

interface Change {
  t: number;
  code: string;
  dept: Dept;
  action: 'add' | 'modify' | 'withdraw' | 'full_review';
  note: string;
}

interface ChangeEvent {
  dept: Dept;
  day: number;
  kind: string;
  reference: string;
  description: string;
  /** Day of the planned catalog update, or null when the department never updates. */
  answerDay: number | null;
}

export interface CatalogOutput {
  eventLines: string[];
  changeLines: string[];
  /** Events answered within 15 working days, later, or not in the year. */
  eventsOnTime: number;
  eventsLate: number;
  eventsUnanswered: number;
}

function changeEvents(rng: Rng, world: World): ChangeEvent[] {
  const { y } = world;
  const events: ChangeEvent[] = [];
  for (const dept of world.depts) {
    if (!rng.chance(0.55)) continue;
    for (let k = rng.chance(0.35) ? 2 : 1; k > 0; k--) {
      const day = randomWorkday(y, rng, 5, y.dates.length - 40)!;
      const law = rng.chance(0.5);
      const sloppy = 1 - dept.diligence;
      const delay = rng.chance(0.4 + 0.55 * dept.diligence) ? rng.int(2, 10) : rng.int(11, 40);
      events.push({
        dept,
        day,
        kind: law ? '法规修订' : '职能调整',
        reference: law ? '示人大常' : '示编',
        description: rng.pick(law ? LAW_EVENT_TEXTS : FUNCTION_EVENT_TEXTS),
        answerDay: rng.chance(sloppy * 0.6) ? null : workdayAfter(y, day, delay),
      });
    }
  }
  events.sort((a, b) => a.day - b.day);
  const issued = new Map<string, number>();
  for (const e of events) {
    const n = (issued.get(e.reference) ?? rng.int(1, 3)) + rng.int(1, 4);
    issued.set(e.reference, n);
    e.reference = `${e.reference}〔${y.year}〕${n}号`;
  }
  return events;
}

/** Days on which a department makes no change: from each event until its planned answer. */
function quietDays(events: ChangeEvent[], lastDay: number): Map<Dept, Array<[number, number]>> {
  const quiet = new Map<Dept, Array<[number, number]>>();
  for (const e of events) {
    const spans = quiet.get(e.dept) ?? [];
    spans.push([e.day, (e.answerDay ?? lastDay + 1) - 1]);
    quiet.set(e.dept, spans);
  }
  return quiet;
}

function fullReviews(rng: Rng, world: World, byDept: Map<Dept, Resource[]>): Change[] {
  const { y } = world;
  const out: Change[] = [];
  for (const dept of world.depts) {
    for (let q = 0; q < 4; q++) {
      if (!rng.chance(0.35 + 0.65 * dept.diligence)) continue;
      const t = officeTime(y, rng, y.monthStart[q * 3]! + 30, y.monthStart[q * 3 + 3]! - 1)!;
      const note = `${y.year}年第${q + 1}季度全面维护`;
      for (const r of byDept.get(dept) ?? []) {
        if (r.status === 'published' && (r.withdrawnDay === null || r.withdrawnDay * DAY > t)) {
          out.push({ t, code: r.code, dept, action: 'full_review', note });
        }
      }
    }
  }
  return out;
}

function routineChanges(rng: Rng, world: World, nextCode: () => string): Change[] {
  const { y } = world;
  const last = y.dates.length - 1;
  const out: Change[] = [];
  for (const r of world.resources) {
    if (r.status !== 'published') continue;
    const end = r.withdrawnDay ?? last;
    for (let k = rng.weighted([45, 30, 15, 10]); k > 0; k--) {
      const t = officeTime(y, rng, 0, end - 1);
      if (t !== null)
        out.push({ t, code: r.code, dept: r.dept, action: 'modify', note: rng.pick(CHANGE_NOTES) });
    }
    if (r.withdrawnDay !== null) {
      const t = r.withdrawnDay * DAY + officeSecond(rng);
      out.push({ t, code: r.code, dept: r.dept, action: 'withdraw', note: '资源停止更新，撤销目录' });
    }
  }
  const adds = Math.max(1, Math.round(world.resources.length * 0.04));
  for (let i = 0; i < adds; i++) {
    const dept = world.depts[rng.weighted(world.depts.map((d) => d.diligence))]!;
    const t = officeTime(y, rng, 0, last)!;
    out.push({ t, code: nextCode(), dept, action: 'add', note: rng.pick(NEW_RESOURCE_NOTES) });
  }
  return out;
}

function eventAnswers(rng: Rng, events: ChangeEvent[], byDept: Map<Dept, Resource[]>): Change[] {
  const out: Change[] = [];
  for (const e of events) {
    const live = (byDept.get(e.dept) ?? []).filter((r) => r.status === 'published');
    if (e.answerDay === null || live.length === 0) continue;
    const r = rng.pick(live);
    const t = e.answerDay * DAY + officeSecond(rng);
    out.push({ t, code: r.code, dept: e.dept, action: 'modify', note: `根据${e.reference}更新目录` });
  }
  return out;
}

export function generateCatalogChanges(rng: Rng, world: World): CatalogOutput {
  const { y } = world;
  const events = changeEvents(rng, world);
  const byDept = new Map<Dept, Resource[]>();
  for (const r of world.resources) byDept.set(r.dept, [...(byDept.get(r.dept) ?? []), r]);
  let added = world.resources.length;
  const nextCode = () => `R${String(++added).padStart(4, '0')}`;
  const quiet = quietDays(events, y.dates.length - 1);
  const isQuiet = (c: Change) =>
    c.action !== 'withdraw' &&
    (quiet.get(c.dept) ?? []).some(([a, b]) => c.t >= a * DAY && c.t < (b + 1) * DAY);
  const changes = [...fullReviews(rng, world, byDept), ...routineChanges(rng, world, nextCode)]
    .filter((c) => !isQuiet(c))
    .concat(eventAnswers(rng, events, byDept))
    .sort((a, b) => a.t - b.t);
  const changeLines = changes.map((c, i) =>
    csvLine([`CH${String(i + 1).padStart(5, '0')}`, c.code, c.dept.code, c.action, stamp(y, c.t), c.note]),
  );
  const eventLines = events.map((e, i) =>
    csvLine([
      `EV${String(i + 1).padStart(3, '0')}`,
      e.dept.code,
      e.kind,
      y.dates[e.day]!,
      e.reference,
      e.description,
    ]),
  );
  return { eventLines, changeLines, ...tally(y.workdaysUpTo, events, changes) };
}

/** Each event against the department's first actual change on or after its date (15 working days). */
function tally(upTo: Int32Array, events: ChangeEvent[], changes: Change[]) {
  const counts = { eventsOnTime: 0, eventsLate: 0, eventsUnanswered: 0 };
  for (const e of events) {
    const first = changes.find((c) => c.dept === e.dept && c.t >= e.day * DAY);
    if (!first) counts.eventsUnanswered++;
    else if (upTo[Math.floor(first.t / DAY) + 1]! - upTo[e.day + 1]! > 15) counts.eventsLate++;
    else counts.eventsOnTime++;
  }
  return counts;
}
