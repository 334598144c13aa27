// Data verification requests (校核/疑义): a consumer questions an item of a provider's resource, the provider
// answers (late or never when sloppy) and corrects confirmed errors. Answers or corrections that would fall
// after December 31 are left empty, as in a year-end export.
import { VERIFY_DESCRIPTIONS } from './demo-data-names.ts';
import { csvLine } from './demo-data-csv.ts';
import type { Rng } from './demo-data-random.ts';
import { lastLiveDay, type World } from './demo-data-world.ts';
import { DAY, officeSecond, officeTime, stamp, workdayAfter, type DemoYear } from './demo-data-year.ts';

interface Ticket {
  raised: number;
  fields: Array<string | number>;
}

export interface VerificationOutput {
  lines: string[];
  confirmed: number;
  corrected: number;
  pending: number;
}

function answer(rng: Rng, y: DemoYear, raisedDay: number, diligence: number): number | null {
  if (rng.chance(0.01 + (1 - diligence) * 0.15)) return null;
  const delay = rng.chance(0.6 + 0.38 * diligence) ? rng.int(1, 5) : rng.int(6, 25);
  const day = workdayAfter(y, raisedDay, delay);
  return day === null ? null : day * DAY + officeSecond(rng);
}

export function generateVerifications(rng: Rng, world: World, count: number): VerificationOutput {
  const { y, depts } = world;
  const targets = world.resources.filter((r) => lastLiveDay(r, y) >= 20);
  const out: Ticket[] = [];
  const totals = { confirmed: 0, corrected: 0, pending: 0 };
  for (let i = 0; i < count && targets.length > 0; i++) {
    const r = targets[rng.weighted(targets.map((x) => x.popularity))]!;
    const by = depts[rng.weighted(depts.map((d) => (d === r.dept ? 0 : d.activity)))]!;
    const raised = officeTime(y, rng, 0, lastLiveDay(r, y))!;
    const responded = answer(rng, y, Math.floor(raised / DAY), r.dept.diligence);
    const outcome = responded === null ? 'pending' : rng.chance(0.45) ? 'error_confirmed' : 'no_error';
    let corrected: number | null = null;
    if (outcome === 'error_confirmed' && rng.chance(0.5 + 0.45 * r.dept.diligence)) {
      const day = workdayAfter(y, Math.floor(responded! / DAY), rng.int(1, 10));
      corrected = day === null ? null : day * DAY + officeSecond(rng);
    }
    totals.pending += outcome === 'pending' ? 1 : 0;
    totals.confirmed += outcome === 'error_confirmed' ? 1 : 0;
    totals.corrected += corrected === null ? 0 : 1;
    const item = r.items.length > 1 ? rng.pick(r.items.slice(1)) : r.items[0]!;
    const when = (t: number | null) => (t === null ? '' : stamp(y, t));
    out.push({
      raised,
      fields: [
        r.code,
        r.dept.code,
        by.code,
        stamp(y, raised),
        item,
        rng.pick(VERIFY_DESCRIPTIONS),
        when(responded),
        outcome,
        when(corrected),
      ],
    });
  }
  out.sort((a, b) => a.raised - b.raised);
  const lines = out.map((tk, i) => csvLine([`VT${String(i + 1).padStart(4, '0')}`, ...tk.fields]));
  return { lines, ...totals };
}
