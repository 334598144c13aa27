// Planted misconduct in the access logs, counted per kind so tests and demos know what to expect. Most of
// it comes from a few "misuser" departments. A planted read is never covered by another valid approval of
// the same consumer, so each one is a violation whatever approval a rule might match it against.
import { properRead, someItems, type AccessEvent, type Stream } from './demo-data-access.ts';
import type { Rng } from './demo-data-random.ts';
import type { ApprovalIndex, ShareRequest } from './demo-data-requests.ts';
import { lastLiveDay, type Dept, type Resource, type World } from './demo-data-world.ts';
import { DAY, nightSecond, officeTime } from './demo-data-year.ts';

export interface MisuseCounts {
  beforeApproval: number;
  afterExpiry: number;
  otherDeptApproval: number;
  beyondScope: number;
  noApproval: number;
  bulkNight: number;
  denied: number;
}

interface Ctx {
  rng: Rng;
  world: World;
  index: ApprovalIndex;
  approved: ShareRequest[];
  events: AccessEvent[];
}

/** A consumer to blame: a misuser department 70% of the time, never one of `exclude`. */
function suspect(ctx: Ctx, exclude: Dept[]): Dept {
  const misusers = ctx.world.misusers.filter((d) => !exclude.includes(d));
  if (misusers.length > 0 && ctx.rng.chance(0.7)) return ctx.rng.pick(misusers);
  return ctx.rng.pick(ctx.world.depts.filter((d) => !exclude.includes(d)));
}

/** n of the list, with those of misusers first in line. */
function choose<T>(ctx: Ctx, list: T[], n: number, byMisuser: (x: T) => boolean): T[] {
  const shuffled = ctx.rng.shuffle(list);
  const suspects = shuffled.filter(byMisuser);
  const first = suspects.slice(0, Math.ceil(n * 0.6));
  return [...first, ...shuffled.filter((x) => !first.includes(x))].slice(0, n);
}

function plant(ctx: Ctx, event: Omit<AccessEvent, 'user' | 'result'>, result: AccessEvent['result'] = 'ok') {
  ctx.events.push({ ...event, user: ctx.rng.int(0, event.consumer.users - 1), result });
}

/** The last day an approval can be used: its own end or the resource's withdrawal, whichever is first. */
function usableUntil(ctx: Ctx, q: ShareRequest): number {
  return Math.min(q.untilDay, lastLiveDay(q.resource, ctx.world.y));
}

function beforeApproval(ctx: Ctx, n: number): number {
  const start = ctx.events.length;
  const candidates = ctx.approved.filter(
    (q) =>
      q.responded! - q.submitted >= 2 * DAY &&
      lastLiveDay(q.resource, ctx.world.y) >= Math.floor(q.responded! / DAY) &&
      !ctx.index.covers(q.requester, q.resource, q.submitted, q.responded! - 1),
  );
  for (const q of choose(ctx, candidates, n, (x) => x.requester.misuser)) {
    for (let k = ctx.rng.int(1, 3); k > 0; k--) {
      const t = officeTime(
        ctx.world.y,
        ctx.rng,
        Math.floor(q.submitted / DAY) + 1,
        Math.floor(q.responded! / DAY) - 1,
      );
      if (t === null) break;
      plant(ctx, {
        t,
        consumer: q.requester,
        resource: q.resource,
        operation: 'api',
        records: 1,
        items: q.requested.join(';'),
        approval: q.id,
      });
    }
  }
  return ctx.events.length - start;
}

function afterExpiry(ctx: Ctx, n: number): number {
  const start = ctx.events.length;
  const y = ctx.world.y;
  const candidates = ctx.approved.filter(
    (q) =>
      q.untilDay + 5 < lastLiveDay(q.resource, y) &&
      !ctx.index.covers(q.requester, q.resource, (q.untilDay + 1) * DAY, (q.untilDay + 41) * DAY),
  );
  for (const q of choose(ctx, candidates, n, (x) => x.requester.misuser)) {
    const last = Math.min(q.untilDay + 40, lastLiveDay(q.resource, y));
    for (let k = ctx.rng.int(1, 6); k > 0; k--) {
      const t = officeTime(y, ctx.rng, q.untilDay + 1, last);
      if (t === null) break;
      plant(ctx, {
        t,
        consumer: q.requester,
        resource: q.resource,
        operation: 'query',
        records: ctx.rng.int(1, 20),
        items: q.approved.join(';'),
        approval: q.id,
      });
    }
  }
  return ctx.events.length - start;
}

/** A time the approval can be used, or null. */
function timeInApproval(ctx: Ctx, q: ShareRequest): number | null {
  return officeTime(ctx.world.y, ctx.rng, Math.floor(q.responded! / DAY) + 1, usableUntil(ctx, q));
}

