// Renders the record kinds (columns, types, required columns, keys, accepted enumeration spellings) as the
// Markdown reference in docs/record-kinds.md; a test keeps that file identical to what this renders.
import { ENUMS, RECORD_KINDS, type ColumnSpec, type ProgressStep } from './record-kinds.ts';

const progressStep = (p: ProgressStep): string =>
  `\`${p.col}\`${p.not ? ` (other than ${p.not.map((v) => `\`${v}\``).join(', ')})` : ''}`;

function typeText(spec: ColumnSpec): string {
  if (typeof spec.type === 'object') return `enum \`${spec.type.enum}\``;
  if (spec.dateOnly)
    return `timestamp (local), or a date alone: the ${spec.dateOnly === 'start' ? 'start' : 'end (23:59:59)'} of that day`;
  return {
    text: 'text',
    timestamp: 'timestamp (local)',
    date: 'date',
    integer: 'integer ≥ 0',
    boolean: 'true/false/是/否',
    list: 'list (`;`-separated)',
  }[spec.type];
}

export function renderRecordKindsDoc(): string {
  const out = [
    '# Record kinds accepted by the collectors',
    '',
    'Generated from `store/record-kinds.ts` (`npm run docs`); a test fails when this file is out of step.',
    'Required columns are in bold. A later export of the same key is a new version of the record (the',
    'current state takes the latest loaded version, the raw tables keep every version), except for immutable',
    "kinds, whose re-sent records are not stored again. Columns not listed are kept in the record's `extra`.",
    'Where a kind names progress steps (an answer, a decision, a correction), the version with the most of them',
    'taken is the current state whatever the load order: an older export loaded later does not undo an answer.',
    '',
    'Timestamps: `YYYY-MM-DD HH:MM:SS` (local, Asia/Shanghai), ISO 8601 with an offset (converted to local time),',
    '`YYYY/MM/DD HH:MM[:SS]`. Dates: `YYYY-MM-DD` or `YYYY/MM/DD`. Values are trimmed; an empty value is missing.',
    '',
  ];
  for (const kind of RECORD_KINDS) {
    out.push(
      `## \`${kind.kind}\``,
      '',
      `Key: ${kind.key.map((k) => `\`${k}\``).join(' + ')}${kind.immutable ? ' (immutable)' : ''}`,
      '',
      ...(kind.progress ? [`Progress: ${kind.progress.map(progressStep).join(', ')}`, ''] : []),
      ...(kind.rowChecks
        ? [
            `Rejected when the values contradict each other: ${kind.rowChecks
              .map((c) => `\`${c.fails((column) => column)}\` (${c.reason})`)
              .join('; ')}.`,
            '',
          ]
        : []),
    );
    out.push('| column | type |', '|---|---|');
    for (const c of kind.columns) {
      const name = c.required ? `**${c.name}**` : c.name;
      const blank = c.blankIsFinding ? '; a blank value loads, and the catalog rules judge it' : '';
      out.push(`| ${name} | ${typeText(c)}${blank} |`);
    }
    out.push('');
  }
  out.push(
    '## Enumerations',
    '',
    'The English token is stored; the Chinese terms are accepted too (case-insensitive).',
    '',
  );
  for (const [name, values] of Object.entries(ENUMS)) {
    const spellings = Object.entries(values).map(
      ([token, zh]) => `\`${token}\` (${(zh as readonly string[]).join('、')})`,
    );
    out.push(`- \`${name}\`: ${spellings.join(', ')}`);
  }
  out.push(
    '',
    '## `data_sample`',
    '',
    "Files named `data_sample_<resource_code>[_<date>].csv` (or `.jsonl`, one JSON object a line) carry the resource's own data items; each row is kept whole as JSON with its line number, for the conformance and one-source checks.",
    '',
  );
  return out.join('\n');
}
