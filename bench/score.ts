// Scoring benchmark: a synthetic province-year (bench/score-data.ts, reused from bench/out/ when built from
// the same parameters; `--rebuild` forces it) scored by the real CLI in a child process, against one bare
// aggregate query over the same access table in another child, each on a fresh copy of the file. Runs
// alternate (`--runs K`, default 2); the best counts. Targets: score/bare <= 3, peak RSS < 4 GB.
// A third child measures a floor: only building the inputs the two access rules cannot do without (the
// daily volume per consumer x resource that the anomalous-volume baseline is defined on, and every
// conditional read with its id, instant and items, which the authorisation judges read by read). No
// scoring that computes those rules from the raw log can be faster than that child.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { argValue, bestRun, type ChildRun, printCpuPressure, ROOT, runChild } from './child.ts';
import { PROVINCE, provinceDb } from './score-data.ts';

const TARGET_RATIO = 3;
const TARGET_RSS_MB = 4096;
const BARE_SQL = `select consumer_dept, resource_code, date_trunc('month', ts) as m, count(*) as n,
  sum(records) as records from raw_access_log group by all`;

/** Per-rule and per-step lines as they come: a slow rule shows while it is still running. */
function printRuleLines(chunk: string): void {
  for (const m of chunk.matchAll(/^(rule \S+|phase .+): \d+ ms$/gm)) console.log(`    ${m[0]}`);
}

function runScore(dbFile: string): Promise<ChildRun> {
  const args = ['bin/sharewatch.js', 'score', '--profile', 'shaanxi-2017', '--year', '2026'];
  const env = { ...process.env, SHAREWATCH_PROFILE_RULES: '1' };
  return runChild(process.execPath, [...args, '--as-of', '2026-12-31', '--db', dbFile], {
    env,
    onStderr: printRuleLines,
  });
}

const FLOOR_SQL = [
  `create temp table _pair_days as
     select consumer_dept, resource_code, cast(ts as date) as day, count(*) as reads,
       cast(sum(coalesce(records, 1)) as bigint) as volume
     from raw_access_log
     where ts >= timestamp '2026-01-01' - interval 90 day and ts < timestamp '2027-01-01'
       and coalesce(result, 'ok') = 'ok' and consumer_dept <> provider_dept
     group by all`,
  `create temp table _conditional_reads as
     select event_id, ts, consumer_dept, resource_code, items
     from raw_access_log
     where ts >= timestamp '2026-01-01' and ts < timestamp '2027-01-01'
       and coalesce(result, 'ok') = 'ok' and consumer_dept <> provider_dept
       and resource_code in (select resource_code from raw_catalog_snapshot where share_type = 'conditional')`,
];

const FLOOR_SCRIPT = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1], { memory_limit: '2GB' });
const con = await instance.connect();
for (const sql of ${JSON.stringify(FLOOR_SQL)}) await con.run(sql);
const result = await con.runAndReadAll('select (select count(*) from _pair_days) as d, (select count(*) from _conditional_reads) as c');
console.log(JSON.stringify(result.getRowObjectsJson()[0]));
con.closeSync();
instance.closeSync();`;

async function runFloor(dbFile: string): Promise<ChildRun> {
  const run = await runChild(process.execPath, ['--input-type=module', '-e', FLOOR_SCRIPT, dbFile]);
  const rows = JSON.parse(run.stdout) as { d: string; c: string };
  if (!(Number(rows.d) > 0 && Number(rows.c) > 0)) throw new Error(`floor: ${run.stdout}`);
  return run;
}

const BARE_SCRIPT = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1]);
const con = await instance.connect();
const result = await con.runAndReadAll(${JSON.stringify(BARE_SQL)});
console.log(JSON.stringify({ rows: result.currentRowCount }));
con.closeSync();
instance.closeSync();`;

async function runBare(dbFile: string): Promise<ChildRun> {
  const run = await runChild(process.execPath, ['--input-type=module', '-e', BARE_SCRIPT, dbFile]);
  if (!((JSON.parse(run.stdout) as { rows: number }).rows > 0)) throw new Error(`bare: ${run.stdout}`);
  return run;
}

