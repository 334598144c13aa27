// The system's own value checks (metrics/validators/): real codes and numbers, valid and invalid, with the
// Chinese reason a department reads in its finding.
import { describe, expect, it } from 'vitest';
import { checkDate, parseItemDate } from '../../metrics/validators/calendar-date.ts';
import { checkGb11643, gb11643CheckChar } from '../../metrics/validators/gb11643.ts';
import { checkGb32100, gb32100CheckChar } from '../../metrics/validators/gb32100.ts';
import { defaultChecks, runCheck, toHalfWidth } from '../../metrics/validators/index.ts';
import { checkRegionCode, checkStatisticalRegionCode } from '../../metrics/validators/region-code.ts';

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts codes whose mod-31 check character is right', () => {
    for (const code of ['91110000600037341L', '91310115MA1K3BTP2B', '91440300708461136T'])
      expect(checkGb32100(code)).toBeNull();
    expect(gb32100CheckChar('91110000600037341')).toBe('L');
  });

  it('names the right check character when it is wrong (inbox-small row 2)', () => {
    expect(checkGb32100('91110000600037341N')).toBe('统一社会信用代码校验位错误（应为 L）');
  });

  it('gives 0, not 31, when the weighted sum is a multiple of 31', () => {
    expect(gb32100CheckChar('9111000060003734F')).toBe('0');
    expect(checkGb32100('9111000060003734F0')).toBeNull();
  });

  it('rejects characters 3-8 that are no 行政区划码, the all-zero placeholder too (its check character fits)', () => {
    expect(gb32100CheckChar('00000000000000000')).toBe('0');
    expect(checkGb32100('000000000000000000')).toBe(
      '统一社会信用代码第 3—8 位「000000」不是登记管理机关的行政区划码',
    );
    const lettered = '91ABCDEF60003734' + '1';
    expect(checkGb32100(lettered + gb32100CheckChar(lettered))).toBe(
      '统一社会信用代码第 3—8 位「ABCDEF」不是登记管理机关的行政区划码',
    );
    // a national registering authority: 100000
    const national = '11100000MB0143285';
    expect(checkGb32100(national + gb32100CheckChar(national))).toBeNull();
  });

  it('rejects a wrong length and letters outside the code alphabet (I, O, S, V, Z, lowercase)', () => {
    expect(checkGb32100('91110000600037341')).toBe('统一社会信用代码应为 18 位（实为 17 位）');
    expect(checkGb32100('9111000060003734IL')).toBe('统一社会信用代码含有非法字符「I」');
    expect(checkGb32100('91310115ma1k3btp2b')).toBe('统一社会信用代码含有非法字符「m」');
    expect(checkGb32100('９1110000600037341L')).toBe('统一社会信用代码含有非法字符「９」');
  });
});

describe('公民身份号码 (GB 11643)', () => {
  it('accepts numbers with the right mod 11-2 check character, X included', () => {
    expect(checkGb11643('11010519491231002X')).toBeNull();
    expect(checkGb11643('440524188001010014')).toBeNull();
    expect(gb11643CheckChar('11010519491231002')).toBe('X');
  });

  it('names the right check character when it is wrong', () => {
    expect(checkGb11643('110105194912310021')).toBe('公民身份号码校验码错误（应为 X）');
  });

  it('rejects a birth date that does not exist, even with a matching check character', () => {
    const body = '11010519490229001'; // 1949 is not a leap year
    expect(checkGb11643(body + gb11643CheckChar(body))).toBe('公民身份号码中的出生日期 19490229 不存在');
    const leap = '11010520000229001';
    expect(checkGb11643(leap + gb11643CheckChar(leap))).toBeNull();
  });

  it('rejects a birth date before 1800 or after the day the data was recorded by', () => {
    const year1 = '11010500010101001';
    expect(checkGb11643(year1 + gb11643CheckChar(year1))).toBe(
      '公民身份号码中的出生日期 00010101 早于 1800 年',
    );
    const y1799 = '11010517991231001';
    expect(checkGb11643(y1799 + gb11643CheckChar(y1799))).toBe(
      '公民身份号码中的出生日期 17991231 早于 1800 年',
    );
    const future = '11010520261122001';
    expect(checkGb11643(future + gb11643CheckChar(future), '2026-11-21')).toBe(
      '公民身份号码中的出生日期 20261122 晚于数据日期 2026-11-21',
    );
    const sameDay = '11010520261121001';
    expect(checkGb11643(sameDay + gb11643CheckChar(sameDay), '2026-11-21')).toBeNull();
    expect(runCheck('gb11643', future + gb11643CheckChar(future), '2026-11-21')).toBe(
      '公民身份号码中的出生日期 20261122 晚于数据日期 2026-11-21',
    );
  });

  it('rejects 15-digit numbers, a lowercase x and letters', () => {
    const reason = '公民身份号码应为 17 位数字加 1 位校验码（数字或大写 X）';
    expect(checkGb11643('110105491231002')).toBe(reason);
    expect(checkGb11643('11010519491231002x')).toBe(reason);
    expect(checkGb11643('1101051949123100AX')).toBe(reason);
  });
});

