// quality.one_source (一数一源) on data_sample files of two (or more) providers: which subject-items are
// compared, what counts as the same value, and which department a conflict is charged to.
import { describe, expect, it } from 'vitest';
import { catalog, csv, scoreInbox } from './score-inbox.ts';

const ENTERPRISES = catalog(
  '2026-01-01,R002,企业登记信息,D02,基础,无条件共享,每日,统一社会信用代码;企业名称;法定代表人;登记日期',
  '2026-01-01,R005,纳税人登记信息,D05,部门,有条件共享,每月,社会信用代码;企业名称;法定代表人;登记日期;纳税人状态',
);
const REGISTRY = csv(
  '统一社会信用代码,企业名称,法定代表人,登记日期',
  '91110000600037341L,示例科技有限公司(北京),张三,2015-06-01',
  '91310115MA1K3BTP2B,示例物流有限公司,王五,2020-11-11',
  '91440300708461136T,示例电子有限公司,,2001-01-01',
);
const TAXPAYERS = csv(
  '社会信用代码,企业名称,法定代表人,登记日期,纳税人状态',
  '91110000600037341L,示例科技有限公司（北京）,张三,2015/06/01,正常',
  '９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ,示例物流有限公司,赵六,20201111,正常',
  '91440300708461136T,示例电子有限公司,孙七,2001-01-01,非正常',
);

