// misuse.duplicate_collection: a department catalogs items that another department's base resource already
// provides. The identifiers every dataset must carry to be joined at all (公民身份号码, 姓名, …) are not
// duplicate collection by themselves, nor are record-keeping items every dataset has (备注, 更新时间) or the
// items of any certificate (证书编号, 发证日期), so they never count and a finding needs several other items.
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

// Items that describe a certificate or a record rather than its subject (any licence has a 证书编号 and a
// 发证日期): two resources about different subjects share them by name alone, and a department cannot obtain
// its own licences' numbers from another department's base resource of other licences.
const DOCUMENT_ITEMS = [
  '证书编号',
  '证照编号',
  '证件编号',
  '许可证编号',
  '发证日期',
  '颁发日期',
  '颁证日期',
  '发证机关',
  '发证单位',
  '颁发机关',
  '有效期',
  '有效期限',
  '有效期至',
  '有效期起',
  '有效期止',
  '有效起始日期',
  '有效截止日期',
  '状态',
];

export default defineRule({
  id: 'misuse.duplicate_collection',
  sql: 'misuse_duplicate_collection.sql',
  needs: ['int_catalog_entries'],
  paramsSchema: z
    .object({
      ignore_items: z
        .array(z.string().min(1))
        .default([...KEY_ITEMS, ...GENERIC_ITEMS, ...DOCUMENT_ITEMS])
        .describe(
          'join keys, record-keeping items (备注, 更新时间) and items of a certificate rather than its subject (证书编号, 发证日期) that never count as duplicated (compared after normalisation)',
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
