// The five rule profiles: they load, carry the parameters and articles of RULES.md, cite articles whose text
// says what the rule checks (the working-day numbers are read from the regulation texts themselves), and a
// broken profile fails with a message naming the file and the key path.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, ConfigError } from '../../config/errors.ts';
import {
  RULE_IDS,
  listProfileIds,
  loadProfile,
  parseProfile,
  type Profile,
  type RuleId,
} from '../../config/profile.ts';
import { encodeGbk } from '../collectors/gbk.ts';
import { REPO_ROOT, SHARED_DIR, tempDir } from '../helpers.ts';

const PROFILES_DIR = path.join(REPO_ROOT, 'config', 'profiles');
const PROFILE_IDS = ['guangdong-2018', 'liyang-2020', 'shaanxi-2017', 'yingkou-2022', 'zhongshan-draft'];
const profiles = new Map(PROFILE_IDS.map((id) => [id, loadProfile(PROFILES_DIR, id)]));

function profile(id: string): Profile {
  const found = profiles.get(id);
  if (!found) throw new Error(`no profile ${id}`);
  return found;
}

function rule(profileId: string, id: RuleId) {
  const found = profile(profileId).rules.get(id);
  if (!found) throw new Error(`${profileId} has no ${id}`);
  return found;
}

/** "第十五条", "第十四条(一)": the article references in a RULES.md cell or a profile's article field. */
const ARTICLE_REF = /第[一二三四五六七八九十]+条(?:\([一二三四五六七八九十]+\))?/g;

/** RULES.md's rule tables as cells[ruleId][profileId]. */
function rulesTable(): Map<string, Map<string, string>> {
  const lines = readFileSync(path.join(SHARED_DIR, 'spec', 'RULES.md'), 'utf8').split('\n');
  const table = new Map<string, Map<string, string>>();
  let columns: string[] = [];
  for (const line of lines.filter((l) => l.startsWith('|'))) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[1] === 'rule id') columns = cells;
    else if ((RULE_IDS as readonly string[]).includes(cells[1] ?? '')) {
      table.set(cells[1]!, new Map(PROFILE_IDS.map((p) => [p, cells[columns.indexOf(p)] ?? ''])));
    }
  }
  return table;
}

/** The text of one article of a regulation; 條 and 個 (the Shaanxi text is traditional) read as 条 and 个. */
function articleText(regulation: string, article: string): string {
  const ref = article.replace(/\(.*\)$/, '');
  const start = regulation.indexOf(ref);
  if (start < 0) throw new Error(`${ref} not found`);
  const rest = regulation.slice(start + ref.length);
  const next = rest.search(/第[一二三四五六七八九十]+条/);
  return ref + (next < 0 ? rest : rest.slice(0, next));
}

/** Each profile's regulation text; Guangdong's is the 2018 measures inside a compilation of other texts. */
function regulationText(profileId: string): string {
  const dir = path.join(SHARED_DIR, 'regulations');
  const file = profileId.startsWith('guangdong') ? 'guangdong-compilation.txt' : `${profileId}.txt`;
  let text = readFileSync(path.join(dir, file), 'utf8').replace(/條/g, '条').replace(/個/g, '个');
  if (profileId.startsWith('guangdong')) {
    const start = text.lastIndexOf('广东省政务数据资源共享管理办法(试行)第一章总则');
    text = text.slice(start, text.indexOf('本办法所称运营中心', start));
  }
  return text;
}

