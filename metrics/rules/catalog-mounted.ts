// catalog.mounted: a published catalog entry has its data mounted on the platform. Severity is major, not
// minor: an entry that promises data nobody can get is the "未向共享平台及时提供共享信息" the articles list
// as a ground for rectification (e.g. Shaanxi 第二十八条(二)), a supply never made rather than a form gap.
// An unknown mount (data_gap) is not the department's fault and is listed as minor.
import { defineRule, severitySql } from '../rule-definition.ts';

export default defineRule({
  id: 'catalog.mounted',
  sql: 'catalog_mounted.sql',
  needs: ['int_catalog_entries'],
  severity: severitySql(`case when status = 'open' then 'major' else 'minor' end`),
});
