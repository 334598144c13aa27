// One temp root per test run: every test's temp folder (tempDir, mkdtemp under os.tmpdir(), the CLI's own
// scratch) lands under it, and the run removes it at the end. Tests create a database per case; without this
// each `npm test` left ~400 folders in /tmp, which filled the disk over many runs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sharewatch-vitest-'));
  // read by os.tmpdir() in this process and inherited by the forked workers and the processes they spawn
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
