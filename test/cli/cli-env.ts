// A CliEnv for tests: fixed clock, captured output, a working directory of the test's own.
import type { CliEnv } from '../../cli/context.ts';
import { FIXED_NOW } from '../helpers.ts';

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
