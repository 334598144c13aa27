// Turns zod issues into the one shape every config error uses: "key.path：应为……（收到：……）", in Chinese.
// zod 4's default texts ("Invalid input: expected number, received string") are replaced by a per-parse
// error map, so a message a schema sets itself still wins (zod gives schema-level messages precedence).
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import type { YamlSource } from './parse-yaml.ts';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true 或 false）',
  object: '键值映射',
  record: '键值映射',
  array: '列表',
};

function describeValue(input: unknown): string {
  if (input === null) return '空值';
  if (Array.isArray(input)) return '列表';
  if (typeof input === 'object') return '键值映射';
  if (typeof input === 'string') return `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  return String(input);
}

function sizeMessage(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string' && small && bound === 1) return '应为非空文本';
  if (issue.origin === 'string') return `应${small ? '至少' : '至多'} ${bound} 个字符`;
  if (issue.origin === 'array') return `应${small ? '至少' : '至多'} ${bound} 项`;
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `应为 ${op} ${bound} 的数（收到：${describeValue(issue.input)}）`;
}

/** Per-parse error map: house-style messages for zod's generic issues; undefined keeps zod's own. */
export function configErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `缺少此项（应为${expected}）`;
      return `应为${expected}（收到：${describeValue(issue.input)}）`;
    }
    case 'invalid_value':
      return `应为 ${issue.values.map(String).join('、')} 之一（收到：${describeValue(issue.input)}）`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_format':
      return issue.format === 'regex' ? `应符合格式 ${issue.pattern}` : `应为 ${issue.format} 格式`;
    case 'unrecognized_keys': {
      const def = issue.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      const known = def?.shape ? Object.keys(def.shape) : [];
      return known.length > 0 ? `未知的键（此处可用：${known.join(', ')}）` : '未知的键';
    }
    default:
      return undefined;
  }
}

/** Where the problems are: the file's key positions (YamlSource.at), and the key path of what was validated. */
export interface IssueSource {
  at: YamlSource['at'];
  prefix?: readonly PropertyKey[];
}

/** One line per problem, "key.path（第 L 行第 C 列）：message"; an unknown key gets its own path, so the typo itself is named. */
export function formatZodIssues(error: z.ZodError, source: IssueSource): string[] {
  return error.issues.flatMap((issue) => {
    const line = (extra: PropertyKey[] = []) => {
      const path = [...(source.prefix ?? []), ...issue.path, ...extra];
      return `${path.map(String).join('.') || '（根）'}${source.at(path)}：${issue.message}`;
    };
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => line([key]));
    return [line()];
  });
}

/** Validates parsed YAML against a config schema; a failure is a ConfigError naming file, key paths and lines. */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  file: string,
  source: YamlSource,
  prefix: readonly PropertyKey[] = [],
): z.output<S> {
  const parsed = schema.safeParse(source.data, { error: configErrorMap });
  if (!parsed.success) throw new ConfigError(file, formatZodIssues(parsed.error, { at: source.at, prefix }));
  return parsed.data;
}
