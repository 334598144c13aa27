// Conditional-share requests and their answers. A provider's diligence sets how late it answers, how often
// it never does, and whether its refusals give a reason. An answer that would fall after December 31 is
// exported as still pending, as a year-end export of the platform would show it.
import { daysBetween } from '../metrics/calendar.ts';
import { GENERIC_PURPOSES, REJECT_BASES, REJECT_REASONS } from './demo-data-names.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import type { Dept, Resource, World } from './demo-data-world.ts';
import {
  DAY,
  officeSecond,
  randomWorkday,
  stamp,
  validityEnd,
  workdayAfter,
  type DemoYear,
} from './demo-data-year.ts';

export interface ShareRequest {
  id: string;
  requester: Dept;
  resource: Resource;
  purpose: string;
  requested: string[];
  submitted: number;
  responded: number | null;
  decision: 'approved' | 'rejected' | 'pending';
  reason: string;
  legalBasis: string;
  /** Last valid date of an approval, and its day index (may lie beyond the year). */
  validUntil: string;
  untilDay: number;
  approved: string[];
}

/** More requests early in the year, when departments renew their yearly approvals. */
const MONTH_WEIGHTS = [2.2, 1.4, 1.1, 1, 1, 1, 1, 1, 1, 1, 0.9, 0.8];

function submitTime(rng: Rng, y: DemoYear): number {
  const month = rng.weighted(MONTH_WEIGHTS);
  const [first, last] = [y.monthStart[month]!, y.monthStart[month + 1]! - 1];
  if (rng.chance(0.96)) return randomWorkday(y, rng, first, last)! * DAY + officeSecond(rng);
  const day = rng.int(first, last);
  const evening = 17.5 * 3600 + Math.floor(rng.next() * 4 * 3600);
  return day * DAY + (y.isWorkday[day] ? evening : officeSecond(rng));
}

function requestedItems(rng: Rng, items: string[]): string[] {
  if (items.length <= 2 || rng.chance(0.45)) return items;
  const rest = items.slice(1);
  return [items[0]!, ...rng.subset(rest, rng.int(1, rest.length - 1))];
}

function approvedItems(rng: Rng, requested: string[]): string[] {
  if (requested.length <= 1 || rng.chance(0.7)) return requested;
  const rest = requested.slice(1);
  return [requested[0]!, ...rng.subset(rest, rng.int(0, rest.length - 1))];
}

/** Working days the provider takes to answer, or null when it never answers. */
function answerDelay(rng: Rng, diligence: number): number | null {
  const sloppy = 1 - diligence;
  if (rng.chance(0.004 + sloppy * 0.12)) return null;
  if (rng.chance(0.03 + sloppy * 0.5)) return rng.int(11, 35);
  return 1 + Math.floor(rng.next() ** 0.8 * 10);
}

function decide(rng: Rng, y: DemoYear, q: ShareRequest): void {
  const { diligence } = q.resource.dept;
  const delay = answerDelay(rng, diligence);
  const day = delay === null ? null : workdayAfter(y, Math.floor(q.submitted / DAY), delay);
  if (day === null) return;
  q.responded = day * DAY + officeSecond(rng);
  if (rng.chance(0.15 + (1 - diligence) * 0.2)) {
    q.decision = 'rejected';
    if (rng.chance(0.55 + diligence * 0.43)) {
      q.reason = rng.pick(REJECT_REASONS);
      if (rng.chance(0.5)) q.legalBasis = rng.pick(REJECT_BASES);
    }
    return;
  }
  q.decision = 'approved';
  q.validUntil = validityEnd(y.dates[day]!, [3, 6, 12][rng.weighted([20, 35, 45])]!);
  q.untilDay = daysBetween(y.dates[0]!, q.validUntil);
  q.approved = approvedItems(rng, q.requested);
}

export function generateRequests(rng: Rng, world: World, count: number): ShareRequest[] {
  const { y, depts } = world;
  const targets = world.resources.filter((r) => r.shareType === 'conditional' && r.status === 'published');
  if (targets.length === 0 || depts.length < 2) return [];
  const targetWeights = targets.map((r) => r.popularity);
  const out: ShareRequest[] = [];
  for (let i = 0; i < count; i++) {
    const resource = targets[rng.weighted(targetWeights)]!;
    const requester = depts[rng.weighted(depts.map((d) => (d === resource.dept ? 0 : d.activity)))]!;
    const q: ShareRequest = {
      id: '',
      requester,
      resource,
      purpose: rng.chance(0.75) ? rng.pick(requester.purposes) : rng.pick(GENERIC_PURPOSES),
      requested: requestedItems(rng, resource.items),
      submitted: submitTime(rng, y),
      responded: null,
      decision: 'pending',
      reason: '',
      legalBasis: '',
      validUntil: '',
      untilDay: -1,
      approved: [],
    };
    decide(rng, y, q);
    out.push(q);
  }
  out.sort((a, b) => a.submitted - b.submitted);
  out.forEach((q, i) => (q.id = `SQ${String(i + 1).padStart(5, '0')}`));
  return out;
}

/** The request's CSV line (approvals are valid from the answer to the end of validUntil). */
export function requestLine(y: DemoYear, q: ShareRequest): string {
  const responded = q.responded === null ? '' : stamp(y, q.responded);
  const approved = q.decision === 'approved';
  return csvLine([
    q.id,
    q.requester.code,
    q.resource.dept.code,
    q.resource.code,
    q.purpose,
    q.requested.join(';'),
    stamp(y, q.submitted),
    responded,
    q.decision,
    q.reason,
    q.legalBasis,
    approved ? responded : '',
    approved ? `${q.validUntil} 23:59:59` : '',
    q.approved.join(';'),
  ]);
}

/** Approved requests by consumer and resource, to tell a valid read from a violation. */
export class ApprovalIndex {
  private readonly byPair = new Map<string, ShareRequest[]>();

  constructor(requests: ShareRequest[]) {
    for (const q of requests) {
      if (q.decision !== 'approved') continue;
      const key = `${q.requester.code}|${q.resource.code}`;
      const list = this.byPair.get(key);
      if (list) list.push(q);
      else this.byPair.set(key, [q]);
    }
  }

  /** The consumer's approvals for the resource valid at some time in [from, to]. */
  validBetween(consumer: Dept, resource: Resource, from: number, to = from): ShareRequest[] {
    const list = this.byPair.get(`${consumer.code}|${resource.code}`) ?? [];
    return list.filter((q) => q.responded! <= to && (q.untilDay + 1) * DAY > from);
  }

  covers(consumer: Dept, resource: Resource, from: number, to = from): boolean {
    return this.validBetween(consumer, resource, from, to).length > 0;
  }
}
