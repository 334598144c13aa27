// Writes the generated reference docs (npm run docs).
import { writeFileSync } from 'node:fs';
import { renderRecordKindsDoc } from '../store/record-kinds-doc.ts';

writeFileSync(new URL('../docs/record-kinds.md', import.meta.url), renderRecordKindsDoc());
