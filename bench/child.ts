// What the benchmarks share: timing a child process (wall clock, CPU, peak RSS), their integer options, the
// best run, and a note when the shared machine was busy. Each benchmark runs the real CLI in one child and
// its bare DuckDB baseline in another, so both pay the same process start-up.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';
const HAS_TIME = existsSync(TIME);

export type ChildRun = {
  seconds: number;
  stdout: string;
  stderr: string;
  maxRssMb: number | null;
  cpuSeconds: number | null;
};

export function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} expects a positive integer`);
  return value;
}

/**
 * Runs a command in ROOT, timing its wall clock; CPU and peak RSS from GNU time when installed, else peak
 * RSS from /proc polling. `onStderr` sees the child's stderr as it comes.
 */
export function runChild(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; onStderr?: (chunk: string) => void } = {},
): Promise<ChildRun> {
  const [file, argv] = HAS_TIME
    ? [TIME, ['-f', 'BENCH_MAXRSS_KB=%M BENCH_CPU=%U+%S', cmd, ...args]]
    : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let polledKb = 0;
    const poll = setInterval(() => {
      if (HAS_TIME) return;
      readFile(`/proc/${child.pid}/status`, 'utf8')
        .then((s) => (polledKb = Math.max(polledKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0))))
        .catch(() => undefined); // the child may have exited between two polls
    }, 100);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(d.toString());
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr}`));
      const kb = HAS_TIME ? Number(/BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1]) : polledKb;
      const cpu = /BENCH_CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
      resolve({ seconds, stdout, stderr, maxRssMb: kb > 0 ? kb / 1024 : null, cpuSeconds });
    });
  });
}

/** The fastest of the runs. */
export const bestRun = (list: ChildRun[]): ChildRun => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));

/** Wall clock on a shared 2-core machine is only as good as its idleness: a line saying when it was not. */
export async function printCpuPressure(): Promise<void> {
  const pressure = await readFile('/proc/pressure/cpu', 'utf8').catch(() => '');
  const busy = Number(/avg300=([\d.]+)/.exec(pressure)?.[1] ?? 0);
  if (busy > 10) console.log(`note: CPU contention during the run (PSI cpu some avg300 = ${busy}%)`);
}
