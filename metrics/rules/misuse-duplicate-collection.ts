// misuse.duplicate_collection: a department catalogs items that another department's base resource already
// provides. The identifiers every dataset must carry to be joined at all (公民身份号码, 姓名, …) are not
// duplicate collection by themselves, nor are record-keeping items every dataset has (备注, 更新时间), so they
// never count and a finding needs several other items.
import { z } from 'zod';
import { GENERIC_ITEMS } from '../item-names.ts';
import { defineRule, severity } from '../rule-definition.ts';

const KEY_ITEMS = [
  '公民身份号码',
  '居民身份证号码',
  '身份证号码',
  '身份证号',
  '公民身份证号',
  '公民身份证号码',
  '证件类型',
  '证件号码',
  '证件号',
  '姓名',
  '统一社会信用代码',
  '社会信用代码',
  '组织机构代码',
  '工商注册号',
  '注册号',
  '企业名称',
  '单位名称',
  '机构名称',
];

export default defineRule({
  id: 'misuse.duplicate_collection',
  sql: 'misuse_duplicate_collection.sql',
  needs: ['int_catalog_entries'],
  paramsSchema: z
    .object({
      ignore_items: z
        .array(z.string().min(1))
        .default([...KEY_ITEMS, ...GENERIC_ITEMS])
        .describe(
          'join keys and record-keeping items (备注, 更新时间) that never count as duplicated (compared after normalisation)',
        ),
      min_items: z
        .number()
        .int()
        .positive()
        .default(2)
        .describe('duplicated items (other than the keys) an entry needs to be a finding'),
    })
    .strict(),
  bind: (_rule, p) => ({ ignore_items: JSON.stringify(p.ignore_items), min_items: p.min_items }),
  severity: severity('minor'),
});
