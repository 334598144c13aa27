import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRecordKindsDoc } from '../../store/record-kinds-doc.ts';
import { REPO_ROOT } from '../helpers.ts';

describe('docs/record-kinds.md', () => {
  it('is in step with the record kinds the collectors accept (run `npm run docs` after changing them)', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'docs', 'record-kinds.md'), 'utf8')).toBe(
      renderRecordKindsDoc(),
    );
  });
});
