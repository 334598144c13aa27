// What the ingest could not load reaches the user: `sharewatch ingest` prints each file's first rejects
// (line, column, value, reason) and `sharewatch export rejects` gives all of them, files set aside whole
// included, with the rejected record's own text, so that the sender can correct and re-send it.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXED_NOW } from '../helpers.ts';
import { cliWorkspace } from './cli-env.ts';

const HEADER = 'batch_id,resource_code,provider_dept,delivered_at,rows,status';
const TS_REASON =
  '无法识别的时间：应为 YYYY-MM-DD HH:MM:SS、带时区偏移的 ISO 8601 或 YYYY/MM/DD HH:MM，且为真实存在的时间';
const INT_REASON = '应为非负整数（只能由数字 0-9 组成）';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sharewatch-rejects-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sharewatch ingest and export rejects', () => {
  it('prints the first five rejects of a file, and exports all of them with the rows as sent', async () => {
    const ws = cliWorkspace(dir);
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox);
    const badLines = [
      HEADER,
      'B1,R001,D01,2026-02-02 10:00:00,10,ok',
      ...[2, 3, 4, 5, 6, 7].map((d) => `B${d},R001,D01,2026-02-3${d - 2} 10:00:00,10,ok`), // lines 3-8
      'B8,R001,D01,2026-02-09 10:00:00,-5,ok', // line 9
    ];
    writeFileSync(path.join(inbox, 'supply_batches_2026-02.csv'), badLines.join('\n') + '\n');
    writeFileSync(path.join(inbox, 'mystery.csv'), 'a,b\n1,2\n');
    writeFileSync(path.join(inbox, 'README.md'), '# notes\n');

    const ingest = await ws.run(['ingest', inbox]);
    expect(ingest.code).toBe(3); // a file was set aside whole: a script must see it
    expect(ingest.err.split('\n').at(-2)).toBe(
      '有 1 个文件被整个隔离，未加载其中任何记录；更正后重新发送即可加载（退出码 3）。',
    );
    expect(ingest.out).toBe(
      [
        'mystery.csv\t未知\t整个文件被隔离：无法判断记录类型：文件名没有已知前缀（如 share_requests_），表头也不符合任何一种记录的必需列（计为拒收 1 行）',
        'supply_batches_2026-02.csv\tsupply_batches\t加载 1 行，拒收 7 行',
        `  第 3 行，delivered_at（取值：2026-02-30 10:00:00）：${TS_REASON}`,
        `  第 4 行，delivered_at（取值：2026-02-31 10:00:00）：${TS_REASON}`,
        `  第 5 行，delivered_at（取值：2026-02-32 10:00:00）：${TS_REASON}`,
        `  第 6 行，delivered_at（取值：2026-02-33 10:00:00）：${TS_REASON}`,
        `  第 7 行，delivered_at（取值：2026-02-34 10:00:00）：${TS_REASON}`,
        '  ……另有 2 条，见 sharewatch export rejects --file supply_batches_2026-02.csv',
        `共 2 个数据文件：加载 1 行，拒收 8 行。数据库：${ws.database}`,
        '拒收和隔离的完整清单（文件、行号、列、取值、原因和整行原文）：sharewatch export rejects [--file 文件名] [--out 文件]',
        '',
      ].join('\n'),
    );
    expect(ingest.err).toContain(`已忽略：${path.join(inbox, 'README.md')}`);

    const json = await ws.run(['export', 'rejects', '--format', 'json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(readFileSync(String(rows[0]!.row_text), 'utf8')).toBe('a,b\n1,2\n');
    expect(
      rows.map((r) => [r.file_name, r.line, r.column, r.value, r.reason, r.row_text, r.file_status]),
    ).toEqual([
      [
        'mystery.csv',
        null,
        null,
        null,
        '无法判断记录类型：文件名没有已知前缀（如 share_requests_），表头也不符合任何一种记录的必需列',
        // none of its rows is in the store: the file is kept, as sent, next to the database
        path.join(dir, 'quarantine', `${String(rows[0]!.batch_id)}_mystery.csv`),
        'quarantined',
      ],
      ...[3, 4, 5, 6, 7, 8].map((line) => [
        'supply_batches_2026-02.csv',
        line,
        'delivered_at',
        badLines[line - 1]!.split(',')[3],
        TS_REASON,
        badLines[line - 1],
        'loaded',
      ]),
      ['supply_batches_2026-02.csv', 9, 'rows', '-5', INT_REASON, badLines[8], 'loaded'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual([
      'file_name',
      'line',
      'column',
      'value',
      'reason',
      'row_text',
      'kind',
      'file_status',
      'batch_id',
      'file_path',
      'loaded_at',
    ]);
    expect(rows[1]).toMatchObject({
      kind: 'supply_batches',
      file_path: path.join(inbox, 'supply_batches_2026-02.csv'),
      loaded_at: '2026-11-21 10:00:00',
    });

    // one file, as CSV: the record text with its commas quoted, so that a spreadsheet shows it in one cell
    const csv = await ws.run(['export', 'rejects', '--file', 'supply_batches_2026-02.csv', '--no-bom']);
    const csvLines = csv.out.split('\r\n');
    expect(csvLines.length).toBe(1 + 7 + 1);
    expect(csvLines[7]).toBe(
      `supply_batches_2026-02.csv,9,rows,-5,${INT_REASON},"${badLines[8]}",supply_batches,loaded,${rows[7]!.batch_id},${path.join(inbox, 'supply_batches_2026-02.csv')},2026-11-21 10:00:00`,
    );

    // the same files again add nothing (the file set aside is set aside again: it comes last now)
    const resent = await ws.run(['ingest', inbox, '--json']);
    expect(resent.code).toBe(3);
    const again = JSON.parse((await ws.run(['export', 'rejects', '--format', 'json'])).out) as typeof rows;
    expect(again).toEqual([...rows.slice(1), rows[0]]);

    // rows rejected one by one leave the file's other rows loaded: that alone is no failure
    const fixedInbox = path.join(dir, 'fixed');
    mkdirSync(fixedInbox);
    writeFileSync(
      path.join(fixedInbox, 'supply_batches_2026-03.csv'),
      [HEADER, badLines[8]].join('\n') + '\n',
    );
    const partial = await ws.run(['ingest', fixedInbox]);
    expect([partial.code, partial.err.includes('隔离')]).toEqual([0, false]);

    // a score says which files' records it could not count, until a corrected file of that name loads
    const scoreArgs = ['score', '--profile', 'fixture-basic', '--year', '2026'];
    const warned = await ws.run(scoreArgs);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain(
      '注意：有 1 个文件被整个隔离，其中的记录未计入本次评估：mystery.csv（类型未知）。' +
        '依赖这些记录的问题可能有误，请更正后重新加载再评估（清单：sharewatch export rejects）。\n',
    );
    writeFileSync(path.join(inbox, 'mystery.csv'), 'dept_code,dept_name\nD01,示范局\n');
    expect((await ws.run(['ingest', path.join(inbox, 'mystery.csv')])).code).toBe(0);
    const clean = await ws.run(scoreArgs);
    expect([clean.code, clean.err.includes('隔离')]).toEqual([0, false]);

    const unknown = await ws.run(['export', 'rejects', '--file', 'nope.csv']);
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([
      1,
      '错误：没有加载过名为 nope.csv 的文件（--file 应为文件名或完整路径）。',
    ]);
  });
  it('says how many of the rows loaded the store already held from an earlier file', async () => {
    const ws = cliWorkspace(dir);
    const header = 'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation';
    const rows = ['E1,2026-10-20 10:01:02,D02,u1,R001,D01,api', 'E2,2026-10-20 10:02:00,D02,u1,R001,D01,api'];
    writeFileSync(path.join(dir, 'access_log_a.csv'), [header, rows[0]].join('\n') + '\n');
    // the same event E1 again, exported in the next file with a new one
    writeFileSync(path.join(dir, 'access_log_b.csv'), [header, ...rows].join('\r\n') + '\r\n');
    await ws.run(['ingest', path.join(dir, 'access_log_a.csv')]);
    const text = await ws.run(['ingest', path.join(dir, 'access_log_b.csv')]);
    expect(text.out.split('\n').slice(0, 2)).toEqual([
      'access_log_b.csv\taccess_log\t加载 2 行（其中 1 行此前已载入，未重复存储），拒收 0 行',
      `共 1 个数据文件：加载 2 行（其中 1 行此前已载入），拒收 0 行。数据库：${path.join(dir, 'sw.duckdb')}`,
    ]);
    writeFileSync(path.join(dir, 'access_log_c.csv'), [header, rows[1]].join('\n') + '\n');
    const json = JSON.parse((await ws.run(['ingest', path.join(dir, 'access_log_c.csv'), '--json'])).out) as {
      files: Array<{ rows_loaded: number; rows_resent: number }>;
    };
    expect(json.files.map((f) => [f.rows_loaded, f.rows_resent])).toEqual([[1, 1]]);
  });
  it('warns at a score of data samples whose file name holds no resource code the catalog lists', async () => {
    const ws = cliWorkspace(dir);
    writeFileSync(
      path.join(dir, 'catalog_snapshot_2026.csv'),
      'snapshot_date,resource_code,resource_name,provider_dept,category,share_type,update_cycle,data_items\n' +
        '2026-01-01,R_003,人口,D03,基础,有条件共享,每日,姓名\n',
    );
    writeFileSync(path.join(dir, 'data_sample_R_003_20260315.csv'), '姓名\n王一\n');
    writeFileSync(path.join(dir, 'data_sample_R9.csv'), '姓名\n王二\n');
    await ws.run(['ingest', dir]);
    const scored = await ws.run(['score', '--profile', 'fixture-basic', '--year', '2026']);
    expect(scored.code).toBe(0);
    expect(scored.err).toContain(
      '注意：有 1 个 data_sample 文件的文件名中没有目录所列的资源编码，其数据未计入本次评估：data_sample_R9.csv。' +
        '文件名应为 data_sample_<资源编码>.csv（可在编码后加 _日期 等）。\n',
    );
  });
  it("removes the work folders of an ingest killed a day ago or more, and leaves a younger one's", async () => {
    const ws = cliWorkspace(dir);
    const stale = mkdtempSync(path.join(os.tmpdir(), 'sharewatch-ingest-'));
    const young = mkdtempSync(path.join(os.tmpdir(), 'sharewatch-ingest-'));
    writeFileSync(path.join(stale, 'x.utf8'), 'decoded copy');
    const at = (hoursBefore: number) => new Date(FIXED_NOW.getTime() - hoursBefore * 3_600_000);
    utimesSync(stale, at(25), at(25));
    utimesSync(young, at(23), at(23));
    writeFileSync(path.join(dir, 'departments.csv'), 'dept_code,dept_name\nD01,一局\n');
    expect((await ws.run(['ingest', path.join(dir, 'departments.csv')])).code).toBe(0);
    expect([existsSync(stale), existsSync(young)]).toEqual([false, true]);
    rmSync(young, { recursive: true });
  });
  it('lists a file once however often it was set aside, and not the rejects of a load a later one replaced', async () => {
    const ws = cliWorkspace(dir);
    const header = '申请编号,requester_dept,provider_dept,resource_code,purpose,submitted_at';
    const row = (id: string) => `${id},D02,D01,R001,核验,2026-09-28 10:12:00`;
    const file = path.join(dir, 'share_requests_x.csv');
    writeFileSync(file, [header, row('SQ1')].join('\n') + '\n');
    expect((await ws.run(['ingest', file])).code).toBe(3); // no request_id
    writeFileSync(file, [header, row('SQ1'), row('SQ2')].join('\n') + '\n');
    expect((await ws.run(['ingest', file])).code).toBe(3);
    const batches = path.join(dir, 'supply_batches_2026-02.csv');
    writeFileSync(
      batches,
      'batch_id,resource_code,provider_dept,delivered_at,rows,status\n' +
        'B1,R001,D01,2026-02-02 10:00:00,-5,ok\nB2,R001,D01,2026-02-03 10:00:00,5,成功\n',
    );
    await ws.run(['ingest', batches]);
    // a mapping of the supply batches' statuses (成功 is no built-in spelling): their file is read again, and
    // replaces its first load
    appendFileSync(
      ws.config,
      '\nmappings:\n  supply_batches:\n    columns: {}\n    values:\n      status: { 成功: ok }\n',
    );
    expect(JSON.parse((await ws.run(['ingest', batches, '--json'])).out)).toMatchObject({
      files: [{ status: 'loaded', rows_rejected: 1, replaces: true }],
    });
    // another file of the same name, elsewhere, loads: the quarantine above is still to correct
    mkdirSync(path.join(dir, 'b'));
    writeFileSync(
      path.join(dir, 'b', 'share_requests_x.csv'),
      [header.replace('申请编号', 'request_id'), row('SQ3')].join('\n') + '\n',
    );
    expect((await ws.run(['ingest', path.join(dir, 'b', 'share_requests_x.csv')])).code).toBe(0);
    const rejects = JSON.parse((await ws.run(['export', 'rejects', '--format', 'json'])).out) as Array<{
      file_name: string;
      line: number | null;
    }>;
    expect(rejects.map((r) => [r.file_name, r.line])).toEqual([
      ['share_requests_x.csv', null],
      ['supply_batches_2026-02.csv', 2],
    ]);
    // a score goes by the name: a file of that name loaded since, so it warns no more
    const scored = await ws.run(['score', '--profile', 'fixture-basic', '--year', '2026']);
    expect(scored.err.includes('被整个隔离')).toBe(false);
  });
  it('clears the quarantine of a file once the load in force is sent again: a mapping changed and changed back', async () => {
    const ws = cliWorkspace(dir);
    const base = readFileSync(ws.config, 'utf8');
    const mapped = (columns: string) =>
      writeFileSync(ws.config, `${base}\nmappings:\n  share_requests:\n    columns: ${columns}\n`);
    const file = path.join(dir, 'share_requests_r.csv');
    writeFileSync(
      file,
      '编号,requester_dept,provider_dept,resource_code,purpose,submitted_at\nSQ1,D02,D01,R001,核验,2026-09-28 10:12:00\n',
    );
    mapped('{ 编号: request_id }');
    expect((await ws.run(['ingest', file])).code).toBe(0);
    mapped('{}'); // the mapping lost: no request_id
    expect((await ws.run(['ingest', file])).code).toBe(3);
    const kept = path.join(dir, 'quarantine');
    expect(readdirSync(kept)).toHaveLength(1); // the file set aside, kept as sent
    mapped('{ 编号: request_id }');
    const back = JSON.parse((await ws.run(['ingest', file, '--json'])).out) as {
      files: Array<{ status: string }>;
    };
    expect(back.files.map((f) => f.status)).toEqual(['duplicate']);
    expect(JSON.parse((await ws.run(['export', 'rejects', '--format', 'json'])).out)).toEqual([]);
    expect(readdirSync(kept)).toEqual([]); // what it held is in force: the copy goes with the quarantine
    const scored = await ws.run(['score', '--profile', 'fixture-basic', '--year', '2026']);
    expect([scored.code, scored.err.includes('被整个隔离')]).toEqual([0, false]);
  });
});