/** Runs one child on a private copy of the province file, deleted afterwards (scoring writes to it). */
async function onCopy(source: string, fn: (file: string) => Promise<ChildRun>): Promise<ChildRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sharewatch-bench-score-'));
  try {
    const file = path.join(dir, 'province.duckdb');
    await copyFile(source, file);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ruleTimes = (stderr: string): Array<[string, number]> =>
  [...stderr.matchAll(/^rule (\S+): (\d+) ms$/gm)].map((m) => [m[1]!, Number(m[2])]);
const phaseTimes = (stderr: string): Array<[string, number]> =>
  [...stderr.matchAll(/^phase (.+): (\d+) ms$/gm)].map((m) => [m[1]!, Number(m[2])]);

function report(score: ChildRun, bare: ChildRun, floor: ChildRun, runs: number): void {
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(12) : c.padEnd(34))).join(' ');
  const fmt = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));
  const p = PROVINCE;
  console.log(
    `\nprovince-year: ${p.depts} departments, ${p.entries} catalog entries, ${p.events} access events, ` +
      `${p.requests} requests; best of ${runs} (wall clock of each child process)`,
  );
  console.log(line(['', 'seconds', 'cpu s', 'peak RSS MB']));
  for (const [name, run] of [
    ['sharewatch score (full year)', score],
    ['bare aggregate query', bare],
    ['floor: access-rule inputs only', floor],
  ] as const)
    console.log(line([name, fmt(run.seconds, 2), fmt(run.cpuSeconds, 1), fmt(run.maxRssMb, 0)]));
  const ratio = score.seconds / bare.seconds;
  console.log(
    `ratio score/bare = ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'OK' : 'ABOVE TARGET'}`,
  );
  const floorRatio = floor.seconds / bare.seconds;
  console.log(
    `floor/bare = ${floorRatio.toFixed(2)}: building only the inputs of misuse.anomalous_volume and ` +
      `misuse.unapproved_access leaves ${(TARGET_RATIO - floorRatio).toFixed(2)} x bare for everything else`,
  );
  const rss = score.maxRssMb;
  const rssOk = rss !== null && rss < TARGET_RSS_MB;
  console.log(
    `peak memory of score = ${fmt(rss, 0)} MB (target < ${TARGET_RSS_MB} MB): ${rssOk ? 'OK' : 'ABOVE TARGET'}`,
  );
  const rules = ruleTimes(score.stderr);
  const phases = phaseTimes(score.stderr);
  console.log('\nper rule and step (best scoring run), ms:');
  for (const [step, ms] of [...rules, ...phases])
    console.log(`  ${step.padEnd(32)} ${String(ms).padStart(8)}`);
  const other = score.seconds * 1000 - [...rules, ...phases].reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  ${'(start-up, open, summary, close)'.padEnd(32)} ${other.toFixed(0).padStart(8)}`);
  // what no faster rule can remove: starting the CLI, writing the run's rows, and the rest outside the rules
  const commit = phases.find(([step]) => step === 'commit')?.[1] ?? 0;
  const fixed = (other + commit) / 1000;
  console.log(
    `start-up, commit and close alone: ${fixed.toFixed(2)} s = ${(fixed / bare.seconds).toFixed(2)} x bare`,
  );
}

async function main(): Promise<void> {
  const runs = argValue('--runs', 2);
  const file = await provinceDb(path.join(ROOT, 'bench', 'out', 'province-2026.duckdb'), PROVINCE, {
    rebuild: process.argv.includes('--rebuild'),
    log: (l) => console.log(l),
  });
  const results = { score: [] as ChildRun[], bare: [] as ChildRun[], floor: [] as ChildRun[] };
  const runners = { score: runScore, bare: runBare, floor: runFloor };
  for (let i = 0; i < runs; i++) {
    for (const which of ['score', 'bare', 'floor'] as const) {
      const run = await onCopy(file, runners[which]);
      const rss = `peak RSS ${run.maxRssMb?.toFixed(0) ?? '-'} MB`;
      console.log(
        `run ${i + 1} ${which}: ${run.seconds.toFixed(2)} s, cpu ${run.cpuSeconds?.toFixed(1) ?? '-'} s, ${rss}`,
      );
      results[which].push(run);
    }
  }
  report(bestRun(results.score), bestRun(results.bare), bestRun(results.floor), runs);
  // peak memory counts the worst run, not the fastest one
  const worstRss = Math.max(...results.score.map((r) => r.maxRssMb ?? 0));
  console.log(`highest peak RSS over all scoring runs: ${worstRss.toFixed(0)} MB`);
  await printCpuPressure();
}

await main();
