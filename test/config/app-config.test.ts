// The application config: the shipped example stays valid where its own comment says to copy it, ${VAR}
// and ${VAR:-default} come from the environment passed in, a missing variable names file and key path,
// relative paths follow the file, and SHAREWATCH_DB overrides the database path.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig, parseAppConfig } from '../../config/app-config.ts';
import { ConfigError } from '../../config/errors.ts';
import { loadProfile } from '../../config/profile.ts';
import { REPO_ROOT, tempDir } from '../helpers.ts';

const EXAMPLE = readFileSync(path.join(REPO_ROOT, 'config', 'sharewatch.example.yaml'), 'utf8');
const FILE = '/srv/sharewatch/sharewatch.yaml';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('the example config (config/sharewatch.example.yaml)', () => {
  it('is valid when copied to ./sharewatch.yaml at the project root, with the shipped profiles', () => {
    const config = parseAppConfig(path.join(REPO_ROOT, 'sharewatch.yaml'), EXAMPLE, {});
    expect(config).toMatchObject({
      database: path.join(REPO_ROOT, 'data', 'sharewatch.duckdb'),
      inbox: path.join(REPO_ROOT, 'data', 'inbox'),
      profilesDir: path.join(REPO_ROOT, 'config', 'profiles'),
      calendarsDir: path.join(REPO_ROOT, 'config', 'calendars'),
      defaultProfile: 'shaanxi-2017',
    });
    expect(existsSync(path.join(config.calendarsDir, 'README.md'))).toBe(true);
    expect(loadProfile(config.profilesDir, config.defaultProfile).id).toBe('shaanxi-2017');
  });

  it('maps the Chinese headers and decisions of a share-request export', () => {
    const { mappings } = parseAppConfig(FILE, EXAMPLE, {});
    expect(Object.keys(mappings)).toEqual(['share_requests']);
    expect(mappings.share_requests?.columns).toEqual({
      申请编号: 'request_id',
      申请部门: 'requester_dept',
      提供部门: 'provider_dept',
      资源编码: 'resource_code',
      申请用途: 'purpose',
      申请时间: 'submitted_at',
      答复时间: 'responded_at',
      审核结果: 'decision',
      拒绝理由: 'reason',
    });
    expect(mappings.share_requests?.values).toEqual({
      decision: { 同意: 'approved', 不同意: 'rejected', 待审核: 'pending' },
    });
  });

  it('takes the database and inbox from SHAREWATCH_DB and SHAREWATCH_INBOX when they are set', () => {
    const config = parseAppConfig(FILE, EXAMPLE, {
      SHAREWATCH_DB: '/var/lib/sw/main.duckdb',
      SHAREWATCH_INBOX: 'incoming',
    });
    expect([config.database, config.inbox]).toEqual(['/var/lib/sw/main.duckdb', '/srv/sharewatch/incoming']);
  });
});

describe('${VAR} interpolation', () => {
  it('replaces ${VAR} and ${VAR:-default} anywhere in a string, also in nested keys', () => {
    const text = [
      'database: ${SW_DATA}/${SW_NAME:-main}.duckdb',
      'mappings:',
      '  share_requests:',
      '    columns: { 申请编号: "${SW_ID_COLUMN:-request_id}" }',
    ].join('\n');
    const config = parseAppConfig(FILE, text, { SW_DATA: '/data', SW_ID_COLUMN: 'request_id' });
    expect(config.database).toBe('/data/main.duckdb');
    expect(config.mappings.share_requests?.columns).toEqual({ 申请编号: 'request_id' });
  });

  it('uses the default when the variable is empty, and the variable when it is set', () => {
    const text = 'defaultProfile: ${SW_PROFILE:-shaanxi-2017}\n';
    expect(parseAppConfig(FILE, text, { SW_PROFILE: '' }).defaultProfile).toBe('shaanxi-2017');
    expect(parseAppConfig(FILE, text, { SW_PROFILE: 'yingkou-2022' }).defaultProfile).toBe('yingkou-2022');
  });

  it('reads no variable from process.env, only from the environment passed in', () => {
    process.env.SW_ONLY_IN_PROCESS = 'leaked';
    try {
      const error = configError(() => parseAppConfig(FILE, 'inbox: ${SW_ONLY_IN_PROCESS}\n', {}));
      expect(error.issues).toHaveLength(1);
    } finally {
      delete process.env.SW_ONLY_IN_PROCESS;
    }
  });

  it('names the file, key path and line of every variable that is missing and has no default', () => {
    const text = 'inbox: ${SW_INBOX}\nmappings:\n  share_requests:\n    columns: { 申请编号: "${SW_COL}" }\n';
    const error = configError(() => parseAppConfig(FILE, text, {}));
    expect(error.message).toBe(
      [
        `${FILE}：inbox（第 1 行第 1 列）：环境变量 SW_INBOX 未设置（或为空）；请设置它，或写成 \${SW_INBOX:-默认值}`,
        `${FILE}：mappings.share_requests.columns.申请编号（第 4 行第 16 列）：环境变量 SW_COL 未设置（或为空）；请设置它，或写成 ` +
          '${SW_COL:-默认值}',
      ].join('\n'),
    );
  });
});