describe('quality.one_source', () => {
  it('compares the items two providers both supply per subject key, and charges a conflict to the non-base provider', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': REGISTRY,
      'data_sample_R005.csv': TAXPAYERS,
    });
    const { findings, evaluations } = of('quality.one_source');
    const subject = (code: string, item: string) => `统一社会信用代码=${code}/${item}`;
    const ok = (code: string, item: string) => ({
      subject_id: subject(code, item),
      dept_code: 'D05',
      status: 'ok',
      units: 1,
      failed_units: 0,
    });
    expect(evaluations).toEqual([
      ok('91110000600037341L', '企业名称'),
      ok('91110000600037341L', '法定代表人'),
      ok('91110000600037341L', '登记日期'),
      ok('91310115MA1K3BTP2B', '企业名称'),
      { ...ok('91310115MA1K3BTP2B', '法定代表人'), status: 'open', failed_units: 1 },
      ok('91310115MA1K3BTP2B', '登记日期'),
      ok('91440300708461136T', '企业名称'),
      ok('91440300708461136T', '登记日期'),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      subject_type: 'subject_item',
      subject_id: subject('91310115MA1K3BTP2B', '法定代表人'),
      dept_code: 'D05',
      severity: 'minor',
      article: '陕西省政务信息资源共享管理办法 第四条(三)',
    });
    expect(findings[0]!.evidence.records).toMatchObject({
      subject_key: '统一社会信用代码',
      subject_key_value: '91310115MA1K3BTP2B',
      item: '法定代表人',
      conflict: true,
      departments: ['D02', 'D05'],
      authoritative_dept: 'D02',
      charged_because: 'not_authoritative_source',
      sources: [
        {
          dept_code: 'D02',
          resource_code: 'R002',
          category: 'base',
          file_name: 'data_sample_R002.csv',
          line: 3,
          value: '王五',
        },
        {
          dept_code: 'D05',
          resource_code: 'R005',
          category: 'department',
          file_name: 'data_sample_R005.csv',
          line: 3,
          value: '赵六',
        },
      ],
    });
  });

  it('charges the first provider by code when no single base resource is involved, and skips one provider supplying twice', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': catalog(
        '2026-01-01,R003,社保参保信息,D03,主题,有条件共享,每月,公民身份号码;姓名',
        '2026-01-01,R007,流动人口信息,D01,部门,有条件共享,每月,身份证号码;姓名',
        '2026-01-01,R008,户籍变动信息,D01,部门,有条件共享,每月,居民身份证号码;姓名',
      ),
      'data_sample_R003.csv': csv('公民身份号码,姓名', '11010519491231002X,王一'),
      'data_sample_R007.csv': csv('身份证号码,姓名', '11010519491231002X,王壹', '440524188001010014,王四'),
      'data_sample_R008.csv': csv('居民身份证号码,姓名', '440524188001010014,王肆'),
    });
    const { findings, evaluations } = of('quality.one_source');
    expect(evaluations).toEqual([
      {
        subject_id: '公民身份号码=11010519491231002X/姓名',
        dept_code: 'D01',
        status: 'open',
        units: 1,
        failed_units: 1,
      },
    ]);
    expect(findings[0]!.evidence.records).toMatchObject({
      departments: ['D01', 'D03'],
      authoritative_dept: null,
      charged_because: 'first_provider_by_code',
    });
  });

  it("compares departments only: a provider's own two values are no conflict with one matching either", async () => {
    const header = '统一社会信用代码,法定代表人';
    const registry = csv(header, '91310115MA1K3BTP2B,张三', '91310115MA1K3BTP2B,张叁');
    const two = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': registry,
      'data_sample_R005.csv': csv('社会信用代码,法定代表人', '91310115MA1K3BTP2B,张三'),
    });
    const agreeing = two.of('quality.one_source');
    expect(agreeing.evaluations.map((e) => [e.subject_id, e.dept_code, e.status])).toEqual([
      ['统一社会信用代码=91310115MA1K3BTP2B/法定代表人', 'D05', 'ok'],
    ]);
    expect(agreeing.findings).toEqual([]);
    // a third department holding the base provider's other value: the two copies disagree only because the
    // base provider holds both, so the base provider is charged, not a department that copied it faithfully
    const three = await scoreInbox({
      'catalog_snapshot_2026.csv': catalog(
        '2026-01-01,R002,企业登记信息,D02,基础,无条件共享,每日,统一社会信用代码;法定代表人',
        '2026-01-01,R005,纳税人登记信息,D05,部门,有条件共享,每月,社会信用代码;法定代表人',
        '2026-01-01,R009,社保登记信息,D09,部门,有条件共享,每月,统一社会信用代码;法定代表人',
      ),
      'data_sample_R002.csv': registry,
      'data_sample_R005.csv': csv('社会信用代码,法定代表人', '91310115MA1K3BTP2B,张三'),
      'data_sample_R009.csv': csv(header, '91310115MA1K3BTP2B,张叁'),
    });
    const { findings } = three.of('quality.one_source');
    expect(findings.map((f) => [f.subject_id, f.dept_code, f.status])).toEqual([
      ['统一社会信用代码=91310115MA1K3BTP2B/法定代表人', 'D02', 'open'],
    ]);
    expect(findings[0]!.evidence.records).toMatchObject({
      conflict: true,
      departments: ['D02', 'D05', 'D09'],
      disagreeing_departments: ['D05', 'D09'],
      inconsistent_departments: ['D02'],
      authoritative_dept: 'D02',
      charged_because: 'authoritative_source_inconsistent',
    });
  });

  it('compares values without blanks (张 三 and 张三 are one name), and dates by their Beijing date', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': csv(
        '统一社会信用代码,法定代表人,登记日期',
        '91310115MA1K3BTP2B,张 三,2020-11-11',
        '91440300708461136T,王五,2001-01-01',
      ),
      'data_sample_R005.csv': csv(
        '社会信用代码,法定代表人,登记日期',
        '91310115MA1K3BTP2B,张三 ,2020-11-10T16:00:00Z',
        '91440300708461136T,王五,2001-01-01T09:00:00-08:00',
      ),
    });
    expect(of('quality.one_source').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      ['统一社会信用代码=91310115MA1K3BTP2B/法定代表人', 'ok'],
      ['统一社会信用代码=91310115MA1K3BTP2B/登记日期', 'ok'],
      // 09:00 at UTC-8 is 01:00 of the next day in Beijing
      ['统一社会信用代码=91440300708461136T/法定代表人', 'ok'],
      ['统一社会信用代码=91440300708461136T/登记日期', 'open'],
    ]);
  });

  it('compares facts, not their writing: dates, amounts and case in any usual form, placeholders, record-keeping items', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': csv(
        '统一社会信用代码,序号,法定代表人,登记日期,核准日期,注册资本,电子邮箱,数据更新时间,备注',
        '91110000600037341L,1,张三,2015年6月1日,2020-1-1,"1,000,000",abc@x.cn,2026-01-05 10:00:00,',
        '91310115MA1K3BTP2B,2,无,2020-11-11,2021.3.9,100,info@y.cn,2026-01-05 10:00:00,迁址',
      ),
      'data_sample_R005.csv': csv(
        '社会信用代码,序号,法定代表人,登记日期,核准日期,注册资本,电子邮箱,数据更新时间,备注',
        '91110000600037341L,7,张三,2015-06-01,2020-01-01,1000000.00,ABC@X.CN,2026-03-01 09:00:00,无',
        '91310115MA1K3BTP2B,8,王五,20201111,2021-03-09,100.50,info@y.cn,2026-03-01 09:00:00,新址',
      ),
    });
    expect(of('quality.one_source').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      ['统一社会信用代码=91110000600037341L/核准日期', 'ok'],
      ['统一社会信用代码=91110000600037341L/法定代表人', 'ok'],
      ['统一社会信用代码=91110000600037341L/注册资本', 'ok'],
      ['统一社会信用代码=91110000600037341L/电子邮箱', 'ok'],
      ['统一社会信用代码=91110000600037341L/登记日期', 'ok'],
      // 序号, 数据更新时间 and 备注 say nothing about the company; 无 states no 法定代表人 to compare
      ['统一社会信用代码=91310115MA1K3BTP2B/核准日期', 'ok'],
      ['统一社会信用代码=91310115MA1K3BTP2B/注册资本', 'open'],
      ['统一社会信用代码=91310115MA1K3BTP2B/电子邮箱', 'ok'],
      ['统一社会信用代码=91310115MA1K3BTP2B/登记日期', 'ok'],
    ]);
  });

  it('compares times of day: two times of one day differ, one time written two ways or a date against its day agrees', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': csv(
        '统一社会信用代码,成立时间,发证时间,核准时间,注销时间',
        '91110000600037341L,2020-01-01 10:00:00,2020-01-01 10:00,2020-01-01,2021-05-06 00:00:00',
      ),
      'data_sample_R005.csv': csv(
        '社会信用代码,成立时间,发证时间,核准时间,注销时间',
        '91110000600037341L,2020-01-01T12:00:00,2020-01-01T02:00:00Z,2020-01-01 15:30:00,2021/5/6',
      ),
    });
    expect(of('quality.one_source').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      // 10:00 Beijing time, written to the minute and as UTC
      ['统一社会信用代码=91110000600037341L/发证时间', 'ok'],
      // 10:00 and 12:00 of one day are two facts
      ['统一社会信用代码=91110000600037341L/成立时间', 'open'],
      // one provider gives the date alone: the other's time is not compared
      ['统一社会信用代码=91110000600037341L/核准时间', 'ok'],
      // midnight is the date alone
      ['统一社会信用代码=91110000600037341L/注销时间', 'ok'],
    ]);
  });

  it("takes a row's first key as its subject, and finds the keys under their other spellings and notes", async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      // the legal representative's 身份证号码 in a company record: the row is about the company
      'data_sample_R002.csv': csv(
        '统一社会信用代码（18位）,企业 名称,法定代表人,身份证号码',
        '91110000600037341L,甲公司,张三,11010519491231002X',
        '91310115MA1K3BTP2B,丙公司,李四,440524188001010014',
      ),
      'data_sample_R005.csv': csv(
        '信用代码,企业名称,法定代表人,身份证号码',
        '91440300708461136T,乙公司,张三,11010519491231002X',
        '91310115MA1K3BTP2B,丙公司,李四,440524188001010015',
      ),
    });
    // one subject per row, one finding per fact: 张三 heads two companies, which is no conflict about him
    expect(of('quality.one_source').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      ['统一社会信用代码=91310115MA1K3BTP2B/企业 名称', 'ok'],
      ['统一社会信用代码=91310115MA1K3BTP2B/法定代表人', 'ok'],
    ]);
  });

  it('skips key values that identify nobody: placeholders (the all-zero code too), and codes failing their check', async () => {
    const { of } = await scoreInbox({
      'catalog_snapshot_2026.csv': ENTERPRISES,
      'data_sample_R002.csv': csv(
        '统一社会信用代码,企业名称',
        '无,甲公司',
        '/,丙公司',
        '91110000600037341N,戊公司',
        '000000000000000000,庚公司',
        '91310115MA1K3BTP2B,示例物流有限公司',
      ),
      'data_sample_R005.csv': csv(
        '社会信用代码,企业名称',
        '无,乙公司',
        '/,丁公司',
        '91110000600037341N,己公司',
        '000000000000000000,辛公司',
        '91310115MA1K3BTP2B,示例物流有限公司（上海）',
      ),
    });
    expect(of('quality.one_source').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      ['统一社会信用代码=91310115MA1K3BTP2B/企业名称', 'open'],
    ]);
  });

  it("compares each provider's latest sample: a base provider's own change over time is no conflict", async () => {
    const header = '统一社会信用代码,企业名称';
    const renamed = (taxpayerName: string) =>
      scoreInbox({
        'catalog_snapshot_2026.csv': ENTERPRISES,
        'data_sample_R002_20260115.csv': csv(header, '91110000600037341L,示例科技有限公司'),
        'data_sample_R002_20260615.csv': csv(header, '91110000600037341L,示例智能科技有限公司'),
        'data_sample_R005_20260620.csv': csv(header, `91110000600037341L,${taxpayerName}`),
      });
    const current = (await renamed('示例智能科技有限公司')).of('quality.one_source');
    expect(current.evaluations.map((e) => [e.subject_id, e.dept_code, e.status])).toEqual([
      ['统一社会信用代码=91110000600037341L/企业名称', 'D05', 'ok'],
    ]);
    // the taxpayer register still holding the old name disagrees with the registry's current one
    const stale = (await renamed('示例科技有限公司')).of('quality.one_source');
    expect(stale.findings.map((f) => [f.subject_id, f.dept_code])).toEqual([
      ['统一社会信用代码=91110000600037341L/企业名称', 'D05'],
    ]);
    expect(
      (
        stale.findings[0]!.evidence.records.superseded_sources as Array<{ value: string; sampled_on: string }>
      ).map((x) => [x.value, x.sampled_on]),
    ).toEqual([['示例科技有限公司', '2026-01-15']]);
  });

  it('is not run under yingkou-2022', async () => {
    const { of, summary } = await scoreInbox(
      {
        'catalog_snapshot_2026.csv': ENTERPRISES,
        'data_sample_R002.csv': REGISTRY,
        'data_sample_R005.csv': TAXPAYERS,
      },
      { profile: 'yingkou-2022' },
    );
    expect(summary.disabled).toContain('quality.one_source');
    expect(of('quality.one_source').evaluations).toEqual([]);
  });
});
