// Reads the shared SQL of metrics/sql/ (scoring aggregates and the like), next to the rules' own SQL.
import { readFileSync } from 'node:fs';

export function metricsSql(name: string): string {
  return readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}
