// Rule profiles: one YAML per jurisdiction under config/profiles/, each rule citing its article.
// A rule whose regulation states no number carries `basis: default` so no finding pretends an article
// says what only the profile decided. Unknown keys are errors, so a typo cannot silently disable a rule.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, AppError } from './errors.ts';
import { parseYamlText } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';
import { RULE_IDS, type RuleId } from './rule-ids.ts';
import { loadDefaultScoring, scoringSchema, type ScoringMethod } from './scoring.ts';

export { RULE_IDS, type RuleId };

const positiveDays = z.number({ error: '应为正整数' }).int('应为正整数').positive('应为正整数');

const ruleSchema = z
  .object({
    enabled: z.boolean().describe('whether the rule runs under this profile'),
    article: z
      .string()
      .min(1)
      .describe('the article(s) the rule rests on, e.g. 第十五条 or 第十五条、第二十八条'),
    regulation: z.string().min(1).optional().describe('overrides the profile regulation for this rule'),
    basis: z
      .enum(['article', 'default'])
      .describe('article: the number is stated by the regulation; default: the profile chose it'),
    days: positiveDays.optional().describe('working days allowed, for deadline rules'),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("rule-specific settings, validated by the rule's own schema (metrics/rules/<rule_id>.ts)"),
    note: z.string().optional().describe('why the rule is set this way, for evaluators'),
  })
  .strict()
  .refine((rule) => rule.basis !== 'default' || (rule.note ?? '').trim() !== '', {
    path: ['note'],
    message: '缺少此项（basis 为 default 时须用 note 说明配置为何这样设定）',
  });
export type RuleSettings = z.infer<typeof ruleSchema>;

function groupSchema<const K extends string>(keys: readonly K[]) {
  const shape = Object.fromEntries(keys.map((k) => [k, ruleSchema.optional()])) as Record<
    K,
    z.ZodOptional<typeof ruleSchema>
  >;
  return z.object(shape).strict();
}

const rulesSchema = z
  .object({
    catalog: groupSchema([
      'change_update',
      'quarterly_review',
      'metadata_complete',
      'restricted_basis',
      'base_unconditional',
      'mounted',
    ]),
    supply: groupSchema(['request_response', 'request_unanswered', 'rejection_basis', 'update_cycle']),
    quality: groupSchema(['verification_response', 'error_corrected', 'conformance', 'one_source']),
    misuse: groupSchema(['unapproved_access', 'beyond_scope', 'anomalous_volume', 'duplicate_collection']),
  })
  .strict();

export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, '应由小写字母、数字和连字符组成'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, '应为形如 1.0.0 的版本号'),
    jurisdiction: z.string().min(1).describe('e.g. 陕西省'),
    regulation: z.string().min(1).describe('the regulation every article refers to'),
    document: z.string().optional().describe('its document number, e.g. 粤府办〔2018〕50号'),
    rules: rulesSchema,
    scoring: scoringSchema.optional().describe('the scoring method; config/scoring-default.yaml when absent'),
  })
  .strict();

export interface RuleConfig extends RuleSettings {
  id: RuleId;
  /** "<regulation> <article>", the text findings cite. */
  citation: string;
}

export interface Profile {
  id: string;
  version: string;
  jurisdiction: string;
  regulation: string;
  document?: string;
  /** sha256 of the YAML text (and of the default scoring method when used): a manifest pins both. */
  hash: string;
  file: string;
  rules: Map<RuleId, RuleConfig>;
  scoring: ScoringMethod;
  /** What the hash is of: the YAML text, and the default scoring method's text when the profile uses it. */
  source: ProfileSource;
}

export interface ProfileSource {
  text: string;
  defaultScoringText: string | null;
}

/**
 * Parses a profile's YAML. `defaultScoringText` is the default scoring method to use when the profile has
 * none of its own: the current config/scoring-default.yaml unless given (a stored run gives its own).
 */
export function parseProfile(file: string, text: string, defaultScoringText?: string): Profile {
  const data = validateConfig(profileSchema, file, parseYamlText(file, text));
  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (data.id !== expectedId) throw new ConfigError(file, [`id：应为 "${expectedId}"（与文件名相同）`]);
  const rules = new Map<RuleId, RuleConfig>();
  const problems: string[] = [];
  for (const [group, entries] of Object.entries(data.rules)) {
    for (const [name, settings] of Object.entries(entries as Record<string, RuleSettings | undefined>)) {
      if (!settings) continue;
      const id = `${group}.${name}` as RuleId;
      problems.push(...settingProblems(id, settings).map((p) => `rules.${id}.${p}`));
      const regulation = settings.regulation ?? data.regulation;
      rules.set(id, { ...settings, id, citation: `${regulation} ${settings.article}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  const hasher = createHash('sha256').update(text);
  let scoring = data.scoring;
  let usedDefault: string | null = null;
  if (!scoring) {
    const fallback = loadDefaultScoring(defaultScoringText);
    scoring = fallback.method;
    usedDefault = fallback.text;
    hasher.update('\u0000scoring-default.yaml\u0000').update(fallback.text);
  }
  const source = { text, defaultScoringText: usedDefault };
  return { ...data, scoring, hash: hasher.digest('hex'), file, rules, source };
}

const DEADLINE_RULES: ReadonlySet<RuleId> = new Set([
  'catalog.change_update',
  'supply.request_response',
  'quality.verification_response',
]);

export function requiresDays(id: RuleId): boolean {
  return DEADLINE_RULES.has(id);
}

/** Settings that the schema cannot judge alone because they depend on which rule they belong to. */
function settingProblems(id: RuleId, settings: RuleSettings): string[] {
  const problems: string[] = [];
  if (requiresDays(id) && settings.enabled && settings.days === undefined) {
    problems.push('days：缺少此项（应为正整数：允许的工作日数）');
  }
  if (!requiresDays(id) && settings.days !== undefined) {
    problems.push('days：此规则不使用（只有期限类规则设置 days）');
  }
  return problems;
}

export function loadProfile(profilesDir: string, id: string): Profile {
  // an id names a file of the profiles folder: ../x or a/b would read a file elsewhere
  if (!/^[a-z0-9-]+$/.test(id))
    throw new AppError(
      'profile_unknown',
      `评估规则配置编号 ${id} 无效：应由小写字母、数字和连字符组成，对应 ${profilesDir} 中的同名 .yaml 文件。` +
        `可用的配置：${existsSync(profilesDir) ? listProfileIds(profilesDir).join(', ') : '（无）'}`,
    );
  const file = path.join(profilesDir, `${id}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const known = existsSync(profilesDir)
      ? listProfileIds(profilesDir).join(', ')
      : `（目录 ${profilesDir} 不存在）`;
    throw new AppError('profile_unknown', `未找到评估规则配置 ${id}（${file}）。可用的配置：${known}`, {
      cause,
    });
  }
  return parseProfile(file, text);
}

export function listProfileIds(profilesDir: string): string[] {
  return readdirSync(profilesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** The enabled settings of a rule, or undefined when the profile disables or omits it. */
export function enabledRule(profile: Profile, id: RuleId): RuleConfig | undefined {
  const rule = profile.rules.get(id);
  return rule?.enabled ? rule : undefined;
}
