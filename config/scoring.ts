// The scoring method of a profile: dimensions and their weights, which rules feed which indicator, rate or
// deduction scoring, grade bands and the veto item. A profile may carry its own `scoring:`; otherwise the
// default method (config/scoring-default.yaml, the table in PRODUCT.md) applies and its text is part of the
// profile's hash, so a manifest pins the method as exactly as the rules.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { readYaml, type YamlSource } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';
import { RULE_IDS } from './rule-ids.ts';

const ruleId = z.enum(RULE_IDS);
const weight = z.number().int('应为整数').positive('应为正整数');

const indicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/, '应由小写字母、数字和下划线组成'),
    label: z.string().min(1).describe('the indicator name users read, e.g. 申请按时答复率'),
    weight: weight.describe('weight inside its dimension; the weights of a dimension sum to 100'),
    method: z
      .enum(['rate', 'deduction'])
      .describe('rate: passed units / due units x 100; deduction: 100 minus points'),
    rules: z.array(ruleId).min(1).describe('the rules whose evaluations feed the indicator'),
    points: z
      .partialRecord(ruleId, z.number().int().positive())
      .optional()
      .describe('deduction: points per counted finding of each rule'),
    definition: z.string().min(1).describe('how it is computed, for the report appendix'),
  })
  .strict();

const dimensionSchema = z
  .object({
    id: z.enum(['catalog', 'supply', 'quality', 'misuse']),
    label: z.string().min(1),
    weight,
    indicators: z.array(indicatorSchema).min(1),
  })
  .strict();

const GRADES = ['优秀', '良好', '合格', '不合格'] as const;

export const scoringSchema = z
  .object({
    dimensions: z.array(dimensionSchema).min(1),
    grades: z
      .array(z.object({ label: z.enum(GRADES), min: z.number().min(0).max(100) }).strict())
      .length(4)
      .describe('grade bands, best first; a total at or above min gets the label'),
    veto: z
      .object({
        rules: z
          .array(ruleId)
          .min(1)
          .describe('a confirmed finding of these rules is a veto item (一票否决)'),
        cap: z.enum(GRADES).describe('the best grade a department with a veto item can get'),
      })
      .strict(),
  })
  .strict()
  .superRefine((method, ctx) => {
    const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);
    const dimensions = sum(method.dimensions.map((d) => d.weight));
    if (dimensions !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `各维度权重之和应为 100（现为 ${dimensions}）`,
      });
    }
    method.dimensions.forEach((d, i) => {
      const indicators = sum(d.indicators.map((x) => x.weight));
      if (indicators !== 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions', i, 'indicators'],
          message: `各指标权重之和应为 100（现为 ${indicators}）`,
        });
      }
      d.indicators.forEach((x, j) => {
        if (x.method === 'deduction' && (!x.points || x.rules.some((r) => x.points![r] === undefined))) {
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'indicators', j, 'points'],
            message: '扣分制指标的每条规则都应设置扣分（points）',
          });
        }
      });
    });
    const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
    for (const id of duplicates(method.dimensions.map((d) => d.id)))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `每个维度只能出现一次（${id} 出现了两次）`,
      });
    const indicators = method.dimensions.flatMap((d) => d.indicators);
    for (const id of duplicates(indicators.map((x) => x.id)))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `指标 id 不能重复（${id} 出现了两次）`,
      });
    // a rule listed twice, in one indicator or in two, would count each of its findings twice
    for (const x of indicators)
      for (const rule of duplicates(x.rules))
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions'],
          message: `指标 ${x.id} 中每条规则只能出现一次（${rule} 出现了两次）`,
        });
    for (const rule of duplicates(indicators.flatMap((x) => [...new Set(x.rules)])))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `每条规则只能属于一个指标（${rule} 属于两个指标）`,
      });
    if (method.grades.some((g, i) => g.label !== GRADES[i]))
      ctx.addIssue({
        code: 'custom',
        path: ['grades'],
        message: `等次应依次为 ${GRADES.join('、')}`,
      });
    method.grades.forEach((g, i) => {
      if (Math.abs(g.min * 100 - Math.round(g.min * 100)) > 1e-9)
        ctx.addIssue({
          code: 'custom',
          path: ['grades', i, 'min'],
          message: '最多两位小数',
        });
    });
    const mins = method.grades.map((g) => g.min);
    if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!) || mins[mins.length - 1] !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['grades'],
        message: '各等次的最低分应从高到低排列，最后一个为 0',
      });
    }
  });

export type ScoringMethod = z.infer<typeof scoringSchema>;
export type IndicatorDef = ScoringMethod['dimensions'][number]['indicators'][number];

export const DEFAULT_SCORING_FILE = new URL('./scoring-default.yaml', import.meta.url);

/**
 * Settings the schema accepts that would do nothing, so that an edit meant to change scores does not pass
 * unnoticed: points on a rate indicator or for a rule the indicator does not list, and a veto capped at the
 * best grade. `prefix`: where the method sits in its file (['scoring'] in a profile).
 */
export function methodProblems(
  method: ScoringMethod,
  yaml: YamlSource,
  prefix: PropertyKey[] = [],
): string[] {
  const problems: string[] = [];
  const at = (...path: PropertyKey[]) => `${[...prefix, ...path].join('.')}${yaml.at([...prefix, ...path])}`;
  method.dimensions.forEach((d, i) =>
    d.indicators.forEach((x, j) => {
      const points = Object.keys(x.points ?? {});
      if (x.method === 'rate' && points.length > 0) {
        problems.push(
          `${at('dimensions', i, 'indicators', j, 'points')}：比率制（rate）指标不按扣分计分，points 不起作用：` +
            '删除它，或把 method 改为 deduction',
        );
        return;
      }
      for (const rule of points.filter((r) => !(x.rules as string[]).includes(r)))
        problems.push(
          `${at('dimensions', i, 'indicators', j, 'points', rule)}：${rule} 不在本指标的 rules 中，` +
            '此扣分不起作用：把它加入 rules，或删除此项',
        );
    }),
  );
  if (method.veto.cap === GRADES[0])
    problems.push(
      `${at('veto', 'cap')}：等次上限为 ${GRADES[0]} 时否决项不起作用：应为 ${GRADES.slice(1).join('、')} 之一`,
    );
  return problems;
}

/**
 * The default scoring method: the file's, or the given text of it (as a stored run kept it, which is what it
 * was then: methodProblems, added later, is not asked of it).
 */
export function loadDefaultScoring(given?: string): { method: ScoringMethod; text: string } {
  const text = given ?? readFileSync(DEFAULT_SCORING_FILE, 'utf8');
  const file = DEFAULT_SCORING_FILE.pathname;
  const yaml = readYaml(file, text, { stored: given !== undefined });
  const method = validateConfig(scoringSchema, file, yaml);
  const problems = given === undefined ? methodProblems(method, yaml) : [];
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { method, text };
}
