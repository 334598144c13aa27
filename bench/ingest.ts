// Ingest benchmark: generates a deterministic access_log CSV (5 M rows by default, `--rows N` for a quick
// run, reused from bench/out/ when present) and compares the wall clock of the real CLI
// (`sharewatch ingest --json`, a child process) with a bare DuckDB read_csv load of the same file, also
// in a child. Runs alternate (`--runs K`, default 2); the best run counts. Target: ingest/bare >= 0.8.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { argValue, bestRun, type ChildRun, printCpuPressure, ROOT, runChild } from './child.ts';

const GENERATOR_VERSION = 1;
const HEADER =
  'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records,items,approval_id,client_ip,result';
const TARGET_RATIO = 0.8;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const ITEM_POOL = (
  '公民身份号码 姓名 性别 出生日期 户籍地址 统一社会信用代码 企业名称 ' +
  '法定代表人 注册资本 登记机关 不动产单元号 权利人 婚姻状况 学历'
).split(' ');
const OPERATIONS = 'query query query compare compare api api download analysis'.split(' ');

/** Writes the CSV in chunks; rows are time-ordered through 2026 (local time), event ids unique. */
async function generate(file: string, rows: number): Promise<void> {
  const rand = prng(20260101);
  const day0 = Date.UTC(2026, 0, 1);
  const days = Array.from({ length: 365 }, (_, d) =>
    new Date(day0 + d * 86_400_000).toISOString().slice(0, 10),
  );
  const two = Array.from({ length: 60 }, (_, i) => pad(i, 2));
  const depts = Array.from({ length: 40 }, (_, i) => `D${pad(i + 1, 2)}`);
  const resources = Array.from({ length: 200 }, (_, i) => `R${pad(i + 1, 4)}`);
  const providerOf = resources.map((_, i) => depts[(i * 7) % 40]!);
  const part = `${file}.part`;
  const handle = await open(part, 'w');
  const chunkRows = 100_000;
  try {
    await handle.write(HEADER + '\n');
    for (let start = 0; start < rows; start += chunkRows) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + chunkRows); i++) {
        const t = Math.floor(((i + rand(1000) / 1000) * 31_536_000) / rows);
        const sec = t % 86400;
        const ts = `${days[Math.floor(t / 86400)]} ${two[Math.floor(sec / 3600)]}:${two[Math.floor(sec / 60) % 60]}:${two[sec % 60]}`;
        const d = rand(40);
        const r = rand(200);
        const op = OPERATIONS[rand(OPERATIONS.length)]!;
        const records =
          op === 'download' ? 100 + rand(50_000) : op === 'analysis' ? 1 + rand(5000) : 1 + rand(20);
        const first = rand(ITEM_POOL.length);
        const items = ITEM_POOL.slice(first, first + 1 + rand(3)).join(';');
        const approval = rand(10) < 6 ? `SQ2026${pad(1 + rand(30_000), 5)}` : '';
        const ip = `10.${d + 1}.${rand(256)}.${1 + rand(254)}`;
        lines.push(
          `EV2026${pad(i + 1, 9)},${ts},${depts[d]},U${pad(d + 1, 2)}${pad(rand(500), 3)},${resources[r]},` +
            `${providerOf[r]},${op},${records},${items},${approval},${ip},ok`,
        );
      }
      await handle.write(lines.join('\n') + '\n');
      if ((start / chunkRows) % 10 === 9) process.stderr.write(`  generated ${start + chunkRows} rows\n`);
    }
  } finally {
    await handle.close();
  }
  await rename(part, file);
}

/** Returns the data file, generating it unless a complete one from the same generator is there. */
async function dataFile(rows: number): Promise<string> {
  const dir = path.join(ROOT, 'bench', 'out');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `access_log_bench_${rows}.csv`);
  const metaFile = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { rows: number; bytes: number; v: number };
    if (meta.rows === rows && meta.v === GENERATOR_VERSION && meta.bytes === (await stat(file)).size) {
      console.log(`reusing ${path.relative(ROOT, file)}`);
      return file;
    }
  }
  const started = performance.now();
  await generate(file, rows);
  const bytes = (await stat(file)).size;
  await writeFile(metaFile, JSON.stringify({ rows, bytes, v: GENERATOR_VERSION }));
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`generated ${path.relative(ROOT, file)}: ${rows} rows, ${mb(bytes)} MB in ${secs} s`);
  return file;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
