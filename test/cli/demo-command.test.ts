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
    const manifest = /运行编号（清单）：(M-[0-9a-f]{16})/.exec(first.out)![1];
    // the whole summary, seed 1 on the fixed clock: every rule's count, the ranking's top and bottom five with
    // totals and grades, and the next commands naming the store the demo wrote
    expect(lines).toEqual([
      `正在生成示范市 2025 年的共享平台记录（随机种子 1）……`,
      `已写入 35 个文件到 ${dir}/data/demo-inbox：40 个部门、160 个目录资源、30 条共享申请、4033 条访问日志。`,
      `加载完成：新加载 39632 行。`,
      ``,
      `评估配置：shaanxi-2017 v1.1.0（陕西省政务信息资源共享管理办法）\u3000评估期：2025（2025-01-01 至 2025-12-31）\u3000截止日：2025-12-31`,
      `运行编号（清单）：${manifest}`,
      `变化：上一评估期 2024 没有同一评估配置下的完整评估运行（截止日不早于其期末，且评估时截止日已过），本期不计算得分变化`,
      `各规则发现问题数（评估对象数）：`,
      `  目录未及时更新（法规修订/职能调整后）\u3000catalog.change_update\u30008（31）`,
      `  未按季度全面维护目录\u3000catalog.quarterly_review\u300031（160）`,
      `  目录要素不完整\u3000catalog.metadata_complete\u300016（159）`,
      `  有条件/不予共享未注明依据\u3000catalog.restricted_basis\u30001（6）`,
      `  基础数据未无条件共享\u3000catalog.base_unconditional\u30004（22）`,
      `  目录未挂接数据\u3000catalog.mounted\u300017（153）`,
      `  共享申请逾期答复\u3000supply.request_response\u30007（29）`,
      `  共享申请逾期未答复\u3000supply.request_unanswered\u30001（1）`,
      `  拒绝共享未说明理由\u3000supply.rejection_basis\u30000（10）`,
      `  未按更新周期供给数据\u3000supply.update_cycle\u30002779（19144），另有 11 项因平台数据缺失不计`,
      `  数据校核逾期答复\u3000quality.verification_response\u300033（290）`,
      `  确认错误未及时更正\u3000quality.error_corrected\u300024（121）`,
      `  数据质量不规范\u3000quality.conformance\u30006204（10275）`,
      `  一数多源不一致\u3000quality.one_source\u30004（80）`,
      `  未经批准访问有条件共享数据\u3000misuse.unapproved_access\u300013（43）`,
      `  超出批准范围使用数据\u3000misuse.beyond_scope\u30004（30）`,
      `  访问量异常（待复核）\u3000misuse.anomalous_volume\u300025（2004）`,
      `综合得分排名（共 40 个部门参与排名）：`,
      `    1  D24 示范市城市管理局\u3000总分 99.66\u3000优秀`,
      `    2  D37 示范市气象局\u3000总分 99.63\u3000优秀`,
      `    3  D31 示范市政务服务管理局\u3000总分 99.44\u3000优秀`,
      `    4  D02 示范市市场监督管理局\u3000总分 99.11\u3000优秀`,
      `    5  D09 示范市发展和改革委员会\u3000总分 98.60\u3000优秀`,
      `  ……`,
      `   36  D19 示范市医疗保障局\u3000总分 76.42\u3000合格`,
      `   37  D12 示范市交通运输局\u3000总分 71.20\u3000合格`,
      `   38  D14 示范市生态环境局\u3000总分 70.84\u3000合格`,
      `   39  D04 示范市自然资源和规划局\u3000总分 69.49\u3000合格`,
      `   40  D39 示范市信访局\u3000总分 62.86\u3000合格`,
      ``,
      `数据库：${dir}/data/sw.duckdb`,
      `下一步：npx sharewatch export scores --profile shaanxi-2017 --year 2025 --db ${dir}/data/sw.duckdb --out scores.csv；npx sharewatch export findings --profile shaanxi-2017 --year 2025 --db ${dir}/data/sw.duckdb --out findings.csv`,
      ``,
    ]);
    const second = await demo(dir);
    expect(second.out).toContain('加载完成：新加载 0 行，35 个文件此前已加载、已跳过。');
    expect(/运行编号（清单）：(M-[0-9a-f]{16})/.exec(second.out)![1]).toBe(manifest);
  });
});
