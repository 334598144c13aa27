// catalog.base_unconditional: base-data entries are shared unconditionally. Which base kinds the article
// names is a profile setting: Shaanxi 第十四条(二), Guangdong 第十七条 and Yingkou 第十九条 name four kinds,
// only Liyang 第十一条(二) and Zhongshan 第十八条 add 社会信用 (the default, as in RULES.md).
import { z } from 'zod';
import { defineRule, severity } from '../rule-definition.ts';

const BASE_KINDS = [
  'population',
  'legal_entity',
  'natural_resources_geo',
  'e_license',
  'social_credit',
] as const;

export default defineRule({
  id: 'catalog.base_unconditional',
  sql: 'catalog_base_unconditional.sql',
  needs: ['int_catalog_entries'],
  paramsSchema: z
    .object({
      base_kinds: z
        .array(z.enum(BASE_KINDS))
        .min(1)
        .default([...BASE_KINDS])
        .describe(
          'base kinds the article names: population (人口), legal_entity (法人单位), natural_resources_geo (自然资源和空间地理), e_license (电子证照), social_credit (社会信用)',
        ),
    })
    .strict(),
  bind: (_rule, params) =>
    Object.fromEntries(BASE_KINDS.map((kind) => [`base_${kind}`, params.base_kinds.includes(kind)])),
  severity: severity('major'),
});
