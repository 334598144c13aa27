// catalog.metadata_complete: each catalog entry in force states the elements its jurisdiction requires.
// The element list is a profile setting, because the articles differ (Yingkou 第十四条 names 联络人 but no
// usage requirements); the default is the list of RULES.md. share_condition is required of 有条件共享
// entries only.
import { z } from 'zod';
import { defineRule, severity } from '../rule-definition.ts';

/** Catalog columns that can be required, with the element's name in the regulations. */
const CATALOG_ELEMENTS = {
  category: '分类',
  provider_dept: '责任方',
  format: '格式',
  data_items: '信息项（属性）',
  update_cycle: '更新周期（更新时限）',
  share_type: '共享类型',
  share_method: '共享方式',
  share_condition: '共享条件（有条件共享的）',
  open_type: '开放类型',
  usage_requirements: '使用要求',
  contact: '联络人',
} as const;

type Element = keyof typeof CATALOG_ELEMENTS;
const ELEMENTS = Object.keys(CATALOG_ELEMENTS) as [Element, ...Element[]];

const DEFAULT_ELEMENTS: Element[] = [
  'category',
  'provider_dept',
  'format',
  'data_items',
  'update_cycle',
  'share_type',
  'share_method',
  'usage_requirements',
];

export default defineRule({
  id: 'catalog.metadata_complete',
  sql: 'catalog_metadata_complete.sql',
  needs: ['int_catalog_entries'],
  paramsSchema: z
    .object({
      elements: z
        .array(z.enum(ELEMENTS))
        .min(1)
        .default(DEFAULT_ELEMENTS)
        .describe(
          `the elements every entry must state: ${ELEMENTS.map((e) => `${e} (${CATALOG_ELEMENTS[e]})`).join(', ')}`,
        ),
    })
    .strict(),
  bind: (_rule, params) =>
    Object.fromEntries(ELEMENTS.map((element) => [`need_${element}`, params.elements.includes(element)])),
  // the keys a decision rests on: the default grounds of the evidence before values_as_exported was added
  // (every key but the snapshot's batch and date), which only shows the texts behind `missing`, so decisions
  // made before it keep applying
  reviewGrounds: ['resource_code', 'resource_name', 'provider_dept', 'missing'],
  severity: severity('minor'),
});
