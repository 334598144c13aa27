// Item names compare the same way in TypeScript rules (quality.one_source) and in SQL ones (beyond_scope,
// duplicate_collection): itemKey is the twin of the sw_item_key macro.
import { expect, it } from 'vitest';
import { itemKey } from '../../metrics/item-names.ts';
import { freshDb } from '../helpers.ts';

it('gives the key sw_item_key gives', async () => {
  const names = [
    '联系电话（手机）',
    '联系电话(手机)',
    'Email',
    'ＥＭＡＩＬ',
    '住\u3000所',
    '企业 名称',
    '法定代表人·姓名',
    '统一社会信用代码【18位】',
    '金额￥',
    'Ｎｏ．１',
  ];
  const { db } = await freshDb();
  try {
    const rows = await db.query<{ k: string }>(
      `select sw_item_key(name) as k from unnest($names::varchar[]) with ordinality as t(name, i) order by i`,
      { names: JSON.stringify(names) },
    );
    expect(names.map(itemKey)).toEqual(rows.map((r) => r.k));
    expect(names.map(itemKey)).toEqual([
      '联系电话手机',
      '联系电话手机',
      'email',
      'email',
      '住所',
      '企业名称',
      '法定代表人姓名',
      '统一社会信用代码18位',
      '金额',
      'no1',
    ]);
  } finally {
    db.close();
  }
});
