// A CliEnv for tests: fixed clock, captured output, a working directory of the test's own.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliEnv } from '../../cli/context.ts';
import { main } from '../../cli/main.ts';
import { FIXED_NOW, REPO_ROOT } from '../helpers.ts';

export interface CapturedCli extends CliEnv {
  out: string[];
  err: string[];
}

export function captureCli(cwd: string, env: NodeJS.ProcessEnv = {}, now: Date = FIXED_NOW): CapturedCli {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    env,
    now: () => now,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    out,
    err,
  };
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * A working directory with a config file (database in the directory, the given profiles, the repo's
 * calendars) and a runner for `sharewatch --config <it> ...` with captured output.
 */
export function cliWorkspace(
  dir: string,
  profilesDir = path.join(REPO_ROOT, 'test', 'fixtures', 'profiles'),
): { config: string; database: string; run: (args: string[]) => Promise<CliRun> } {
  const config = path.join(dir, 'sharewatch.yaml');
  const database = path.join(dir, 'sw.duckdb');
  writeFileSync(
    config,
    [
      `database: ${database}`,
      `profilesDir: ${profilesDir}`,
      `calendarsDir: ${path.join(REPO_ROOT, 'config', 'calendars')}`,
    ].join('\n'),
  );
  const run = async (args: string[]): Promise<CliRun> => {
    const cli = captureCli(dir);
    const code = await main(['--config', config, ...args], cli);
    return { code, out: cli.out.join(''), err: cli.err.join('') };
  };
  return { config, database, run };
}
