// SHAREWATCH_PROFILE_RULES=1, which bench/score.ts sets: `score` writes the wall time of each rule and of the
// run's other steps to stderr, one line each, so the benchmark can tell the rules from the fixed costs.
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadProfile } from '../../config/profile.ts';
import { freshDb, INBOX_SMALL, repoConfig } from '../helpers.ts';
import { captureCli } from './cli-env.ts';

/** `score` of 2026 under shaanxi-2017 on the small inbox, with the given environment: its stderr lines. */
async function scoreStderr(env: NodeJS.ProcessEnv): Promise<string[]> {
  const { db, dir, file } = await freshDb();
  db.close();
  expect(await main(['ingest', INBOX_SMALL, '--db', file], captureCli(dir))).toBe(0);
  const cli = captureCli(dir, env);
  // the day before FIXED_NOW: an as-of that is not over yet would add a warning
  const argv = ['score', '--profile', 'shaanxi-2017', '--year', '2026', '--as-of', '2026-11-20'];
  expect(await main([...argv, '--db', file], cli)).toBe(0);
  return cli.err.join('').split('\n').filter(Boolean);
}

describe('score with SHAREWATCH_PROFILE_RULES=1', () => {
  it('times the data gaps, every enabled rule, the scores and the commit, in run order', async () => {
    const steps = (await scoreStderr({ SHAREWATCH_PROFILE_RULES: '1' })).map(
      (line) => /^(rule \S+|phase .+): \d+ ms$/.exec(line)?.[1] ?? `unexpected: ${line}`,
    );
    const profile = loadProfile(repoConfig().profilesDir, 'shaanxi-2017');
    const enabled = [...profile.rules.values()].filter((r) => r.enabled).map((r) => `rule ${r.id}`);
    expect(steps).toEqual(['phase data gaps', ...enabled, 'phase scores', 'phase commit']);
  });

  it('writes nothing to stderr without it', async () => {
    expect(await scoreStderr({})).toEqual([]);
  });
});
