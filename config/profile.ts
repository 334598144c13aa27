// Rule profiles: one YAML per jurisdiction under config/profiles/, each rule citing its article.
// A rule whose regulation states no number carries `basis: default` so no finding pretends an article
// says what only the profile decided. Unknown keys are errors, so a typo cannot silently disable a rule.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, AppError } from './errors.ts';
import { formatZodIssues } from './zod-issues.ts';

export const RULE_IDS = [
  'catalog.change_update',
  'catalog.quarterly_review',
  'catalog.metadata_complete',
  'catalog.restricted_basis',
  'catalog.base_unconditional',
  'catalog.mounted',
  'supply.request_response',
  'supply.request_unanswered',
  'supply.rejection_basis',
  'supply.update_cycle',
  'quality.verification_response',
  'quality.error_corrected',
  'quality.conformance',
  'quality.one_source',
  'misuse.unapproved_access',
  'misuse.beyond_scope',
  'misuse.anomalous_volume',
  'misuse.duplicate_collection',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

const positiveDays = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer');

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
    require_legal_basis: z
      .boolean()
      .optional()
      .describe('supply.rejection_basis: a refusal must also cite a law, regulation or rule'),
    note: z.string().optional().describe('why the rule is set this way, for evaluators'),
  })
  .strict();
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
    id: z.string().regex(/^[a-z0-9-]+$/, 'expected lowercase letters, digits and dashes'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version like 1.0.0'),
    jurisdiction: z.string().min(1).describe('e.g. 陕西省'),
    regulation: z.string().min(1).describe('the regulation every article refers to'),
    document: z.string().optional().describe('its document number, e.g. 粤府办〔2018〕50号'),
    rules: rulesSchema,
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
  /** sha256 of the YAML text, so a manifest pins the exact profile. */
  hash: string;
  file: string;
  rules: Map<RuleId, RuleConfig>;
}

export function parseProfile(file: string, text: string): Profile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(file, [`not valid YAML: ${(cause as Error).message}`]);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, formatZodIssues(parsed.error));
  const data = parsed.data;
  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (data.id !== expectedId) throw new ConfigError(file, [`id: expected "${expectedId}" (the file name)`]);
  const rules = new Map<RuleId, RuleConfig>();
  for (const [group, entries] of Object.entries(data.rules)) {
    for (const [name, settings] of Object.entries(entries as Record<string, RuleSettings | undefined>)) {
      if (!settings) continue;
      const id = `${group}.${name}` as RuleId;
      if (settings.enabled && requiresDays(id) && settings.days === undefined) {
        throw new ConfigError(file, [
          `rules.${group}.${name}.days: expected a positive integer (working days)`,
        ]);
      }
      const regulation = settings.regulation ?? data.regulation;
      rules.set(id, { ...settings, id, citation: `${regulation} ${settings.article}` });
    }
  }
  const hash = createHash('sha256').update(text).digest('hex');
  return { ...data, hash, file, rules };
}

const DEADLINE_RULES: ReadonlySet<RuleId> = new Set([
  'catalog.change_update',
  'supply.request_response',
  'quality.verification_response',
]);

export function requiresDays(id: RuleId): boolean {
  return DEADLINE_RULES.has(id);
}

export function loadProfile(profilesDir: string, id: string): Profile {
  const file = path.join(profilesDir, `${id}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const known = listProfileIds(profilesDir).join(', ');
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
