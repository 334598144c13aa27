// `sharewatch demo` end to end at a small scale: generate, ingest, score, print; a second run is
// deterministic and loads nothing new.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { tempDir } from '../helpers.ts';
import { captureCli } from './cli-env.ts';

async function demo(dir: string): Promise<{ code: number; out: string }> {
  const cli = captureCli(dir);
  const code = await main(
    ['demo', '--seed', '1', '--scale', '0.01', '--db', path.join(dir, 'data', 'sw.duckdb')],
    cli,
  );
  return { code, out: cli.out.join('') };
}

describe('sharewatch demo', () => {
  it('writes the last complete year, loads it, scores it and prints a Chinese summary with the ranking', async () => {
    const dir = tempDir();
    const first = await demo(dir);
    expect(first.code).toBe(0);
    const lines = first.out.split('\n');
    expect(lines[0]).toBe('正在生成示范市 2025 年的共享平台记录（随机种子 1）……');
    expect(lines[1]).toBe(
      `已写入 35 个文件到 ${path.join(dir, 'data', 'demo-inbox')}：40 个部门、160 个目录资源、30 条共享申请、4033 条访问日志。`,
    );
    expect(lines[2]).toBe('加载完成：新加载 39632 行。');
    expect(first.out).toContain('评估期：2025（2025-01-01 至 2025-12-31）　截止日：2025-12-31');
    expect(first.out).toContain('　catalog.change_update　8（31）');
    expect(first.out).toMatch(/综合得分排名（共 40 个部门参与排名）：/);
    const db = path.join(dir, 'data', 'sw.duckdb');
    expect(first.out).toContain(`数据库：${db}`);
    // the next commands name the store the demo wrote
    expect(first.out).toContain(
      `下一步：npx sharewatch export scores --profile shaanxi-2017 --year 2025 --db ${db} --out scores.csv；` +
        `npx sharewatch export findings --profile shaanxi-2017 --year 2025 --db ${db} --out findings.csv\n`,
    );
    const manifest = /运行编号（清单）：(M-[0-9a-f]{16})/.exec(first.out)![1];
    const second = await demo(dir);
    expect(second.out).toContain('加载完成：新加载 0 行，35 个文件此前已加载、已跳过。');
    expect(/运行编号（清单）：(M-[0-9a-f]{16})/.exec(second.out)![1]).toBe(manifest);
  });
});
