// The scoring method of a profile: dimensions and their weights, which rules feed which indicator, rate or
// deduction scoring, grade bands and the veto item. A profile may carry its own `scoring:`; otherwise the
// default method (config/scoring-default.yaml, the table in PRODUCT.md) applies and its text is part of the
// profile's hash, so a manifest pins the method as exactly as the rules.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText } from './parse-yaml.ts';
import { validateConfig } from './zod-issues.ts';
import { RULE_IDS } from './rule-ids.ts';

const ruleId = z.enum(RULE_IDS);
const weight = z.number().int('expected a whole number').positive('expected a positive whole number');

const indicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/, 'expected lowercase letters, digits and underscores'),
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
    if (sum(method.dimensions.map((d) => d.weight)) !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: 'expected dimension weights that sum to 100',
      });
    }
    method.dimensions.forEach((d, i) => {
      if (sum(d.indicators.map((x) => x.weight)) !== 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions', i, 'indicators'],
          message: 'expected indicator weights that sum to 100',
        });
      }
      d.indicators.forEach((x, j) => {
        if (x.method === 'deduction' && (!x.points || x.rules.some((r) => x.points![r] === undefined))) {
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'indicators', j, 'points'],
            message: 'expected points for every rule of a deduction indicator',
          });
        }
      });
    });
    const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
    for (const id of duplicates(method.dimensions.map((d) => d.id)))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `expected each dimension once, got ${id} twice`,
      });
    const indicators = method.dimensions.flatMap((d) => d.indicators);
    for (const id of duplicates(indicators.map((x) => x.id)))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `expected unique indicator ids, got ${id} twice`,
      });
    // a rule listed twice, in one indicator or in two, would count each of its findings twice
    for (const x of indicators)
      for (const rule of duplicates(x.rules))
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions'],
          message: `expected each rule once in indicator ${x.id}, got ${rule} twice`,
        });
    for (const rule of duplicates(indicators.flatMap((x) => [...new Set(x.rules)])))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `expected each rule in one indicator, got ${rule} in two`,
      });
    if (method.grades.some((g, i) => g.label !== GRADES[i]))
      ctx.addIssue({
        code: 'custom',
        path: ['grades'],
        message: `expected the grades ${GRADES.join(', ')} in this order`,
      });
    method.grades.forEach((g, i) => {
      if (Math.abs(g.min * 100 - Math.round(g.min * 100)) > 1e-9)
        ctx.addIssue({
          code: 'custom',
          path: ['grades', i, 'min'],
          message: 'expected at most two decimals',
        });
    });
    const mins = method.grades.map((g) => g.min);
    if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!) || mins[mins.length - 1] !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['grades'],
        message: 'expected grade minimums in descending order, the last 0',
      });
    }
  });

export type ScoringMethod = z.infer<typeof scoringSchema>;
export type IndicatorDef = ScoringMethod['dimensions'][number]['indicators'][number];

export const DEFAULT_SCORING_FILE = new URL('./scoring-default.yaml', import.meta.url);

/** The default scoring method: the file's, or the given text of it (as a stored run kept it). */
export function loadDefaultScoring(given?: string): { method: ScoringMethod; text: string } {
  const text = given ?? readFileSync(DEFAULT_SCORING_FILE, 'utf8');
  const file = DEFAULT_SCORING_FILE.pathname;
  return { method: validateConfig(scoringSchema, file, parseYamlText(file, text)), text };
}
