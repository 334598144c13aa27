// A department code that the records name but the departments register lacks (a typo in an export, a
// department not registered yet) is not scored or ranked; the run summary names it with its findings.
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../cli/score.ts';
import { catalog, csv, scoreInbox } from './score-inbox.ts';

const ACCESS_HEADER =
  'event_id,ts,consumer_dept,user_id,resource_code,provider_dept,operation,records,result';

describe('departments outside the register', () => {
  it('are left out of the scores and named in the run summary', async () => {
    const { summary } = await scoreInbox({
      'departments.csv': csv('dept_code,dept_name', 'D01,示例市公安局', 'D02,示例市市场监督管理局'),
      'catalog_snapshot_2026.csv': catalog(
        '2026-01-01,R001,人口基本信息,D01,基础,有条件共享,每日,公民身份号码;姓名',
      ),
      'access_log_2026-03.csv': csv(
        ACCESS_HEADER,
        'E1,2026-03-10 10:00:00,X9,u1,R001,D01,query,1,ok',
        'E2,2026-03-11 10:00:00,D02,u2,R001,D01,query,1,ok',
      ),
    });
    expect(summary.unregistered).toEqual([{ dept_code: 'X9', findings: 1 }]);
    expect(formatRunSummary(summary, 'shaanxi-2017')).toContain(
      '部门名录中没有的部门代码（未评分、未排名，其问题仍在问题清单中，请核对记录或补充部门名录）：X9（1 项问题）\n',
    );
  });
});
