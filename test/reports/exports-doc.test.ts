import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_COLUMNS } from '../../reports/export-findings.ts';
import { REJECT_COLUMNS } from '../../reports/export-rejects.ts';
import { SCORE_COLUMNS } from '../../reports/export-scores.ts';
import { REPO_ROOT } from '../helpers.ts';

/** The first cells of the column table under a `## <section>` heading of docs/exports.md. */
function documentedColumns(section: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs', 'exports.md'), 'utf8');
  const body = text.split(`\n## ${section}\n`)[1]!.split('\n## ')[0]!;
  return body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| column | meaning |'))
    .map((line) => line.split('|')[1]!.trim());
}

describe('docs/exports.md', () => {
  it('lists the columns of every export in their order', () => {
    expect(documentedColumns('findings')).toEqual([...FINDING_COLUMNS]);
    expect(documentedColumns('scores')).toEqual([...SCORE_COLUMNS]);
    expect(documentedColumns('rejects')).toEqual([...REJECT_COLUMNS]);
  });
});
