// A run keeps the profile it was scored with: verify and fix-first recompute with that method even after the
// file changed, and a changed file must carry a new version before it scores again.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOX_SMALL, REPO_ROOT, tempDir } from '../helpers.ts';
import { cliWorkspace } from './cli-env.ts';

const dir = tempDir();
const profiles = path.join(dir, 'profiles');
const profileFile = path.join(profiles, 'fixture-basic.yaml');
const original = readFileSync(
  path.join(REPO_ROOT, 'test', 'fixtures', 'profiles', 'fixture-basic.yaml'),
  'utf8',
);
const { run } = cliWorkspace(dir, profiles);
const period = ['--profile', 'fixture-basic', '--year', '2026'];
const changed = (text: string) =>
  text
    .replace('request_response: { enabled: true, days: 10', 'request_response: { enabled: true, days: 15')
    .replace('rejection_basis: { enabled: true,', 'rejection_basis: { enabled: false, note: 暂不评估,');
const manifestOf = (out: string) => /运行编号（清单）：(M-[0-9a-f]{16})/.exec(out)![1]!;

beforeAll(async () => {
  mkdirSync(profiles);
  copyFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'profiles', 'fixture-basic.yaml'), profileFile);
  expect((await run(['ingest', INBOX_SMALL])).code).toBe(0);
});

describe('profile versions', () => {
  it('verifies and suggests fixes with the profile the run used, and refuses a changed file under the same version', async () => {
    const scored = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect(scored.code).toBe(0);
    const manifest = manifestOf(scored.out);
    const before = (await run(['fix-first', ...period, '--dept', 'D03', '--json'])).out;

    // 15 working days instead of 10, and refusals not scored: another method, still called 0.1.0
    writeFileSync(profileFile, changed(original));
    const refused = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect([refused.code, refused.err]).toEqual([
      1,
      `错误：评估配置 fixture-basic 的内容已修改，但版本号仍为 0.1.0（运行 ${manifest} 用的是该版本的原内容）。请在配置文件中更新 version 后再评估，使每个版本号只对应一种评估方法。\n`,
    ]);
    const verified = await run(['verify', manifest]);
    expect([verified.code, verified.out]).toEqual([
      0,
      '注意：现行评估配置文件 fixture-basic（版本 0.1.0）与该运行所用的（版本 0.1.0）不同，重算使用运行时保存的配置\n' +
        `identical：运行 ${manifest} 已从 11 个输入批次在新数据库中重算，问题清单与得分完全一致。\n`,
    ]);
    // SQ3's missing reason stays worth its points: the run scored refusals
    expect(before).toContain('"subject_id": "SQ3"');
    expect((await run(['fix-first', ...period, '--dept', 'D03', '--json'])).out).toBe(before);

    // under a new version the changed method scores
    writeFileSync(profileFile, changed(original).replace('version: 0.1.0', 'version: 0.2.0'));
    const next = await run(['score', ...period, '--as-of', '2026-12-31']);
    expect(next.code).toBe(0);
    expect(manifestOf(next.out)).not.toBe(manifest);
  });

  it('refuses params a rule does not take, and a slip in the params of a rule turned off, before scoring', async () => {
    const file = path.join(profiles, 'fixture-params.yaml');
    writeFileSync(
      file,
      original
        .replace('id: fixture-basic', 'id: fixture-params')
        .replace(
          '    mounted: { enabled: false, article: 不适用, basis: default, note: 测试配置不评估此项 }',
          '    mounted:\n      { enabled: false, article: 不适用, basis: default, note: 测试配置不评估此项, params: { published_only: false } }',
        )
        .replace(
          '    duplicate_collection: { enabled: false, article: 不适用, basis: default, note: 测试配置不评估此项 }',
          '    duplicate_collection:\n      { enabled: false, article: 不适用, basis: default, note: 测试, params: { bogus: x } }',
        ),
    );
    const refused = await run([
      'score',
      '--profile',
      'fixture-params',
      '--year',
      '2026',
      '--as-of',
      '2026-12-31',
    ]);
    expect([refused.code, refused.err]).toEqual([
      1,
      `错误：${file}：rules.catalog.mounted.params（第 14 行第 72 列）：此规则没有可设置的参数（params），请删除此项\n` +
        `${file}：rules.misuse.duplicate_collection.params.bogus（第 29 行第 75 列）：未知的键（此处可用：ignore_items, min_items）\n`,
    ]);
  });

  it("exports a run and suggests fixes with the profile it stored, whatever checks today's file would fail", async () => {
    const file = path.join(profiles, 'fixture-old.yaml');
    writeFileSync(file, original.replace('id: fixture-basic', 'id: fixture-old'));
    const oldPeriod = ['--profile', 'fixture-old', '--year', '2026'];
    expect((await run(['score', ...oldPeriod, '--as-of', '2026-12-31'])).code).toBe(0);
    // as a file written before every rule had to be listed
    writeFileSync(
      file,
      original.replace('id: fixture-basic', 'id: fixture-old').replace(/^ {4}quarterly_review: .*\n/m, ''),
    );
    expect((await run(['score', ...oldPeriod, '--as-of', '2026-12-31'])).code).toBe(1);
    const exported = await run(['export', 'scores', ...oldPeriod, '--format', 'json']);
    expect([exported.code, exported.err]).toEqual([0, '']);
    expect((await run(['fix-first', ...oldPeriod, '--json'])).code).toBe(0);
  });
});
