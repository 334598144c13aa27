// ingestPaths reports its progress through deps.onProgress: for each data file, in order, a file-start,
// then file-progress events while it loads, then a file-done with the file's result. Files it does not
// read are listed in the results as ignored; a path that does not exist is an error that names it.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progressPrinter } from '../../cli/progress.ts';
import { AppError } from '../../config/errors.ts';
import { openHarness, SHARE_HEADER, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.db.close());

describe('progress events', () => {
  it('emits file-start and file-done per data file, in order, with progress only in between', async () => {
    h = await openHarness();
    const files = [
      h.write('departments.csv', ['dept_code,dept_name', 'D01,示例市公安局']),
      h.write('export.csv', ['编号', '1']),
      h.write('share_requests_2026.csv', [
        SHARE_HEADER,
        'SQ1,D02,D01,R001,核验,姓名,2026-09-28 10:12:00,,,,,,,',
      ]),
    ];
    h.write('README.txt', 'not data');
    const results = await h.ingest();

    const milestones = h.events.filter((e) => e.type !== 'file-progress');
    expect(milestones).toEqual([
      { type: 'file-start', index: 0, total: 3, path: files[0], bytes: statSync(files[0]!).size },
      { type: 'file-done', index: 0, total: 3, result: results[0] },
      { type: 'file-start', index: 1, total: 3, path: files[1], bytes: statSync(files[1]!).size },
      { type: 'file-done', index: 1, total: 3, result: results[1] },
      { type: 'file-start', index: 2, total: 3, path: files[2], bytes: statSync(files[2]!).size },
      { type: 'file-done', index: 2, total: 3, result: results[2] },
    ]);
    expect(results.map((r) => [path.basename(r.path), r.status])).toEqual([
      ['departments.csv', 'loaded'],
      ['export.csv', 'quarantined'],
      ['share_requests_2026.csv', 'loaded'],
      ['README.txt', 'ignored'],
    ]);

    // every progress event sits between its own file's start and done, and says 0% when loading begins
    let current = -1;
    const progressIndexes: number[] = [];
    for (const event of h.events) {
      if (event.type === 'file-start') current = event.index;
      if (event.type === 'file-done') current = -1;
      if (event.type === 'file-progress') {
        expect(event.index).toBe(current);
        expect(event.percent).toBeGreaterThanOrEqual(0);
        expect(event.percent).toBeLessThanOrEqual(100);
        progressIndexes.push(event.index);
      }
    }
    expect([...new Set(progressIndexes)]).toEqual([0, 2]); // the quarantined file never starts loading
  });
});

describe('the paths to ingest', () => {
  it('names a path that does not exist instead of failing with a bare ENOENT', async () => {
    h = await openHarness();
    const missing = path.join(h.inbox, 'no-such-folder');
    const error = await h.ingest('no-such-folder').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('input_not_found');
    expect((error as AppError).userMessage).toBe(`找不到要导入的文件或文件夹：${missing}`);
  });

  it('skips hidden files but lists every other file it does not read', async () => {
    h = await openHarness();
    h.write('.DS_Store', 'x');
    h.write('share_requests_2026.xlsx', 'x');
    const results = await h.ingest();
    expect(results.map((r) => [path.basename(r.path), r.status, r.reason])).toEqual([
      [
        'share_requests_2026.xlsx',
        'ignored',
        '不是可导入的文件类型，未读取：只接受 .csv、.jsonl、.ndjson 文件（可加 .gz 压缩）',
      ],
    ]);
  });
});

describe('the progress the CLI prints', () => {
  const start = {
    type: 'file-start',
    index: 0,
    total: 2,
    path: '/in/access_log_1.csv',
    bytes: 3 * 1048576,
  } as const;
  const at = (percent: number) =>
    ({ type: 'file-progress', index: 0, total: 2, path: '/in/access_log_1.csv', percent }) as const;

  it("prints a file's percentage in a log at most every 5 seconds of the CLI clock", () => {
    const out: string[] = [];
    let ms = Date.parse('2026-11-21T10:00:00Z');
    const print = progressPrinter(
      (t) => out.push(t),
      false,
      () => new Date(ms),
    );
    print(start);
    print(at(10));
    ms += 4999;
    print(at(40));
    ms += 1;
    print(at(60.4));
    ms += 3000;
    print(at(90));
    expect(out).toEqual([
      '开始加载 1/2 access_log_1.csv（3.0 MB）\n',
      '  access_log_1.csv：10%\n',
      '  access_log_1.csv：60%\n',
    ]);
  });

  it('redraws a bar on a terminal', () => {
    const out: string[] = [];
    const print = progressPrinter(
      (t) => out.push(t),
      true,
      () => new Date(0),
    );
    print(start);
    print(at(52));
    expect(out).toEqual([
      '\r[--------------------] 1/2 access_log_1.csv 0%   ',
      '\r[##########----------] 1/2 access_log_1.csv 52%   ',
    ]);
  });
});
