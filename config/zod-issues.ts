// Turns zod issues into the one shape every config error uses: "key.path: expected ...".
// zod 4's default texts ("Invalid input: expected number, received string") are replaced by a per-parse
// error map, so a message a schema sets itself still wins (zod gives schema-level messages precedence).
import type { z } from 'zod';
import { ConfigError } from './errors.ts';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
  array: 'a list',
};

function describeValue(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  return String(input);
}

function sizeMessage(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string' && small && bound === 1) return 'expected non-empty text';
  if (issue.origin === 'string') return `expected ${small ? 'at least' : 'at most'} ${bound} characters`;
  if (issue.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${bound} items`;
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `expected a number ${op} ${bound}, got ${describeValue(issue.input)}`;
}

/** Per-parse error map: house-style messages for zod's generic issues; undefined keeps zod's own. */
export function configErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `missing (expected ${expected})`;
      return `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected text matching ${issue.pattern}`
        : `expected ${issue.format}`;
    case 'unrecognized_keys': {
      const def = issue.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      const known = def?.shape ? Object.keys(def.shape) : [];
      return known.length > 0 ? `unknown key (allowed here: ${known.join(', ')})` : 'unknown key';
    }
    default:
      return undefined;
  }
}

/** One line per problem; an unknown key gets its own path, so the typo itself is named. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const at = (extra: PropertyKey[] = []) => [...issue.path, ...extra].map(String).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${at([key])}: ${issue.message}`);
    return [`${at()}: ${issue.message}`];
  });
}

/** Validates parsed YAML against a config schema; a failure is a ConfigError naming file and key paths. */
export function validateConfig<S extends z.ZodType>(schema: S, file: string, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw, { error: configErrorMap });
  if (!parsed.success) throw new ConfigError(file, formatZodIssues(parsed.error));
  return parsed.data;
}
