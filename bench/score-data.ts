// Builds the synthetic province-year of bench/score straight into a DuckDB file with SQL (no CSV ingest:
// the benchmark is about scoring). The schema comes from store/ as the CLI makes it; every raw table gets
// one ledger batch. A marker table records the generator version and parameters, so a file built from the
// same ones is reused and any other is rebuilt.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadCalendarSource } from '../config/calendar-files.ts';
import { WorkCalendar } from '../metrics/calendar.ts';
import { writeCalendarTable } from '../metrics/calendar-table.ts';
import { openDatabase, type Db, type Params } from '../store/db.ts';
import { migrate } from '../store/schema.ts';
import { ACCESS_LOG, PAIR_HINTS, PAIRS, REQUESTS } from './score-data-access.ts';
import * as C from './score-data-catalog.ts';

const GENERATOR_VERSION = 2;

export const PROVINCE = {
  year: 2026,
  depts: 500,
  entries: 20_000,
  events: 20_000_000,
  requests: 50_000,
  pairs: 40_000,
  always_pairs: 24_000,
  change_events: 3_000,
  tickets: 4_000,
  exemptions: 60,
};
export type ProvinceParams = typeof PROVINCE;

/** Each statement with the record kind whose ledger batch its rows belong to (null: a helper table). */
function steps(p: ProvinceParams): Array<[string, string | null, Params?]> {
  const chunks = 10;
  const access = Array.from({ length: chunks }, (_, k): [string, string, Params] => [
    ACCESS_LOG,
    'access_log',
    { from_event: Math.floor((p.events * k) / chunks), to_event: Math.floor((p.events * (k + 1)) / chunks) },
  ]);
  return [
    [C.HELPERS[0]!, null],
    [C.HELPERS[1]!, null],
    [C.DEPARTMENTS, 'departments'],
    [C.CATALOG, 'catalog_snapshot'],
    [C.HELPERS[2]!, null],
    [C.HELPERS[3]!, null],
    [C.CHANGE_EVENTS, 'change_events'],
    [C.CATALOG_CHANGES, 'catalog_changes'],
    [C.VERIFICATION, 'verification_requests'],
    [C.QUALITY_CHECKS, 'quality_checks'],
    [C.EXEMPTIONS, 'supply_exemptions'],
    [C.SUPPLY_BATCHES, 'supply_batches'],
    ...PAIRS.map((sql): [string, null] => [sql, null]),
    [REQUESTS, 'share_requests'],
    ...PAIR_HINTS.map((sql): [string, null] => [sql, null]),
    ...access,
  ];
}

/** Only the parameters a statement mentions are bound: DuckDB rejects the others. */
function bound(sql: string, values: Params): Params {
  const used = new Set([...sql.matchAll(/\$([a-z_]+)/g)].map((m) => m[1]!));
  return Object.fromEntries(Object.entries(values).filter(([k]) => used.has(k)));
}

const marker = (p: ProvinceParams): string => JSON.stringify({ v: GENERATOR_VERSION, ...p });

async function matchesMarker(file: string, p: ProvinceParams): Promise<boolean> {
  if (!existsSync(file)) return false;
  const db = await openDatabase(file);
  try {
    const rows = await db.query<{ params: string }>(`select params from _bench_params`);
    return rows[0]?.params === marker(p);
  } catch {
    return false; // no marker table: an unfinished or foreign file, rebuilt below
  } finally {
    db.close();
  }
}

async function writeLedger(db: Db, batches: Map<string, { id: string; seq: number }>): Promise<void> {
  for (const [kind, b] of batches) {
    const { n } = (await db.query<{ n: number }>(`select count(*) as n from raw_${kind}`))[0]!;
    await db.run(
      `insert into batches values ($id, $seq, $hash, $path, $name, $kind, 'utf-8', $n, $n, 0, 'loaded', null,
         timestamp '2027-01-02 09:00:00', null)`,
      {
        id: b.id,
        seq: b.seq,
        hash: createHash('sha256').update(`${b.id}:${kind}`).digest('hex'),
        path: `bench/${kind}_2026.csv`,
        name: `${kind}_2026.csv`,
        kind,
        n,
      },
    );
  }
}

async function generate(file: string, p: ProvinceParams, log: (line: string) => void): Promise<void> {
  const db = await openDatabase(file);
  try {
    await migrate(db);
    // a plan gone wrong should fail, not fill the disk with spill files
    await db.run(`set max_temp_directory_size = '20GB'`);
    const calendarsDir = path.resolve(import.meta.dirname, '..', 'config', 'calendars');
    await writeCalendarTable(db, new WorkCalendar(loadCalendarSource(calendarsDir), calendarsDir));
    await db.run(`create or replace temp macro h(a, b, n) as cast(hash(a, b) % n as integer)`);
    const { last } = (
      await db.query<{ last: number }>(
        `select count(*) - 1 as last from calendar where is_workday and year(date) = $year`,
        { year: p.year },
      )
    )[0]!;
    const batches = new Map<string, { id: string; seq: number }>();
    for (const [sql, kind, extra] of steps(p)) {
      const started = performance.now();
      const values: Params = { ...p, last_wd: last, pool: C.ITEM_POOL, ...extra };
      if (kind && !batches.has(kind)) {
        const { seq } = (await db.query<{ seq: number }>(`select nextval('batch_seq') as seq`))[0]!;
        const id = createHash('sha256')
          .update(`${marker(p)}:${kind}`)
          .digest('hex')
          .slice(0, 16);
        batches.set(kind, { id, seq });
      }
      if (kind) Object.assign(values, { batch: batches.get(kind)!.id, seq: batches.get(kind)!.seq });
      const result = await db.run(sql, bound(sql, values));
      const what =
        kind ?? /temp table (\w+)|variable (\w+)|^\s*(update \w+)/.exec(sql)?.slice(1).find(Boolean);
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      log(`  ${what}: ${result.rowsChanged} rows, ${secs} s`);
    }
    await writeLedger(db, batches);
    await db.run(`create table _bench_params as select $params as params`, { params: marker(p) });
    await db.run('checkpoint');
  } finally {
    db.close();
  }
}

/** Returns the province file, building it unless one from the same generator and parameters is there. */
export async function provinceDb(
  file: string,
  p: ProvinceParams,
  opts: { rebuild: boolean; log: (line: string) => void },
): Promise<string> {
  if (!opts.rebuild && (await matchesMarker(file, p))) {
    opts.log(`reusing ${file}`);
    return file;
  }
  await rm(file, { force: true });
  await rm(`${file}.wal`, { force: true });
  const started = performance.now();
  opts.log(`building ${file} (${p.events} access events, ${p.entries} catalog entries)`);
  await generate(file, p, opts.log);
  opts.log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return file;
}
