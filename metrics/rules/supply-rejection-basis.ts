// supply.rejection_basis: a refusal states its reason; where the profile says so (Yingkou), it also cites
// a law, regulation or rule in legal_basis.
import { z } from 'zod';
import { defineRule, severity } from '../rule-definition.ts';

export default defineRule({
  id: 'supply.rejection_basis',
  sql: 'supply_rejection_basis.sql',
  paramsSchema: z
    .object({
      require_legal_basis: z.boolean().default(false).describe('the refusal must also cite a legal basis'),
    })
    .strict(),
  bind: (_rule, params) => ({ require_legal_basis: params.require_legal_basis }),
  severity: severity('minor'),
});