describe('the five profiles as shipped', () => {
  it('lists exactly the five jurisdictions of RULES.md', () => {
    expect(listProfileIds(PROFILES_DIR)).toEqual(PROFILE_IDS);
  });

  it('names each regulation and document number as RULES.md does', () => {
    expect(PROFILE_IDS.map((id) => [id, profile(id).regulation, profile(id).document ?? null])).toEqual([
      ['guangdong-2018', '广东省政务数据资源共享管理办法(试行)', '粤府办〔2018〕50号'],
      ['liyang-2020', '溧阳市政务信息资源共享管理暂行办法', '溧政办发〔2020〕15号'],
      ['shaanxi-2017', '陕西省政务信息资源共享管理办法', null],
      ['yingkou-2022', '营口市政务数据资源共享开放管理办法', null],
      ['zhongshan-draft', '中山市政务信息资源共享管理办法(送审稿)', null],
    ]);
  });

  it('declares every rule id in every profile, so no rule is left out by accident', () => {
    for (const id of PROFILE_IDS)
      expect([id, [...profile(id).rules.keys()].sort()]).toEqual([id, [...RULE_IDS].sort()]);
  });

  it('sets the working days of RULES.md for each deadline rule', () => {
    const deadlines = (id: string) =>
      (['catalog.change_update', 'supply.request_response', 'quality.verification_response'] as const).map(
        (r) => {
          const { enabled, days, basis } = rule(id, r);
          return `${r}=${enabled ? days : 'off'}/${basis}`;
        },
      );
    expect(Object.fromEntries(PROFILE_IDS.map((id) => [id, deadlines(id)]))).toEqual({
      'shaanxi-2017': [
        'catalog.change_update=15/article',
        'supply.request_response=10/article',
        'quality.verification_response=10/default',
      ],
      'guangdong-2018': [
        'catalog.change_update=15/article',
        'supply.request_response=10/article',
        'quality.verification_response=10/default',
      ],
      'yingkou-2022': [
        'catalog.change_update=10/article',
        'supply.request_response=5/article',
        'quality.verification_response=5/article',
      ],
      'liyang-2020': [
        'catalog.change_update=15/article',
        'supply.request_response=10/article',
        'quality.verification_response=10/default',
      ],
      'zhongshan-draft': [
        'catalog.change_update=15/default',
        'supply.request_response=off/default',
        'quality.verification_response=off/default',
      ],
    });
  });

  it('does not score Zhongshan departments on the request and verification clocks the authority holds', () => {
    const off = (
      ['supply.request_response', 'supply.request_unanswered', 'quality.verification_response'] as const
    ).map((r) => [r, rule('zhongshan-draft', r).enabled, rule('zhongshan-draft', r).article]);
    expect(off).toEqual([
      ['supply.request_response', false, '第十九条'],
      ['supply.request_unanswered', false, '第十九条'],
      ['quality.verification_response', false, '第二十二条'],
    ]);
  });

  it('requires a legal basis in Yingkou refusals only', () => {
    expect(PROFILE_IDS.map((id) => [id, rule(id, 'supply.rejection_basis').params ?? null])).toEqual([
      ['guangdong-2018', null],
      ['liyang-2020', null],
      ['shaanxi-2017', null],
      ['yingkou-2022', { require_legal_basis: true }],
      ['zhongshan-draft', null],
    ]);
  });

  it('gives every rule with basis default a note saying why', () => {
    const defaults = PROFILE_IDS.flatMap((id) =>
      [...profile(id).rules.values()]
        .filter((r) => r.basis === 'default')
        .map((r) => `${id} ${r.id}: ${(r.note ?? '').trim().length > 20 ? 'explained' : 'NO NOTE'}`),
    );
    expect(defaults).toEqual([
      'guangdong-2018 catalog.quarterly_review: explained',
      'guangdong-2018 quality.verification_response: explained',
      'guangdong-2018 quality.error_corrected: explained',
      'liyang-2020 catalog.quarterly_review: explained',
      'liyang-2020 quality.verification_response: explained',
      'liyang-2020 quality.error_corrected: explained',
      'shaanxi-2017 quality.verification_response: explained',
      'shaanxi-2017 quality.error_corrected: explained',
      'shaanxi-2017 misuse.duplicate_collection: explained',
      'yingkou-2022 quality.error_corrected: explained',
      'yingkou-2022 quality.one_source: explained',
      'zhongshan-draft catalog.change_update: explained',
      'zhongshan-draft catalog.quarterly_review: explained',
      'zhongshan-draft catalog.restricted_basis: explained',
      'zhongshan-draft supply.request_response: explained',
      'zhongshan-draft quality.verification_response: explained',
      'zhongshan-draft quality.error_corrected: explained',
    ]);
  });

  it('cites "<regulation> <article>" in findings', () => {
    expect(rule('shaanxi-2017', 'supply.request_response').citation).toBe(
      '陕西省政务信息资源共享管理办法 第十五条',
    );
    expect(rule('guangdong-2018', 'supply.rejection_basis').citation).toBe(
      '广东省政务数据资源共享管理办法(试行) 第十九条、第十六条',
    );
  });
});