describe('validation of the app config', () => {
  it.each([
    [
      'a misspelt key',
      'databse: ./x.duckdb\n',
      'databse（第 1 行第 1 列）：未知的键（此处可用：database, inbox, profilesDir, calendarsDir, defaultProfile, mappings）',
    ],
    [
      'a number where text belongs',
      'defaultProfile: 5\n',
      'defaultProfile（第 1 行第 1 列）：应为文本（收到：5）',
    ],
    ['an empty path', 'inbox: ""\n', 'inbox（第 1 行第 1 列）：应为非空文本'],
    [
      'a list where a mapping belongs',
      'mappings:\n  share_requests:\n    columns: [request_id]\n',
      'mappings.share_requests.columns（第 3 行第 5 列）：应为键值映射（收到：列表）',
    ],
    [
      'a mapping of a kind that does not exist',
      'mappings:\n  share_request:\n    columns: { 编号: request_id }\n',
      'mappings.share_request（第 2 行第 3 列）：不是已知的记录类型（应为 departments、catalog_snapshot、catalog_changes、' +
        'change_events、share_requests、supply_batches、supply_exemptions、access_log、verification_requests、' +
        'quality_checks 之一）',
    ],
    [
      'a column mapped to no canonical column',
      'mappings:\n  supply_batches:\n    columns: { 状态: state }\n',
      'mappings.supply_batches.columns.状态（第 3 行第 16 列）：映射到“state”，它不是 supply_batches 的标准列（应为 batch_id、' +
        'resource_code、provider_dept、delivered_at、rows、status 之一）',
    ],
    [
      'a value mapped to no token, when the config loads (not at the first ingest)',
      'mappings:\n  share_requests:\n    values:\n      decision: { 同意: approve }\n',
      'mappings.share_requests.values.decision.同意（第 4 行第 19 列）：映射到 “approve”，应为 approved、rejected、pending 之一',
    ],
    [
      'a value map on a column that is no enumeration',
      'mappings:\n  share_requests:\n    values:\n      purpose: { 查询: query }\n',
      'mappings.share_requests.values.purpose（第 4 行第 7 列）：只能为枚举列配置取值映射，share_requests 的枚举列为 decision',
    ],
  ])('rejects %s, naming the file and the key path', (_what, text, issue) => {
    expect(configError(() => parseAppConfig(FILE, text, {})).message).toBe(`${FILE}：${issue}`);
  });

  it("takes the project's profiles and calendars where the file names none", () => {
    const bare = parseAppConfig('/etc/sw/sharewatch.yaml', 'database: db/sw.duckdb\n', {}, REPO_ROOT);
    expect([bare.database, bare.profilesDir, bare.calendarsDir]).toEqual([
      '/etc/sw/db/sw.duckdb',
      path.join(REPO_ROOT, 'config', 'profiles'),
      path.join(REPO_ROOT, 'config', 'calendars'),
    ]);
    const own = parseAppConfig('/etc/sw/sharewatch.yaml', 'profilesDir: rules\n', {}, REPO_ROOT);
    expect(own.profilesDir).toBe('/etc/sw/rules');
  });

  it('resolves relative paths against the config file folder, not the working directory', () => {
    const config = parseAppConfig('/etc/sw/sharewatch.yaml', 'database: db/sw.duckdb\ninbox: /in\n', {});
    expect([config.database, config.inbox, config.profilesDir]).toEqual([
      '/etc/sw/db/sw.duckdb',
      '/in',
      '/etc/sw/config/profiles',
    ]);
  });
});

describe('loadAppConfig', () => {
  it('uses defaults without a file: data under the working directory, profiles and calendars in the project', () => {
    const cwd = tempDir();
    const config = loadAppConfig({ cwd, env: {}, projectRoot: REPO_ROOT });
    expect(config).toMatchObject({
      file: null,
      database: path.join(cwd, 'data', 'sharewatch.duckdb'),
      inbox: path.join(cwd, 'data', 'inbox'),
      profilesDir: path.join(REPO_ROOT, 'config', 'profiles'),
      calendarsDir: path.join(REPO_ROOT, 'config', 'calendars'),
      defaultProfile: 'shaanxi-2017',
    });
  });

  it('lets SHAREWATCH_DB override the database of the defaults and of a file, relative to the working directory', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sharewatch.yaml'), 'database: ./from-file.duckdb\n');
    const env = { SHAREWATCH_DB: 'override.duckdb' };
    expect(loadAppConfig({ cwd, env: {}, projectRoot: REPO_ROOT }).database).toBe(
      path.join(cwd, 'from-file.duckdb'),
    );
    expect(loadAppConfig({ cwd, env, projectRoot: REPO_ROOT })).toMatchObject({
      file: path.join(cwd, 'sharewatch.yaml'),
      database: path.join(cwd, 'override.duckdb'),
    });
    expect(
      loadAppConfig({ cwd: tempDir(), env: { SHAREWATCH_DB: '/abs/sw.duckdb' }, projectRoot: REPO_ROOT })
        .database,
    ).toBe('/abs/sw.duckdb');
  });

  it('fails with the path when --config names a file that does not exist', () => {
    const cwd = tempDir();
    const error = configError(() =>
      loadAppConfig({ file: 'nope.yaml', cwd, env: {}, projectRoot: REPO_ROOT }),
    );
    expect(error.message).toBe(`${path.join(cwd, 'nope.yaml')}：文件不存在`);
  });
});