function otherDeptApproval(ctx: Ctx, n: number): number {
  const start = ctx.events.length;
  for (let tries = 0; ctx.events.length - start < n && tries < n * 5 && ctx.approved.length > 0; tries++) {
    const q = ctx.rng.pick(ctx.approved);
    const consumer = suspect(ctx, [q.requester, q.resource.dept]);
    const t = timeInApproval(ctx, q);
    if (t === null || ctx.index.covers(consumer, q.resource, t)) continue;
    plant(ctx, {
      t,
      consumer,
      resource: q.resource,
      operation: 'api',
      records: 1,
      items: q.approved.join(';'),
      approval: q.id,
    });
  }
  return ctx.events.length - start;
}

function beyondScope(ctx: Ctx, n: number): number {
  const start = ctx.events.length;
  const candidates = ctx.approved.filter((q) => q.approved.length < q.resource.items.length);
  const suspects = candidates.filter((q) => q.requester.misuser);
  for (let tries = 0; ctx.events.length - start < n && tries < n * 5 && candidates.length > 0; tries++) {
    const q = ctx.rng.pick(suspects.length > 0 && ctx.rng.chance(0.6) ? suspects : candidates);
    const t = timeInApproval(ctx, q);
    if (t === null) continue;
    const allowed = new Set(ctx.index.validBetween(q.requester, q.resource, t).flatMap((a) => a.approved));
    const extra = q.resource.items.filter((i) => !allowed.has(i));
    if (extra.length === 0) continue;
    const pick = ctx.rng.pick(extra);
    const items = q.resource.items.filter((i) => q.approved.includes(i) || i === pick).join(';');
    plant(ctx, {
      t,
      consumer: q.requester,
      resource: q.resource,
      operation: 'query',
      records: ctx.rng.int(1, 20),
      items,
      approval: q.id,
    });
  }
  return ctx.events.length - start;
}

/** Reads of conditional data with no approval id; half by departments whose request was refused. */
function unapproved(ctx: Ctx, n: number, refused: ShareRequest[], result: AccessEvent['result']): number {
  const start = ctx.events.length;
  const y = ctx.world.y;
  const targets = ctx.world.resources.filter((r) => r.shareType === 'conditional' && lastLiveDay(r, y) >= 0);
  for (let tries = 0; ctx.events.length - start < n && tries < n * 5 && targets.length > 0; tries++) {
    const q = refused.length > 0 && ctx.rng.chance(0.5) ? ctx.rng.pick(refused) : null;
    const resource: Resource = q ? q.resource : ctx.rng.pick(targets);
    const consumer = q ? q.requester : suspect(ctx, [resource.dept]);
    const from = q ? Math.floor(q.responded! / DAY) + 1 : 0;
    const t = officeTime(y, ctx.rng, from, lastLiveDay(resource, y));
    if (t === null || ctx.index.covers(consumer, resource, t)) continue;
    const download = result === 'ok' && ctx.rng.chance(0.3);
    const operation = download ? 'download' : ctx.rng.pick(['query', 'api']);
    const records = result === 'denied' ? 0 : download ? ctx.rng.int(100, 3000) : ctx.rng.int(1, 20);
    plant(
      ctx,
      { t, consumer, resource, operation, records, items: someItems(ctx.rng, resource.items), approval: '' },
      result,
    );
  }
  return ctx.events.length - start;
}

/** Bulk downloads between 22:00 and 05:00 under an otherwise proper stream (approved or unconditional). */
function bulkNight(ctx: Ctx, n: number, streams: Stream[]): number {
  const start = ctx.events.length;
  for (let i = 0; i < n && streams.length > 0; i++) {
    const consumer = suspect(ctx, []);
    const own = streams.filter((s) => s.consumer === consumer);
    const s = ctx.rng.pick(own.length > 0 ? own : streams);
    const t = ctx.rng.int(s.from, s.to) * DAY + nightSecond(ctx.rng);
    const read = properRead(ctx.rng, s, t);
    ctx.events.push({
      ...read,
      operation: 'download',
      records: ctx.rng.int(5000, 80_000),
      items: s.items.join(';'),
      result: 'ok',
    });
  }
  return ctx.events.length - start;
}

export function plantMisuse(
  rng: Rng,
  world: World,
  requests: ShareRequest[],
  index: ApprovalIndex,
  streams: Stream[],
  scale: number,
): { events: AccessEvent[]; counts: MisuseCounts } {
  const approved = requests.filter((q) => q.decision === 'approved');
  const refused = requests.filter((q) => q.decision === 'rejected' && lastLiveDay(q.resource, world.y) >= 0);
  const ctx: Ctx = { rng, world, index, approved, events: [] };
  const size = (base: number, min: number) => Math.max(min, Math.round(base * scale));
  const counts: MisuseCounts = {
    beforeApproval: beforeApproval(ctx, size(40, 3)),
    afterExpiry: afterExpiry(ctx, size(30, 2)),
    otherDeptApproval: otherDeptApproval(ctx, size(60, 3)),
    beyondScope: beyondScope(ctx, size(200, 4)),
    noApproval: unapproved(ctx, size(80, 4), refused, 'ok'),
    bulkNight: bulkNight(ctx, size(30, 3), streams),
    denied: unapproved(ctx, size(40, 2), refused, 'denied'),
  };
  return { events: ctx.events, counts };
}
