// Finds the implemented rules: every metrics/rules/<rule-id>.ts default-exports its definition, so adding
// a rule never touches a shared list. A profile may enable a rule that is not implemented yet; the run then
// reports it as not evaluated, never as clean.
import { readdirSync } from 'node:fs';
import { RULE_IDS, type RuleId } from '../config/profile.ts';
import type { AnyRuleDefinition } from './rule-definition.ts';

const RULES_DIR = new URL('./rules/', import.meta.url);

export async function loadRuleDefinitions(): Promise<Map<RuleId, AnyRuleDefinition>> {
  const files = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const rules = new Map<RuleId, AnyRuleDefinition>();
  for (const file of files) {
    const module = (await import(new URL(file, RULES_DIR).href)) as { default?: AnyRuleDefinition };
    const definition = module.default;
    if (!definition || !RULE_IDS.includes(definition.id)) {
      throw new Error(
        `internal: metrics/rules/${file} does not default-export a rule definition with a known id`,
      );
    }
    if (file !== `${definition.id.replace(/[._]/g, '-')}.ts`) {
      throw new Error(
        `internal: metrics/rules/${file} defines ${definition.id}; name the file after the rule id`,
      );
    }
    rules.set(definition.id, definition);
  }
  return rules;
}
