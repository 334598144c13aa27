// catalog.restricted_basis: a restricted entry (有条件共享/不予共享) cites its legal basis; a conditional entry
// states its conditions. Which classes need a basis, and whether conditions must be stated, are profile
// settings: most articles cover only 不予共享 (e.g. Shaanxi 第十四条(一)), Guangdong 第十八条 covers both.
import { z } from 'zod';
import { defineRule, severity } from '../rule-definition.ts';

export default defineRule({
  id: 'catalog.restricted_basis',
  sql: 'catalog_restricted_basis.sql',
  needs: ['int_catalog_entries'],
  paramsSchema: z
    .object({
      basis_share_types: z
        .array(z.enum(['conditional', 'none']))
        .min(1)
        .default(['conditional', 'none'])
        .describe(
          'share classes whose entries must cite a legal basis: conditional (有条件共享), none (不予共享)',
        ),
      require_condition: z
        .boolean()
        .default(true)
        .describe('a conditional entry must state its share conditions (share_condition)'),
    })
    .strict(),
  bind: (_rule, params) => ({
    basis_conditional: params.basis_share_types.includes('conditional'),
    basis_none: params.basis_share_types.includes('none'),
    require_condition: params.require_condition,
  }),
  severity: severity('major'),
});