async function runIngest(file: string, rows: number, dbFile: string): Promise<ChildRun> {
  const args = ['bin/sharewatch.js', 'ingest', file, '--db', dbFile, '--json'];
  const run = await runChild(process.execPath, args);
  const result = JSON.parse(run.stdout) as { files: Array<{ rows_loaded: number; rows_rejected: number }> };
  const f = result.files[0];
  if (result.files.length !== 1 || f?.rows_loaded !== rows || f.rows_rejected !== 0)
    throw new Error(`ingest: expected ${rows} rows loaded and 0 rejected, got ${run.stdout}`);
  return run;
}

const BARE_SCRIPT = `
import { DuckDBInstance } from '@duckdb/node-api';
const [file, dbFile] = process.argv.slice(1);
const instance = await DuckDBInstance.create(dbFile);
const con = await instance.connect();
const types = { ts: 'TIMESTAMP', records: 'BIGINT' };
const cols = ${JSON.stringify(HEADER)}.split(',').map((c) => "'" + c + "': '" + (types[c] ?? 'VARCHAR') + "'");
await con.run("create table t as select * from read_csv('" + file.replace(/'/g, "''") +
  "', header = true, auto_detect = false, columns = {" + cols.join(', ') + "})");
const count = await con.runAndReadAll('select count(*)::integer as n from t');
console.log(JSON.stringify({ rows: count.getRowObjects()[0].n }));
con.closeSync();
instance.closeSync();`;

async function runBare(file: string, rows: number, dbFile: string): Promise<ChildRun> {
  const run = await runChild(process.execPath, ['--input-type=module', '-e', BARE_SCRIPT, file, dbFile]);
  const loaded = (JSON.parse(run.stdout) as { rows: number }).rows;
  if (loaded !== rows) throw new Error(`bare load: expected ${rows} rows, got ${loaded}`);
  return run;
}

async function main(): Promise<void> {
  const rows = argValue('--rows', 5_000_000);
  const runs = argValue('--runs', 2);
  const file = await dataFile(rows);
  const bytes = (await stat(file)).size;
  const results = { ingest: [] as ChildRun[], bare: [] as ChildRun[] };
  for (let i = 0; i < runs; i++) {
    for (const which of ['ingest', 'bare'] as const) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sharewatch-bench-'));
      try {
        const dbFile = path.join(dir, 'bench.duckdb');
        const run = await (which === 'ingest' ? runIngest : runBare)(file, rows, dbFile);
        const cpu = `cpu ${run.cpuSeconds?.toFixed(1) ?? '-'} s, peak RSS ${run.maxRssMb?.toFixed(0) ?? '-'} MB`;
        console.log(`run ${i + 1} ${which}: ${run.seconds.toFixed(2)} s, ${cpu}`);
        results[which].push(run);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  const ingest = bestRun(results.ingest);
  const bare = bestRun(results.bare);
  const rate = (run: ChildRun) => rows / run.seconds;
  const ratio = rate(ingest) / rate(bare);
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(11) : c.padEnd(22))).join(' ');
  console.log(`\n${rows} rows, ${mb(bytes)} MB, best of ${runs} (wall clock of each child process)`);
  console.log(line(['load', 'seconds', 'M rows/s', 'cpu s', 'peak RSS MB']));
  for (const [name, run] of [
    ['sharewatch ingest', ingest] as const,
    ['bare duckdb read_csv', bare] as const,
  ]) {
    const cells = [run.seconds, rate(run) / 1e6, run.cpuSeconds, run.maxRssMb];
    console.log(line([name, ...cells.map((v, i) => (v === null ? '-' : v.toFixed([2, 3, 1, 0][i])))]));
  }
  const verdict = ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET';
  console.log(`ratio ingest/bare = ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}): ${verdict}`);
  if (ingest.cpuSeconds && bare.cpuSeconds)
    console.log(`cpu-time ratio bare/ingest = ${(bare.cpuSeconds / ingest.cpuSeconds).toFixed(2)}`);
  await printCpuPressure();
}

await main();
