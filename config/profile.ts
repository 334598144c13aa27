// Rule profiles: one YAML per jurisdiction under config/profiles/, each rule citing its article.
// A rule whose regulation states no number carries `basis: default` so no finding pretends an article
// says what only the profile decided. Unknown keys are errors, and so is a rule left out (profileProblems),
// so that neither a typo nor a deleted line can silently disable a rule.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, AppError } from './errors.ts';
import { readYaml, type YamlSource } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';
import { RULE_IDS, type RuleId } from './rule-ids.ts';
import { loadDefaultScoring, methodProblems, scoringSchema, type ScoringMethod } from './scoring.ts';

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
  /** Read from a stored run (parseProfile's `stored`): the checks added since it ran are not made of it. */
  stored?: boolean;
}

export interface ProfileSource {
  text: string;
  defaultScoringText: string | null;
}

/**
 * Parses a profile's YAML. `defaultScoringText` is the default scoring method to use when the profile has
 * none of its own: the current config/scoring-default.yaml unless given (a stored run gives its own).
 * `stored`: the text a run kept, read again to recompute or show the run: what it was then is what counts,
 * so the checks of whether its settings fit together (profileProblems, added later) are not made again.
 */
export function parseProfile(
  file: string,
  text: string,
  defaultScoringText?: string,
  options: { stored?: boolean } = {},
): Profile {
  const yaml = readYaml(file, text, { stored: options.stored });
  const data = validateConfig(profileSchema, file, yaml);
  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (data.id !== expectedId)
    throw new ConfigError(file, [`id${yaml.at(['id'])}：应为 "${expectedId}"（与文件名相同）`]);
  const rules = new Map<RuleId, RuleConfig>();
  const problems: string[] = [];
  for (const [group, entries] of Object.entries(data.rules)) {
    for (const [name, settings] of Object.entries(entries as Record<string, RuleSettings | undefined>)) {
      if (!settings) continue;
      const id = `${group}.${name}` as RuleId;
      const at = (key: string) => `rules.${id}.${key}${yaml.at(['rules', group, name, key])}`;
      problems.push(...settingProblems(id, settings).map(([key, problem]) => `${at(key)}：${problem}`));
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
  if (!options.stored) {
    const own = data.scoring ? yaml : null;
    const more = profileProblems(rules, scoring, yaml, own);
    if (more.length > 0) throw new ConfigError(file, more);
  }
  const source = { text, defaultScoringText: usedDefault };
  return {
    ...data,
    scoring,
    hash: hasher.digest('hex'),
    file,
    rules,
    source,
    ...(options.stored ? { stored: true } : {}),
  };
}

/**
 * Whether a profile's settings fit together, so that no slip changes scores in silence: every rule is written
 * (a rule left out would be off without anyone deciding it), a rule turned off says why, a rule that runs
 * counts somewhere (an indicator, or the veto), a veto rule runs, and request_unanswered (overdue requests
 * only, on request_response's clock) and request_response run together. `own`: the profile's own scoring section
 * (null: the default method, whose own problems loadDefaultScoring reports).
 */
function profileProblems(
  rules: Map<RuleId, RuleConfig>,
  scoring: ScoringMethod,
  yaml: YamlSource,
  own: YamlSource | null,
): string[] {
  const problems: string[] = [];
  const at = (id: string, key?: string) => {
    const path = ['rules', ...id.split('.'), ...(key ? [key] : [])];
    return `${path.join('.')}${yaml.at(path)}`;
  };
  const indicators = scoring.dimensions.flatMap((d) => d.indicators);
  const scored = new Set([...indicators.flatMap((x) => x.rules), ...scoring.veto.rules]);
  for (const id of RULE_IDS) {
    const rule = rules.get(id);
    if (!rule) {
      problems.push(
        `${at(id)}：缺少此项（每条规则都须写明是否启用：不评估的规则写 enabled: false，并在 note 中说明原因）`,
      );
    } else if (!rule.enabled && (rule.note ?? '').trim() === '') {
      problems.push(`${at(id, 'note')}：缺少此项（停用的规则须用 note 说明为何不评估）`);
    } else if (rule.enabled && !scored.has(id)) {
      problems.push(
        `${at(id, 'enabled')}：此规则已启用，但不属于评分方法的任何指标，也不是否决项，其问题不会计入得分：` +
          '请把它加入一个指标的 rules，或设为 enabled: false',
      );
    }
  }
  // one clock, two halves: request_response judges the answered requests, request_unanswered the overdue
  // ones; either alone would make the on-time rate count one half
  const unanswered = rules.get('supply.request_unanswered');
  const response = rules.get('supply.request_response');
  if (unanswered && response && unanswered.enabled !== response.enabled) {
    problems.push(
      `${at('supply.request_unanswered', 'enabled')}：request_unanswered（逾期未答复的申请）与 request_response` +
        '（已答复的申请，期限取其 days）须同时启用或同时停用，否则按时答复率只计其中一半',
    );
  }
  if (own) problems.push(...methodProblems(scoring, own, ['scoring']));
  scoring.veto.rules.forEach((id, i) => {
    // a rule left out is told of above
    if (!rules.has(id) || rules.get(id)!.enabled) return;
    const path = own ? ['scoring', 'veto', 'rules', i] : null;
    problems.push(
      `${path ? `${path.join('.')}${own!.at(path)}` : `${at(id, 'enabled')}`}：${id} 是评分方法的否决项，` +
        '但本配置未启用它，否决项永远不会触发：请启用该规则，或在评分方法中去掉此否决项',
    );
  });
  return problems;
}

const DEADLINE_RULES: ReadonlySet<RuleId> = new Set([
  'catalog.change_update',
  'supply.request_response',
  'quality.verification_response',
]);

export function requiresDays(id: RuleId): boolean {
  return DEADLINE_RULES.has(id);
}

/** Settings that the schema cannot judge alone because they depend on which rule they belong to: [key, problem]. */
function settingProblems(id: RuleId, settings: RuleSettings): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (requiresDays(id) && settings.enabled && settings.days === undefined) {
    problems.push(['days', '缺少此项（应为正整数：允许的工作日数）']);
  }
  if (!requiresDays(id) && settings.days !== undefined) {
    problems.push(['days', '此规则不使用（只有期限类规则设置 days）']);
  }
  return problems;
}

export function loadProfile(profilesDir: string, id: string): Profile {
  const file = profileFile(profilesDir, id);
  return parseProfile(file, readFileSync(file, 'utf8'));
}

/**
 * The file of a profile id, which must exist; for the commands that read a stored run by its profile id
 * (export, fix-first) and need not parse today's file: one written before a check was added still names its
 * runs.
 */
export function profileFile(profilesDir: string, id: string): string {
  // an id names a file of the profiles folder: ../x or a/b would read a file elsewhere
  if (!/^[a-z0-9-]+$/.test(id))
    throw new AppError(
      'profile_unknown',
      `评估规则配置编号 ${id} 无效：应由小写字母、数字和连字符组成，对应 ${profilesDir} 中的同名 .yaml 文件。` +
        `可用的配置：${existsSync(profilesDir) ? listProfileIds(profilesDir).join(', ') : '（无）'}`,
    );
  const file = path.join(profilesDir, `${id}.yaml`);
  if (!existsSync(file)) {
    const known = existsSync(profilesDir)
      ? listProfileIds(profilesDir).join(', ')
      : `（目录 ${profilesDir} 不存在：请检查配置文件中的 profilesDir，不设置时使用项目自带的 config/profiles）`;
    throw new AppError('profile_unknown', `未找到评估规则配置 ${id}（${file}）。可用的配置：${known}`);
  }
  return file;
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