describe('profiles against RULES.md and the regulation texts', () => {
  const table = rulesTable();

  it('reads all 18 rules of RULES.md', () => {
    expect([...table.keys()].sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(PROFILE_IDS)('%s cites the articles, numbers and basis RULES.md gives for each rule', (id) => {
    const mismatches: string[] = [];
    for (const [ruleId, cells] of table) {
      const cell = cells.get(id) ?? '';
      const settings = rule(id, ruleId as RuleId);
      const refs = cell.match(ARTICLE_REF) ?? [];
      const number = /^(\d+),/.exec(cell)?.[1];
      const actual = {
        articles: refs.length === 0 ? [] : (settings.article.match(ARTICLE_REF) ?? []),
        enabled: refs.length === 0 || cell.startsWith('not a department') ? settings.enabled : 'n/a',
        days: number ? settings.days : 'n/a',
        basis: number ? settings.basis : cell.startsWith('—') && refs.length > 0 ? settings.basis : 'n/a',
      };
      const expected = {
        articles: refs,
        enabled: refs.length === 0 || cell.startsWith('not a department') ? false : 'n/a',
        days: number ? Number(number) : 'n/a',
        basis: number ? 'article' : cell.startsWith('—') && refs.length > 0 ? 'default' : 'n/a',
      };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${ruleId}: RULES.md "${cell}" vs ${JSON.stringify(actual)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it.each(PROFILE_IDS)(
    '%s: each article stated as the basis of a deadline gives that many working days',
    (id) => {
      const text = regulationText(id);
      const checks = [...profile(id).rules.values()]
        .filter((r) => r.days !== undefined)
        .map((r) => {
          const body = articleText(text, r.article.match(ARTICLE_REF)?.[0] ?? '');
          const stated = /(\d+)个工作日/.exec(body)?.[1];
          return [r.id, r.basis, stated === undefined ? 'no number' : Number(stated)];
        });
      const expected = [...profile(id).rules.values()]
        .filter((r) => r.days !== undefined)
        .map((r) => [r.id, r.basis, r.basis === 'article' ? r.days : 'no number']);
      expect(checks).toEqual(expected);
    },
  );

  it('finds the stated numbers in the texts: 15/10 Shaanxi, 15/10 Guangdong, 10/5/5 Yingkou, 15/10 Liyang', () => {
    const stated = (id: string, article: string) =>
      /(\d+)个工作日/.exec(articleText(regulationText(id), article))?.[1];
    expect([
      stated('shaanxi-2017', '第九条'),
      stated('shaanxi-2017', '第十五条'),
      stated('guangdong-2018', '第九条'),
      stated('guangdong-2018', '第十九条'),
      stated('yingkou-2022', '第十五条'),
      stated('yingkou-2022', '第二十条'),
      stated('yingkou-2022', '第二十三条'),
      stated('liyang-2020', '第九条'),
      stated('liyang-2020', '第十七条'),
    ]).toEqual(['15', '10', '15', '10', '10', '5', '5', '15', '10']);
  });

  it.each([
    ['catalog.base_unconditional', /人口[\s\S]*[无無]条件共享/],
    ['catalog.quarterly_review', /每季度/],
    ['quality.one_source', /一[数數]一源|不一致/],
    ['misuse.duplicate_collection', /重复采集|重复提交|不得再要求/],
    ['supply.request_response', /有条件共享/],
  ] as const)('cites for enabled %s an article whose text says so', (ruleId, pattern) => {
    const cited = PROFILE_IDS.filter((id) => rule(id, ruleId).enabled).map((id) => {
      const refs = rule(id, ruleId).article.match(ARTICLE_REF) ?? [];
      return [id, refs.some((ref) => pattern.test(articleText(regulationText(id), ref)))];
    });
    expect(cited.length).toBeGreaterThan(0);
    expect(cited).toEqual(cited.map(([id]) => [id, true]));
  });
});

describe('a broken profile', () => {
  const original = readFileSync(path.join(PROFILES_DIR, 'yingkou-2022.yaml'), 'utf8');
  const responseLine = 'request_response: { enabled: true, days: 5, article: 第二十条, basis: article }';

  function brokenCopy(text: string): string {
    const dir = tempDir('sw-profiles-');
    writeFileSync(path.join(dir, 'yingkou-2022.yaml'), text);
    return dir;
  }

  function loadError(text: string): ConfigError {
    const dir = brokenCopy(text);
    try {
      loadProfile(dir, 'yingkou-2022');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError');
  }

  it('starts from a copy that loads, so each case below breaks one thing', () => {
    expect(original).toContain(responseLine);
    expect(loadProfile(brokenCopy(original), 'yingkou-2022').rules.get('supply.request_response')?.days).toBe(
      5,
    );
  });

  it.each([
    [
      'a misspelt rule key',
      responseLine.replace('request_response', 'request_respons'),
      'rules.supply.request_respons（第 45 行第 5 列）：未知的键（此处可用：request_response, request_unanswered, ' +
        'rejection_basis, update_cycle）',
    ],
    [
      'negative days',
      responseLine.replace('days: 5', 'days: -3'),
      'rules.supply.request_response.days（第 45 行第 40 列）：应为正整数',
    ],
    [
      'days as words',
      responseLine.replace('days: 5', 'days: "ten"'),
      'rules.supply.request_response.days（第 45 行第 40 列）：应为正整数',
    ],
    [
      'fractional days',
      responseLine.replace('days: 5', 'days: 2.5'),
      'rules.supply.request_response.days（第 45 行第 40 列）：应为正整数',
    ],
    [
      'a missing days on an enabled deadline rule',
      responseLine.replace('days: 5, ', ''),
      'rules.supply.request_response.days（第 45 行第 5 列）：缺少此项（应为正整数：允许的工作日数）',
    ],
    [
      'enabled written as text',
      responseLine.replace('enabled: true', 'enabled: "yes"'),
      'rules.supply.request_response.enabled（第 45 行第 25 列）：应为布尔值（true 或 false）（收到："yes"）',
    ],
    [
      'a misspelt basis',
      responseLine.replace('basis: article', 'basis: articel'),
      'rules.supply.request_response.basis（第 45 行第 64 列）：应为 article、default 之一（收到："articel"）',
    ],
    [
      'basis default without a note',
      responseLine.replace('basis: article', 'basis: default'),
      'rules.supply.request_response.note（第 45 行第 5 列）：缺少此项（basis 为 default 时须用 note 说明配置为何这样设定）',
    ],
    [
      'an empty article',
      responseLine.replace('article: 第二十条', 'article: ""'),
      'rules.supply.request_response.article（第 45 行第 49 列）：应为非空文本',
    ],
  ])('rejects %s, naming the file and the key path', (_what, line, issue) => {
    const error = loadError(original.replace(responseLine, line));
    expect(error.file).toBe(path.join(path.dirname(error.file), 'yingkou-2022.yaml'));
    expect(error.issues).toEqual([issue]);
    expect(error.message).toBe(`${error.file}：${issue}`);
  });

  it('reads "config/profiles/yingkou-2022.yaml：rules.supply.request_response.days（第 45 行第 40 列）：应为正整数"', () => {
    const text = original.replace(responseLine, responseLine.replace('days: 5', 'days: -3'));
    let message = '';
    try {
      parseProfile('config/profiles/yingkou-2022.yaml', text);
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toBe(
      'config/profiles/yingkou-2022.yaml：rules.supply.request_response.days（第 45 行第 40 列）：应为正整数',
    );
  });

  it('reports every problem of a file at once, one line each', () => {
    const text = original
      .replace(responseLine, responseLine.replace('days: 5', 'days: 0'))
      .replace('change_update: { enabled: true, days: 10,', 'change_update: { enabled: true, days: ten,');
    expect(loadError(text).issues).toEqual([
      'rules.catalog.change_update.days（第 8 行第 37 列）：应为正整数',
      'rules.supply.request_response.days（第 45 行第 40 列）：应为正整数',
    ]);
  });

  it('rejects days on a rule that has no deadline', () => {
    const text = original.replace(
      'request_unanswered: { enabled: true,',
      'request_unanswered: { enabled: true, days: 5,',
    );
    expect(loadError(text).issues).toEqual([
      'rules.supply.request_unanswered.days（第 46 行第 42 列）：此规则不使用（只有期限类规则设置 days）',
    ]);
  });

  it('rejects an id that differs from the file name, and text that is not YAML', () => {
    expect(loadError(original.replace('id: yingkou-2022', 'id: yingkou')).issues).toEqual([
      'id（第 2 行第 1 列）：应为 "yingkou-2022"（与文件名相同）',
    ]);
    expect(loadError(`${original}\n  - [unclosed`).issues[0]).toMatch(
      /^YAML 格式错误（第 \d+ 行第 \d+ 列）：/,
    );
  });

  it('refuses a rule left out, or turned off without a reason: either would change scores without a decision', () => {
    // the line of request_response gone: its indicator would count only the overdue requests
    expect(loadError(original.replace(`    ${responseLine}\n`, '')).issues).toEqual([
      'rules.supply.request_response（第 44 行第 3 列）：缺少此项（每条规则都须写明是否启用：不评估的规则写 ' +
        'enabled: false，并在 note 中说明原因）',
    ]);
    // one half of the answer clock turned off: the on-time rate would count the other half alone
    const unanswered = 'request_unanswered: { enabled: true, article: 第二十条, basis: article }';
    const off = unanswered.replace('true', 'false').replace(' }', ', note: 另行考核 }');
    expect(loadError(original.replace(unanswered, off)).issues).toEqual([
      'rules.supply.request_unanswered.enabled（第 46 行第 27 列）：request_unanswered（逾期未答复的申请）与 ' +
        'request_response（已答复的申请，期限取其 days）须同时启用或同时停用，否则按时答复率只计其中一半',
    ]);
    const mounted = 'mounted: { enabled: true, article: 第十八条, basis: article }';
    expect(loadError(original.replace(mounted, mounted.replace('true', 'false'))).issues).toEqual([
      'rules.catalog.mounted.note（第 43 行第 5 列）：缺少此项（停用的规则须用 note 说明为何不评估）',
    ]);
    const withNote = mounted.replace('true', 'false').replace(' }', ', note: 本地尚未挂接数据 }');
    expect(
      loadProfile(brokenCopy(original.replace(mounted, withNote)), 'yingkou-2022').rules.get(
        'catalog.mounted',
      )?.enabled,
    ).toBe(false);
  });

  it('refuses turning off the rule the default scoring method vetoes on', () => {
    const access = 'unapproved_access: { enabled: true, article: 第二十条, basis: article }';
    const off = access.replace('true', 'false').replace(' }', ', note: 试行 }');
    expect(loadError(original.replace(access, off)).issues).toEqual([
      'rules.misuse.unapproved_access.enabled（第 74 行第 26 列）：misuse.unapproved_access 是评分方法的否决项，' +
        '但本配置未启用它，否决项永远不会触发：请启用该规则，或在评分方法中去掉此否决项',
    ]);
  });

  it('refuses scoring settings that would do nothing, in a profile with its own scoring method', () => {
    const file = path.join(REPO_ROOT, 'test', 'fixtures', 'profiles', 'fixture-veto-only.yaml');
    const own = readFileSync(file, 'utf8');
    expect(parseProfile(file, own).scoring.veto.cap).toBe('合格');
    const text = own
      .replace(
        '    mounted: { enabled: false, article: 不适用, basis: default, note: 测试配置不评估此项 }',
        '    mounted: { enabled: true, article: 第十八条, basis: article }',
      )
      .replace(
        '          rules: [catalog.metadata_complete]',
        '          rules: [catalog.metadata_complete]\n          points: { catalog.mounted: 5 }',
      )
      .replace('    cap: 合格', '    cap: 优秀');
    let issues: string[] = [];
    try {
      parseProfile(file, text);
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues).toEqual([
      'rules.catalog.mounted.enabled（第 14 行第 16 列）：此规则已启用，但不属于评分方法的任何指标，也不是否决项，' +
        '其问题不会计入得分：请把它加入一个指标的 rules，或设为 enabled: false',
      'scoring.dimensions.0.indicators.0.points（第 43 行第 11 列）：比率制（rate）指标不按扣分计分，points 不起作用：' +
        '删除它，或把 method 改为 deduction',
      'scoring.veto.cap（第 52 行第 5 列）：等次上限为 优秀 时否决项不起作用：应为 良好、合格、不合格 之一',
    ]);
  });

  it("reads a run's stored profile as it was read then, a character that was not UTF-8 included", () => {
    const text = original.replace('# 营口市', '# \uFFFD营口市');
    expect(loadError(text).issues).toEqual([
      '第 1 行：文件不是 UTF-8 编码（可能以 GBK/ANSI 保存）：请在编辑器中以 UTF-8 编码另存该文件',
    ]);
    const stored = parseProfile('yingkou-2022.yaml', text, undefined, { stored: true });
    expect([stored.id, stored.stored, stored.rules.size]).toEqual(['yingkou-2022', true, 18]);
  });

  it('refuses a profile saved in GBK, and names a YAML slip in Chinese with its line', () => {
    const dir = tempDir('sw-profiles-');
    writeFileSync(path.join(dir, 'yingkou-2022.yaml'), encodeGbk(original));
    let error: unknown;
    try {
      loadProfile(dir, 'yingkou-2022');
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues).toEqual([
      '第 1 行：文件不是 UTF-8 编码（可能以 GBK/ANSI 保存）：请在编辑器中以 UTF-8 编码另存该文件',
    ]);
    expect(loadError(original.replace(`    ${responseLine}`, `\t${responseLine}`)).issues).toEqual([
      'YAML 格式错误（第 45 行第 1 列）：缩进中不能使用制表符（Tab），请改用空格' +
        '（Tabs are not allowed as indentation at line 45, column 1）',
    ]);
  });

  it('names the available profiles when asked for one that does not exist', () => {
    let error: unknown;
    try {
      loadProfile(PROFILES_DIR, 'yingkou-2021');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('profile_unknown');
    expect((error as AppError).message).toContain(`可用的配置：${PROFILE_IDS.join(', ')}`);
    const missing = path.join(tempDir('sw-profiles-'), 'profile');
    let notThere: unknown;
    try {
      loadProfile(missing, 'shaanxi-2017');
    } catch (caught) {
      notThere = caught;
    }
    expect((notThere as AppError).message).toBe(
      `未找到评估规则配置 shaanxi-2017（${missing}/shaanxi-2017.yaml）。可用的配置：（目录 ${missing} 不存在：` +
        '请检查配置文件中的 profilesDir，不设置时使用项目自带的 config/profiles）',
    );
  });
});
