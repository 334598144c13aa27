// Data item names as the rules compare them, and the record-keeping items nearly every dataset has.
import { toHalfWidth } from './validators/index.ts';

/**
 * JS twin of the SQL macro sw_item_key (store/schema.ts): full-width forms to half-width, punctuation, symbols
 * and blanks removed, case folded, so that 联系电话（手机） and 联系电话(手机), Email and email, are one item.
 */
export function itemKey(item: string): string {
  return toHalfWidth(item)
    .replace(/[\p{P}\p{S}\p{Z}\s]/gu, '')
    .toLowerCase();
}

/**
 * Record-keeping items nearly every dataset has (序号, 备注, 更新时间): they say nothing about the subject, so
 * two catalogs sharing them share no data (misuse.duplicate_collection), and two providers holding different
 * ones do not disagree about the subject (quality.one_source).
 */
export const GENERIC_ITEMS = [
  '序号',
  '备注',
  '说明',
  '更新时间',
  '数据更新时间',
  '创建时间',
  '入库时间',
  '录入时间',
  '录入人',
  '录入单位',
  '填报单位',
  '数据来源',
  '来源单位',
  '数据状态',
  '有效标志',
  '删除标志',
  '时间戳',
];
