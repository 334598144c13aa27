// quality.conformance on data_sample files (the system's own checks): each failing value with its file line,
// check and Chinese reason, the sample's weight in the rate, its period, and the profile's settings.
import { describe, expect, it } from 'vitest';
import { quarterPeriod } from '../../metrics/periods.ts';
import { gb11643CheckChar } from '../../metrics/validators/gb11643.ts';
import { catalog, csv, scoreInbox } from './score-inbox.ts';

const POPULATION = catalog(
  '2026-01-01,R001,人口基本信息,D01,基础,有条件共享,每日,公民身份号码;姓名;出生日期;行政区划代码',
);
const PERSONS = csv(
  '公民身份号码,姓名,出生日期,行政区划代码,户籍地址,更新时间',
  '11010519491231002X,王一,1949-12-31,110105,,2026-03-01 10:00:00',
  '110105194912310021,王二,1949/12/31,110105,北京市,2026-03-01 10:00',
  '11010519491231002X,,19491231,991234,北京市,2026-03-01 25:00:00',
  '440524188001010014,王四,1880-01-01,440524,广东省,2026-03-01',
);

describe('quality.conformance on data samples', () => {
  it('reports each failing value with its file line, check and Chinese reason; blank optional items pass', async () => {
    const { of, batch } = await scoreInbox({
      'catalog_snapshot_2026.csv': POPULATION,
      'data_sample_R001.csv': PERSONS,
    });
    const subject = `R001/${batch('data_sample_R001.csv')}`;
    const { findings, evaluations } = of('quality.conformance');
    expect(evaluations).toEqual([
      { subject_id: subject, dept_code: 'D01', status: 'open', units: 4, failed_units: 2 },
    ]);
    expect(
      findings.map((f) => [f.subject_id, f.subject_type, f.dept_code, f.severity, f.started_on]),
    ).toEqual([[subject, 'data_sample', 'D01', 'major', null]]);
    expect(findings[0]!.evidence.records).toMatchObject({
      resource_code: 'R001',
      catalog_snapshot_date: '2026-01-01',
      rows_sampled: 4,
      rows_failed: 2,
      catalog_items_not_sampled: [],
      checks: [
        { item: '公民身份号码', checks: ['required', 'gb11643'] },
        { item: '姓名', checks: ['required'] },
        { item: '出生日期', checks: ['required', 'date'] },
        { item: '行政区划代码', checks: ['required', 'region'] },
        { item: '户籍地址', checks: [] },
        { item: '更新时间', checks: ['date'] },
      ],
      failures: [
        {
          line: 3,
          row_no: 2,
          item: '公民身份号码',
          value: '110105194912310021',
          check: 'gb11643',
          reason: '公民身份号码校验码错误（应为 X）',
        },
        { line: 4, row_no: 3, item: '姓名', value: null, check: 'required', reason: '必填项为空' },
        {
          line: 4,
          row_no: 3,
          item: '行政区划代码',
          value: '991234',
          check: 'region',
          reason: '行政区划代码前两位 99 不是省级行政区代码',
        },
        {
          line: 4,
          row_no: 3,
          item: '更新时间',
          value: '2026-03-01 25:00:00',
          check: 'date',
          reason: '时间不存在',
        },
      ],
    });
  });

  it('judges a birth date in a 公民身份号码 against the sample date, or the as-of date for an undated sample', async () => {
    const born0401 = '11010520260401001';
    const id = born0401 + gb11643CheckChar(born0401);
    const { of, batch } = await scoreInbox(
      {
        'catalog_snapshot_2026.csv': POPULATION,
        'data_sample_R001_20260315.csv': csv('公民身份号码,姓名', `${id},王一`),
        'data_sample_R001.csv': csv('公民身份号码,姓名', `${id},王一`, '11010519491231002X,王二'),
      },
      { asOf: '2026-06-30' },
    );
    const dated = `R001/${batch('data_sample_R001_20260315.csv')}`;
    const { findings, evaluations } = of('quality.conformance');
    expect(evaluations.map((e) => [e.subject_id, e.status]).sort()).toEqual(
      [
        [dated, 'open'],
        [`R001/${batch('data_sample_R001.csv')}`, 'ok'],
      ].sort(),
    );
    expect(findings.map((f) => [f.subject_id, f.evidence.records.failures])).toEqual([
      [
        dated,
        [
          {
            line: 2,
            row_no: 1,
            item: '公民身份号码',
            value: id,
            check: 'gb11643',
            reason: '公民身份号码中的出生日期 20260401 晚于数据日期 2026-03-15',
          },
        ],
      ],
    ]);
  });

  it("takes the catalog in force at the period's end, not a later one known by an as-of date after it", async () => {
    const { of } = await scoreInbox(
      {
        'catalog_snapshot_20260101.csv': catalog(
          '2026-01-01,R001,人口基本信息,D01,基础,有条件共享,每日,公民身份号码;姓名',
        ),
        'catalog_snapshot_20260401.csv': catalog(
          '2026-04-01,R001,人口基本信息,D01,基础,有条件共享,每日,公民身份号码;姓名;民族',
        ),
        // 民族 is blank: required only by the April catalog
        'data_sample_R001.csv': csv('公民身份号码,姓名,民族', '11010519491231002X,王一,'),
      },
      { period: quarterPeriod(2026, 1), asOf: '2026-06-30' },
    );
    const { findings, evaluations } = of('quality.conformance');
    expect(evaluations.map((e) => [e.status, e.units, e.failed_units])).toEqual([['ok', 1, 0]]);
    expect(findings).toEqual([]);
  });

  it('counts a clean sample as evaluated and fine, and leaves out a sample of a resource the catalog lacks', async () => {
    const { of, batch } = await scoreInbox({
      'catalog_snapshot_2026.csv': POPULATION,
      'data_sample_R001.csv': csv('公民身份号码,姓名', '11010519491231002X,王一', '440524188001010014,王四'),
      'data_sample_R009.csv': csv('统一社会信用代码', '91110000600037341N'),
    });
    const { findings, evaluations } = of('quality.conformance');
    expect(findings).toEqual([]);
    expect(evaluations).toEqual([
      {
        subject_id: `R001/${batch('data_sample_R001.csv')}`,
        dept_code: 'D01',
        status: 'ok',
        units: 2,
        failed_units: 0,
      },
    ]);
  });

  it('reads the longest listed resource code from the file name: codes with _ and names with -', async () => {
    const { of, batch } = await scoreInbox({
      'catalog_snapshot_2026.csv': catalog(
        '2026-01-01,R,人口甲,D01,基础,有条件共享,每日,公民身份号码;姓名',
        '2026-01-01,R_003,人口乙,D03,基础,有条件共享,每日,公民身份号码;姓名',
        '2026-01-01,R011,人口丙,D11,基础,有条件共享,每日,公民身份号码;姓名',
      ),
      'data_sample_R_003_20260315.csv': csv('公民身份号码,姓名', '11010519491231002X,王一'),
      'data_sample_R011-v2.csv': csv('公民身份号码,姓名', '440524188001010014,王四'),
    });
    expect(of('quality.conformance').evaluations.map((e) => [e.subject_id, e.dept_code])).toEqual([
      [`R011/${batch('data_sample_R011-v2.csv')}`, 'D11'],
      [`R_003/${batch('data_sample_R_003_20260315.csv')}`, 'D03'],
    ]);
  });

  it('places a sample dated in its file name in the period of that date, and not before it is taken', async () => {
    const bad = csv('公民身份号码,姓名', '110105194912310021,王二');
    const files = {
      'catalog_snapshot_2026.csv': POPULATION,
      'data_sample_R001_20251215.csv': bad,
      'data_sample_R001_2026-03-15.csv': bad + '11010519491231002X,王一\n',
      'data_sample_R001_extra.csv': bad + '440524188001010014,王四\n',
    };
    const year = await scoreInbox(files);
    // findings come ordered by subject id, which holds the batch id (a hash): compare in that order
    const bySubject = (rows: Array<[string, string | null, string | null]>) =>
      rows.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(
      year.of('quality.conformance').findings.map((f) => [f.subject_id, f.started_on, f.observed_on]),
    ).toEqual(
      bySubject([
        [`R001/${year.batch('data_sample_R001_2026-03-15.csv')}`, '2026-03-15', '2026-03-15'],
        [`R001/${year.batch('data_sample_R001_extra.csv')}`, null, null],
      ]),
    );
    const early = await scoreInbox(files, { asOf: '2026-03-14' });
    expect(early.of('quality.conformance').evaluations.map((e) => e.subject_id)).toEqual([
      `R001/${early.batch('data_sample_R001_extra.csv')}`,
    ]);
  });

  it('takes a placeholder (无, /, -) for an empty value, and does not require conditional items (注销日期, 备注)', async () => {
    const { of, batch } = await scoreInbox({
      'catalog_snapshot_2026.csv': catalog(
        '2026-01-01,R002,企业登记信息,D02,基础,无条件共享,每日,统一社会信用代码;企业名称;法定代表人;注销日期;变更日期;备注',
      ),
      'data_sample_R002.csv': csv(
        '统一社会信用代码,企业名称,法定代表人,注销日期,变更日期,备注',
        '91110000600037341L,甲公司,张三,,/,',
        '91310115MA1K3BTP2B,乙公司,无,-,2024-05-06,迁址',
        '91440300708461136T,丙公司,／,2025-13-01,,',
      ),
    });
    const { findings } = of('quality.conformance');
    expect(findings.map((f) => [f.subject_id, f.status])).toEqual([
      [`R002/${batch('data_sample_R002.csv')}`, 'open'],
    ]);
    expect(findings[0]!.evidence.records).toMatchObject({
      rows_failed: 2,
      checks: [
        { item: '统一社会信用代码', checks: ['required', 'gb32100'] },
        { item: '企业名称', checks: ['required'] },
        { item: '法定代表人', checks: ['required'] },
        { item: '注销日期', checks: ['date'] },
        { item: '变更日期', checks: ['date'] },
        { item: '备注', checks: [] },
      ],
      failures: [
        // a blank 注销日期 of an active company is no gap; a placeholder in a date item is no malformed date
        {
          line: 3,
          item: '法定代表人',
          value: '无',
          check: 'required',
          reason: '必填项为空（填写为“无”）',
        },
        {
          line: 4,
          item: '法定代表人',
          value: '／',
          check: 'required',
          reason: '必填项为空（填写为“／”）',
        },
        { line: 4, item: '注销日期', value: '2025-13-01', check: 'date', reason: '日期不存在' },
      ],
    });
  });

  it('lets a profile replace the checks of an item, stop requiring catalog items, and tolerate a share of bad rows', async () => {
    const files = { 'catalog_snapshot_2026.csv': POPULATION, 'data_sample_R001.csv': PERSONS };
    const relaxed = await scoreInbox(files, {
      params: {
        'quality.conformance': {
          item_checks: { 更新时间: [], 户籍地址: ['required'] },
          required_from_catalog: false,
        },
      },
    });
    const failures = relaxed.of('quality.conformance').findings[0]!.evidence.records.failures as Array<{
      item: string;
    }>;
    expect(failures.map((f) => f.item)).toEqual(['户籍地址', '公民身份号码', '行政区划代码']);
    // 2 of 4 rows fail: within a tolerance of half the rows, still counted as failed rows in the rate
    const tolerant = await scoreInbox(files, { params: { 'quality.conformance': { tolerance: 0.5 } } });
    expect(tolerant.of('quality.conformance').findings).toEqual([]);
    expect(tolerant.of('quality.conformance').evaluations).toMatchObject([
      { status: 'ok', units: 4, failed_units: 2 },
    ]);
    expect(tolerant.indicator('quality_conformance_rate')).toEqual([
      { indicator_id: 'quality_conformance_rate', units: 4, failed_units: 2, score: '50.00' },
    ]);
    const strict = await scoreInbox(files, { params: { 'quality.conformance': { tolerance: 0.4 } } });
    expect(strict.of('quality.conformance').findings.map((f) => f.status)).toEqual(['open']);
  });

  it('rejects an unknown check in the profile, naming the key path', async () => {
    await expect(
      scoreInbox(
        { 'catalog_snapshot_2026.csv': POPULATION },
        { params: { 'quality.conformance': { item_checks: { 姓名: ['gb99'] } } } },
      ),
    ).rejects.toThrow(/rules\.quality\.conformance\.params\.item_checks\.姓名\.0/);
  });
});
