// Runs every given/expect case in test/metrics/cases/<rule_id>.yaml: the given rows are written as CSV
// files and go through the real collector, then the profile's rules run, and the rule's findings must be
// exactly the expected ones (the listed fields). A registered rule without a case file fails.
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { loadCalendarSource } from '../../config/calendar-files.ts';
import { loadProfile } from '../../config/profile.ts';
import { WorkCalendar } from '../../metrics/calendar.ts';
import { monthPeriod, quarterPeriod } from '../../metrics/periods.ts';
import { loadRuleDefinitions } from '../../metrics/rule-registry.ts';
import { runRules, yearPeriod } from '../../metrics/run-rules.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import { csvField } from '../../reports/export-findings.ts';
import { FIXED_NOW, freshDb, repoConfig, tempDir } from '../helpers.ts';

interface RuleCase {
  name: string;
  profile?: string;
  as_of?: string;
  /** score one quarter, or one month, of the file's year instead of the whole year */
  quarter?: number;
  month?: number;
  given: Record<string, Array<Record<string, unknown>>>;
  expect: Array<Record<string, unknown>>;
}

interface CaseFile {
  rule: string;
  profile: string;
  year: number;
  as_of: string;
  cases: RuleCase[];
}

const CASES_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'cases');
const config = repoConfig();
const calendar = new WorkCalendar(loadCalendarSource(config.calendarsDir), config.calendarsDir);

function writeGiven(dir: string, given: RuleCase['given']): void {
  mkdirSync(dir, { recursive: true });
  for (const [kind, rows] of Object.entries(given)) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))];
    writeFileSync(path.join(dir, `${kind}_case.csv`), lines.join('\n') + '\n');
  }
}

async function findingsFor(file: CaseFile, c: RuleCase): Promise<Array<Record<string, unknown>>> {
  const { db, dir } = await freshDb();
  try {
    const inbox = path.join(dir, 'inbox');
    writeGiven(inbox, c.given);
    const results = await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [inbox]);
    expect(results.filter((r) => r.rows_rejected > 0)).toEqual([]);
    const profile = loadProfile(config.profilesDir, c.profile ?? file.profile);
    const period = c.quarter
      ? quarterPeriod(file.year, c.quarter)
      : c.month
        ? monthPeriod(file.year, c.month)
        : yearPeriod(file.year);
    await runRules(db, {
      profile,
      calendar,
      period,
      asOf: c.as_of ?? file.as_of,
      codeVersion: 'test',
      now: FIXED_NOW,
    });
    const { rows } = await latestRunFindings(db, profile.id, period.label);
    return rows
      .filter((r) => r.rule_id === file.rule)
      .map((r) => ({ ...r, evidence: JSON.parse(r.evidence) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

/** Compares only the fields the case lists; `evidence.x.y` paths reach into the evidence. */
function pick(finding: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.map((key) => [
      key,
      key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], finding),
    ]),
  );
}

const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.yaml'));

describe('rule cases', () => {
  it('has a case file for every implemented rule', async () => {
    const ids = [...(await loadRuleDefinitions()).keys()];
    expect(ids.length).toBeGreaterThanOrEqual(7);
    const missing = ids.filter((id) => !existsSync(path.join(CASES_DIR, `${id}.yaml`)));
    expect(missing).toEqual([]);
  });

  for (const name of files) {
    const file = parseYaml(readFileSync(path.join(CASES_DIR, name), 'utf8')) as CaseFile;
    describe(file.rule, () => {
      for (const c of file.cases) {
        it(c.name, async () => {
          const found = await findingsFor(file, c);
          const keysAt = (i: number) => Object.keys(c.expect[i] ?? c.expect[0] ?? { subject_id: null });
          expect(found.map((f, i) => pick(f, keysAt(i)))).toEqual(c.expect);
        });
      }
    });
  }
});