describe('dates', () => {
  it('accepts real dates as YYYY-MM-DD, YYYY/MM/DD and YYYYMMDD, with an optional time', () => {
    for (const v of [
      '2015-06-01',
      '2015/06/01',
      '20150601',
      '2024-02-29',
      '2000-02-29',
      '2026-01-31 23:00:00',
    ])
      expect(checkDate(v)).toBeNull();
    expect(checkDate('2026-01-31T08:30')).toBeNull();
  });

  it('says a well-formed impossible date does not exist (inbox-small row 2: 2018-02-30)', () => {
    for (const v of ['2018-02-30', '1900-02-29', '2026-13-01', '2026-04-31', '20260000'])
      expect(checkDate(v)).toBe('日期不存在');
    expect(checkDate('2026-01-31 24:00')).toBe('时间不存在');
  });

  it('rejects other forms, mixed separators included', () => {
    const reason = '日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）';
    for (const v of ['2018-2-3', '2018-02/03', '2018年2月3日', '03/02/2018', 'unknown'])
      expect(checkDate(v)).toBe(reason);
  });

  it('gives the date in one form for comparing values', () => {
    expect(parseItemDate('2015/06/01')).toBe('2015-06-01');
    expect(parseItemDate('20150601')).toBe('2015-06-01');
    expect(parseItemDate('2018-02-30')).toBeNull();
  });

  it('accepts a time with a UTC offset as ISO 8601 exports write it, and compares its Beijing date', () => {
    for (const v of ['2026-03-01T10:00:00+08:00', '2026-03-01T10:00:00Z', '2026-03-01 10:00+0800'])
      expect(checkDate(v)).toBeNull();
    expect(checkDate('2026-03-01T10:00:00+15:00')).toBe('时区偏移不存在');
    expect(checkDate('2026-03-01+08:00')).toBe('日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）');
    expect(parseItemDate('2026-03-01T10:00:00+08:00')).toBe('2026-03-01');
    expect(parseItemDate('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(parseItemDate('2026-03-01T16:00:00Z')).toBe('2026-03-02');
    expect(parseItemDate('2026-03-01T00:30:00+09:00')).toBe('2026-02-28');
    expect(parseItemDate('2026-03-01T23:00:00-05:00')).toBe('2026-03-02');
  });
});

describe('行政区划代码', () => {
  it('accepts six digits with a province-level prefix', () => {
    for (const v of ['110105', '610102', '650102', '710000', '810000', '820000'])
      expect(checkRegionCode(v)).toBeNull();
  });

  it('rejects unknown province prefixes and other lengths', () => {
    expect(checkRegionCode('991234')).toBe('行政区划代码前两位 99 不是省级行政区代码');
    expect(checkRegionCode('160101')).toBe('行政区划代码前两位 16 不是省级行政区代码');
    expect(checkRegionCode('72000')).toBe('行政区划代码应为 6 位数字');
    expect(checkRegionCode('6101020')).toBe('行政区划代码应为 6 位数字');
  });

  it('checks a 12-digit 统计用区划代码 (the six of GB/T 2260, township, village) by its own check', () => {
    expect(checkStatisticalRegionCode('610102001001')).toBeNull();
    expect(runCheck('stat_region', '610102001001')).toBeNull();
    expect(checkStatisticalRegionCode('990102001001')).toBe('统计用区划代码前两位 99 不是省级行政区代码');
    expect(checkStatisticalRegionCode('610102')).toBe('统计用区划代码应为 12 位数字');
    expect(runCheck('region', '610102001001')).toBe('行政区划代码应为 6 位数字');
  });
});

describe('required items and the checks by item name', () => {
  it('reports a blank value only as a missing required item, never as malformed', () => {
    expect(runCheck('required', null)).toBe('必填项为空');
    expect(runCheck('required', '  ')).toBe('必填项为空');
    expect(runCheck('required', '张三')).toBeNull();
    expect(runCheck('gb32100', null)).toBeNull();
    expect(runCheck('date', ' 2015-06-01 ')).toBeNull();
  });

  it('picks the usual checks from the usual Chinese item names', () => {
    expect(defaultChecks('统一社会信用代码')).toEqual(['gb32100']);
    expect(defaultChecks('社会信用代码')).toEqual(['gb32100']);
    expect(defaultChecks('公民身份号码')).toEqual(['gb11643']);
    expect(defaultChecks('法定代表人身份证号码')).toEqual(['gb11643']);
    expect(defaultChecks('身份证号')).toEqual(['gb11643']);
    expect(defaultChecks('登记日期')).toEqual(['date']);
    expect(defaultChecks('更新时间')).toEqual(['date']);
    expect(defaultChecks('行政区划代码')).toEqual(['region']);
    expect(defaultChecks('区划代码')).toEqual(['region']);
    expect(defaultChecks('统计用区划代码')).toEqual(['stat_region']);
    expect(defaultChecks('企业名称')).toEqual([]);
  });

  it('checks 信用代码 and names with a note in brackets; hours and durations named …时间 are not dates', () => {
    expect(defaultChecks('信用代码')).toEqual(['gb32100']);
    expect(defaultChecks('身份证号（18位）')).toEqual(['gb11643']);
    expect(defaultChecks('成立日期(YYYY-MM-DD)')).toEqual(['date']);
    expect(defaultChecks('营业时间')).toEqual([]);
    expect(defaultChecks('承诺办结时间')).toEqual([]);
    expect(defaultChecks('办公时间')).toEqual([]);
    expect(defaultChecks('受理时间')).toEqual(['date']);
  });

  it('accepts 长期 where a validity ends (有效期至, 有效期截止日期), and a real date there', () => {
    expect(defaultChecks('有效期截止日期')).toEqual(['date_or_long_term']);
    expect(defaultChecks('有效期至')).toEqual(['date_or_long_term']);
    expect(runCheck('date_or_long_term', '长期')).toBeNull();
    expect(runCheck('date_or_long_term', '长期有效')).toBeNull();
    expect(runCheck('date_or_long_term', '2030-12-31')).toBeNull();
    expect(runCheck('date_or_long_term', '2030-02-30')).toBe('日期不存在');
    expect(runCheck('date_or_long_term', '待定')).toBe(
      '日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）',
    );
    expect(runCheck('date', '长期')).toBe('日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）');
    // a whole period, as licences write 有效期
    expect(defaultChecks('有效期')).toEqual(['date_or_long_term']);
    expect(runCheck('date_or_long_term', '2020-01-01至2030-01-01')).toBeNull();
    expect(runCheck('date_or_long_term', '2020/01/01 ~ 长期')).toBeNull();
    expect(runCheck('date_or_long_term', '20200101--20250101')).toBeNull();
    expect(runCheck('date_or_long_term', '2030-01-01至2020-01-01')).toBe('有效期的截止日期早于起始日期');
    expect(runCheck('date_or_long_term', '2020-01-01至2030-02-30')).toBe(
      '日期不存在（有效期写作“起始日期至截止日期”时，两端各应为日期，截止端也可为“长期”）',
    );
    expect(runCheck('date_or_long_term', '长期至2030-01-01')).toBe(
      '日期格式无法识别（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD）（有效期写作“起始日期至截止日期”时，两端各应为日期，截止端也可为“长期”）',
    );
  });

  it('turns full-width forms into half-width ones', () => {
    expect(toHalfWidth('　９１１１ＡＢ（１）　')).toBe('9111AB(1)');
  });
});
