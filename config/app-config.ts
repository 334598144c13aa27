// Application config: one YAML file (sharewatch.yaml, or --config), validated by zod, with ${VAR} and
// ${VAR:-default} interpolation from the environment passed in (never read at import). Relative paths
// resolve against the config file's folder, so the same file works from any working directory; the profiles
// and calendars a file does not name are the project's.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ENUMS, RECORD_KINDS } from '../store/record-kinds.ts';
import { ConfigError } from './errors.ts';
import { readYaml, type YamlSource } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';

const columnMapping = z
  .object({
    columns: z
      .record(z.string(), z.string())
      .default({})
      .describe('platform column name -> canonical column name'),
    values: z
      .record(z.string(), z.record(z.string(), z.string()))
      .default({})
      .describe('canonical column -> (platform value -> canonical value)'),
  })
  .strict();
export type ColumnMapping = z.infer<typeof columnMapping>;

export const appConfigSchema = z
  .object({
    database: z.string().min(1).default('./data/sharewatch.duckdb').describe('the DuckDB file'),
    inbox: z.string().min(1).default('./data/inbox').describe('folder the platform exports land in'),
    profilesDir: z.string().min(1).default('./config/profiles'),
    calendarsDir: z.string().min(1).default('./config/calendars'),
    defaultProfile: z.string().min(1).default('shaanxi-2017'),
    mappings: z
      .record(z.string(), columnMapping)
      .default({})
      .describe('per record kind: column and value mappings for platforms with other headers'),
  })
  .strict();
export type AppConfig = z.infer<typeof appConfigSchema> & { file: string | null };

/** Replaces ${VAR} and ${VAR:-default} in every string; a missing VAR without default is an error. */
function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  keyPath: string[],
  problems: string[],
  at: YamlSource['at'],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        problems.push(
          `${keyPath.join('.') || '（根）'}${at(keyPath)}：环境变量 ${name} 未设置（或为空）；请设置它，或写成 ` +
            `\${${name}:-默认值}`,
        );
        return '';
      },
    );
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolate(v, env, [...keyPath, String(i)], problems, at));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...keyPath, k], problems, at)]),
    );
  }
  return value;
}

const PATH_KEYS = ['database', 'inbox', 'profilesDir', 'calendarsDir'] as const;

/**
 * Parses a config file. Paths it gives resolve against its folder; the profiles and calendars it does not name
 * are the project's own (projectRoot), so that a file holding only `database:` works from anywhere.
 */
export function parseAppConfig(
  file: string,
  text: string,
  env: NodeJS.ProcessEnv,
  projectRoot?: string,
): AppConfig {
  const source = readYaml(file, text);
  const raw = source.data ?? {};
  const problems: string[] = [];
  const interpolated = interpolate(raw, env, [], problems, source.at);
  if (problems.length > 0) throw new ConfigError(file, problems);
  const data = validateConfig(appConfigSchema, file, { ...source, data: interpolated });
  const mappings = mappingProblems(data.mappings);
  if (mappings.length > 0)
    throw new ConfigError(
      file,
      mappings.map(([at, message]) => `${at.map(String).join('.')}${source.at(at)}：${message}`),
    );
  const base = path.dirname(path.resolve(file));
  const config: AppConfig = { ...data, file };
  const given = new Set(Object.keys(interpolated as Record<string, unknown>));
  for (const key of PATH_KEYS) {
    const own = key === 'profilesDir' || key === 'calendarsDir';
    config[key] = path.resolve(own && !given.has(key) && projectRoot ? projectRoot : base, config[key]);
  }
  return config;
}

/**
 * Mappings name record kinds and their canonical columns (store/record-kinds.ts): a misspelt kind would be
 * ignored in silence, and a column mapped to a name no kind has would read nothing. Value maps name enumeration
 * columns and map to one of their tokens. Each problem as [key path, message].
 */
export function mappingProblems(mappings: AppConfig['mappings']): Array<[PropertyKey[], string]> {
  const kinds = new Map(RECORD_KINDS.map((k) => [k.kind, k]));
  return Object.entries(mappings).flatMap(([kindName, mapping]): Array<[PropertyKey[], string]> => {
    const kind = kinds.get(kindName);
    if (!kind)
      return [[['mappings', kindName], `不是已知的记录类型（应为 ${[...kinds.keys()].join('、')} 之一）`]];
    const columns = kind.columns.map((c) => c.name);
    const problems: Array<[PropertyKey[], string]> = Object.entries(mapping.columns)
      .filter(([, target]) => !columns.includes(target))
      .map(([from, target]) => [
        ['mappings', kindName, 'columns', from],
        `映射到“${target}”，它不是 ${kindName} 的标准列（应为 ${columns.join('、')} 之一）`,
      ]);
    const enums = kind.columns.filter((c) => typeof c.type === 'object');
    for (const [column, values] of Object.entries(mapping.values ?? {})) {
      const spec = enums.find((c) => c.name === column);
      if (!spec || typeof spec.type !== 'object') {
        problems.push([
          ['mappings', kindName, 'values', column],
          `只能为枚举列配置取值映射，${kindName} 的枚举列为 ${enums.map((c) => c.name).join('、') || '（无）'}`,
        ]);
        continue;
      }
      const tokens = Object.keys(ENUMS[spec.type.enum]);
      for (const [raw, canonical] of Object.entries(values).filter(([, c]) => !tokens.includes(c)))
        problems.push([
          ['mappings', kindName, 'values', column, raw],
          `映射到 “${canonical}”，应为 ${tokens.join('、')} 之一`,
        ]);
    }
    return problems;
  });
}

/**
 * Loads the app config: the given file, else ./sharewatch.yaml if present, else defaults relative to the
 * project root. SHAREWATCH_DB overrides the database in every case, as the README promises.
 */
export function loadAppConfig(opts: {
  file?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  projectRoot: string;
}): AppConfig {
  const candidate = opts.file ? path.resolve(opts.cwd, opts.file) : path.join(opts.cwd, 'sharewatch.yaml');
  let config: AppConfig;
  if (existsSync(candidate)) {
    config = parseAppConfig(candidate, readFileSync(candidate, 'utf8'), opts.env, opts.projectRoot);
  } else if (opts.file) {
    throw new ConfigError(candidate, ['文件不存在']);
  } else {
    const defaults = appConfigSchema.parse({});
    config = {
      ...defaults,
      file: null,
      database: path.resolve(opts.cwd, defaults.database),
      inbox: path.resolve(opts.cwd, defaults.inbox),
      profilesDir: path.resolve(opts.projectRoot, defaults.profilesDir),
      calendarsDir: path.resolve(opts.projectRoot, defaults.calendarsDir),
    };
  }
  if (opts.env.SHAREWATCH_DB) config.database = path.resolve(opts.cwd, opts.env.SHAREWATCH_DB);
  return config;
}
