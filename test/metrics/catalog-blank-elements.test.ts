// A catalog entry exported with a blank update cycle or share type is loaded, not rejected: stating neither
// is a catalog.metadata_complete finding against its department (RULES.md), which a dropped row would hide.
// An entry with no update cycle owes no supply windows (there is no cycle to judge batches against).
import { describe, expect, it } from 'vitest';
import { catalog, scoreInbox } from './score-inbox.ts';

describe('a catalog entry with a blank update cycle or share type', () => {
  it('loads, is a metadata_complete finding naming the blank element, and owes no supply windows', async () => {
    const { of } = await scoreInbox(
      {
        'catalog_snapshot_2026.csv': catalog(
          '2026-01-01,R001,人口基本信息,D01,基础,无条件共享,,公民身份号码;姓名',
          '2026-01-01,R002,企业登记信息,D02,部门,,每月,统一社会信用代码',
          '2026-01-01,R003,不动产登记信息,D03,部门,无条件共享,每月,不动产单元号',
        ),
      },
      { profile: 'guangdong-2018', asOf: '2026-03-31' },
    );
    const missing = of('catalog.metadata_complete').findings.map((f) => [
      f.subject_id,
      f.dept_code,
      f.evidence.records.missing,
    ]);
    // the export states no format, share method or usage requirements for any entry
    const always = ['format', 'share_method', 'usage_requirements'];
    expect(missing).toEqual([
      ['R001', 'D01', ['format', 'update_cycle', 'share_method', 'usage_requirements']],
      ['R002', 'D02', ['format', 'share_type', 'share_method', 'usage_requirements']],
      ['R003', 'D03', always],
    ]);
    // R001 owes no windows; R002's and R003's monthly windows (January to March) saw no batch of anyone at
    // all: data gaps (data-gaps.ts), not misses
    expect(of('supply.update_cycle').evaluations.map((e) => [e.subject_id, e.dept_code, e.status])).toEqual(
      ['R002/2026-01', 'R002/2026-02', 'R002/2026-03']
        .map((s) => [s, 'D02', 'data_gap'])
        .concat(['R003/2026-01', 'R003/2026-02', 'R003/2026-03'].map((s) => [s, 'D03', 'data_gap'])),
    );
  });
});
