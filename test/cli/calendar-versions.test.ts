// A run keeps the holiday calendar it counted with: verify recomputes with those days after a calendar file
// for another year (which may also set days of the year before) was added.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOX_SMALL, tempDir } from '../helpers.ts';
import { cliWorkspace } from './cli-env.ts';

const dir = tempDir();
const calendars = path.join(dir, 'calendars');
const { config, run } = cliWorkspace(dir);
const period = ['--profile', 'fixture-basic', '--year', '2026'];
const manifestOf = (out: string) => /运行编号（清单）：(M-[0-9a-f]{16})/.exec(out)![1]!;

beforeAll(async () => {
  mkdirSync(calendars);
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(/^calendarsDir: .*$/m, `calendarsDir: ${calendars}`),
  );
  expect((await run(['ingest', INBOX_SMALL])).code).toBe(0);
});

describe('calendar versions', () => {
  it('verifies a run with the calendar it was scored with after a file for the next year is added', async () => {
    const scored = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect(scored.code).toBe(0);
    const manifest = manifestOf(scored.out);
    // the 2027 notice also gives 2026-12-31 off: year-end deadlines and every clock's calendar end move
    writeFileSync(
      path.join(calendars, '2027.yaml'),
      [
        'year: 2027',
        'source: test',
        'holidays:',
        '  - { from: 2026-12-31, to: 2027-01-02, name: 元旦 }',
        '',
      ].join('\n'),
    );
    const verified = await run(['verify', manifest]);
    expect([verified.code, verified.out]).toEqual([
      0,
      expect.stringMatching(
        new RegExp(
          '^注意：现行节假日历（chinese-days@1\\.5\\.7\\+2027\\.yaml#[0-9a-f]{12}）与该运行所用的（chinese-days@1\\.5\\.7）' +
            '不同，重算使用运行时保存的日历\n' +
            `identical：运行 ${manifest} 已从 11 个输入批次在新数据库中重算，问题清单与得分完全一致。\n$`,
        ),
      ) as string,
    ]);
    // a new score counts with the new days: another manifest
    const again = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect(manifestOf(again.out)).not.toBe(manifest);
  });

  it('tells at every score that a file replaces a year of the bundled State Council data', async () => {
    const file = path.join(calendars, '2026.yaml');
    writeFileSync(file, 'year: 2026\nsource: test\nholidays:\n  - { date: 2026-10-01, name: 国庆节 }\n');
    try {
      const scored = await run(['score', ...period, '--as-of', '2026-12-31']);
      expect([scored.code, scored.err.split('\n')[0]]).toEqual([
        0,
        `注意：工作日历 2026 年的节假日取自 ${file}，替代了内置的国务院公布数据（chinese-days）；` +
          '请确认该文件与国务院办公厅当年的通知一致。',
      ]);
    } finally {
      rmSync(file);
    }
  });
});
