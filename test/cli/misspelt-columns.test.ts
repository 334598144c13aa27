// A column that is no canonical name but looks like one the file lacks (responded_time for responded_at) was
// kept in `extra` in silence, and every request read as unanswered. Ingest now names it, with the mapping that
// reads it; a score warns while such a load is in force; a required column's quarantine names the look-alike.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planHeader, suspectColumns } from '../../collectors/detect-kind.ts';
import { recordKind } from '../../store/record-kinds.ts';
import { cliWorkspace } from './cli-env.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sharewatch-misspelt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SHARE = recordKind('share_requests')!;
const suspects = (header: string[]) =>
  suspectColumns(SHARE, header, planHeader(SHARE, header, undefined)).map((c) => [c.column, c.canonical]);
const BASE = ['request_id', 'requester_dept', 'provider_dept', 'resource_code', 'purpose', 'submitted_at'];

describe('columns that look like a canonical one', () => {
  it('finds other case and separators, two letters off, and another word for when; not other names', () => {
    expect(suspects([...BASE, 'responded_time', 'RespondedAt', 'decison', 'valid-from', 'remark'])).toEqual([
      ['responded_time', 'responded_at'],
      ['RespondedAt', 'responded_at'],
      ['decison', 'decision'],
      ['valid-from', 'valid_from'],
    ]);
    // the canonical column is there: the look-alike is an extra column of its own
    expect(suspects([...BASE, 'responded_at', 'responded_time'])).toEqual([]);
    // other columns a platform sends: a word added, or another short word
    expect(suspects([...BASE, 'decision_by', 'reason_code', 'legal_basis_note'])).toEqual([]);
    const access = recordKind('access_log')!;
    const header = [
      'event_id',
      'ts',
      'consumer_dept',
      'user_id',
      'resource_code',
      'provider_dept',
      'operation',
    ];
    const extra = [...header, 'client_id', 'record', 'itmes'];
    expect(suspectColumns(access, extra, planHeader(access, extra, undefined))).toEqual([
      { column: 'record', canonical: 'records' },
      { column: 'itmes', canonical: 'items' },
    ]);
  });

  it('warns at ingest and at every score until the file is read under a mapping', async () => {
    const ws = cliWorkspace(dir);
    const header = [...BASE, 'responded_time', 'decision'].join(',');
    const rows = ['SQ1,D02,D01,R001,核验,2026-09-28 10:12:00,2026-10-16 17:40:00,approved'];
    const file = path.join(dir, 'share_requests_2026q3.csv');
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const warning =
      '列“responded_time”不是标准列名，但与文件缺少的列 responded_at 相近：它的取值未作为 responded_at 读取' +
      '（各行的 responded_at 按空值处理）。若它就是 responded_at，请在配置的 mappings.share_requests.columns ' +
      '中加入“responded_time: responded_at”后重新加载该文件';
    const ingest = await ws.run(['ingest', file]);
    expect(ingest.code).toBe(0);
    expect(ingest.out.split('\n').slice(0, 2)).toEqual([
      'share_requests_2026q3.csv\tshare_requests\t加载 1 行，拒收 0 行',
      `  注意：${warning}`,
    ]);
    const again = await ws.run(['ingest', file, '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ files: [{ status: 'duplicate', warnings: [] }] });

    const scoreArgs = ['score', '--profile', 'fixture-basic', '--year', '2026'];
    const warned = await ws.run(scoreArgs);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain(
      '注意：有 1 个已加载文件的列名疑似拼写错误或与映射不符，这些列的取值未计入本次评估：' +
        'share_requests_2026q3.csv（responded_time 疑为 responded_at）。' +
        '依赖这些列的问题可能有误，请按加载时的提示配置列名映射后重新加载再评估。\n',
    );

    // read under the mapping, the file's load supersedes the one that warned
    appendFileSync(
      ws.config,
      '\nmappings:\n  share_requests:\n    columns:\n      responded_time: responded_at\n',
    );
    const mapped = await ws.run(['ingest', file]);
    expect(mapped.out.split('\n')[0]).toBe(
      'share_requests_2026q3.csv\tshare_requests\t加载 1 行，拒收 0 行；按新的列名或取值映射重新读取，替代此前的加载',
    );
    const clean = await ws.run(scoreArgs);
    expect([clean.code, clean.err.includes('拼写错误')]).toEqual([0, false]);
  });

  it('warns of a mapped column the file does not have, at ingest and at every score', async () => {
    const ws = cliWorkspace(dir);
    // two export versions spell the submission time two ways: the one the file has is read, the other is no
    // warning; the answer time is mapped from a name this export does not use
    appendFileSync(
      ws.config,
      '\nmappings:\n  share_requests:\n    columns:\n      提交时间: submitted_at\n      申请时间: submitted_at\n' +
        '      答复日期: responded_at\n',
    );
    const file = path.join(dir, 'share_requests_2026q3.csv');
    writeFileSync(
      file,
      'request_id,requester_dept,provider_dept,resource_code,purpose,申请时间,答复时间,decision\n' +
        'SQ1,D02,D01,R001,核验,2026-09-28 10:12:00,2026-10-16 17:40:00,approved\n',
    );
    const ingest = await ws.run(['ingest', file]);
    expect([ingest.code, ...ingest.out.split('\n').slice(0, 2)]).toEqual([
      0,
      'share_requests_2026q3.csv\tshare_requests\t加载 1 行，拒收 0 行',
      '  注意：配置的 mappings.share_requests.columns 把“答复日期”映射为 responded_at，但文件中没有该列，也没有 ' +
        'responded_at 列：各行的 responded_at 按空值处理。请核对文件表头与映射中的列名，更正后重新加载该文件',
    ]);
    /** Ingests a file of one request; its first output line, and whether anything was warned of. */
    const ingestQuietly = async (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const out = await ws.run(['ingest', file]);
      return [out.code, out.out.split('\n')[0], out.out.includes('注意')];
    };
    // another platform's export in canonical names, without the optional answer time: not the export the
    // mapping describes, nothing to warn of
    expect(
      await ingestQuietly(
        'share_requests_platform2.csv',
        'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at\n' +
          'SQ3,D02,D01,R001,核验,2026-10-09 10:00:00\n',
      ),
    ).toEqual([0, 'share_requests_platform2.csv\tshare_requests\t加载 1 行，拒收 0 行', false]);
    // a JSON Lines file names the keys its records have: a pending request has no answer time to map
    expect(
      await ingestQuietly(
        'share_requests_2026q4.jsonl',
        '{"request_id": "SQ2", "requester_dept": "D02", "provider_dept": "D01", "resource_code": "R001", ' +
          '"purpose": "核验", "申请时间": "2026-10-08 10:00:00", "decision": "pending"}\n',
      ),
    ).toEqual([0, 'share_requests_2026q4.jsonl\tshare_requests\t加载 1 行，拒收 0 行', false]);
    const warned = await ws.run(['score', '--profile', 'fixture-basic', '--year', '2026']);
    expect(warned.err).toContain(
      '注意：有 1 个已加载文件的列名疑似拼写错误或与映射不符，这些列的取值未计入本次评估：' +
        'share_requests_2026q3.csv（映射为 responded_at 的 答复日期 不在文件中）。',
    );
  });

  it('names the look-alike of a missing required column in the quarantine', async () => {
    const ws = cliWorkspace(dir);
    const file = path.join(dir, 'share_requests_2026q4.csv');
    writeFileSync(file, 'request_id,requester_dept,provider_dept,resource_code,purpose,SubmittedAt\n');
    const ingest = await ws.run(['ingest', file, '--json']);
    expect(ingest.code).toBe(3);
    expect(JSON.parse(ingest.out)).toMatchObject({
      files: [
        {
          status: 'quarantined',
          reason:
            '第 1 行表头缺少必需的列：submitted_at（share_requests 文件应包含这些列）；“SubmittedAt”疑为 submitted_at，' +
            '可在配置的 mappings.share_requests.columns 中映射后重新加载',
        },
      ],
    });
  });
});
