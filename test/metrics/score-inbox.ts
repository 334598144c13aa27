// Scores a small inbox written from strings (data_sample files included, which the case runner cannot
// write): through the real collector, the profile's rules for 2026 (or a period of it), then the findings and the evaluations
// (the rate denominators) of one rule. A profile's rule params can be replaced for one run.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { yearPeriod, type Period } from '../../metrics/periods.ts';
import { latestRunFindings } from '../../metrics/store-findings.ts';
import { FIXED_NOW, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { runTestRules, type RuleParams } from './run-test-rules.ts';

const config = repoConfig();

const CATALOG_HEADER =
  'snapshot_date,resource_code,resource_name,provider_dept,category,share_type,update_cycle,data_items';
export const catalog = (...entries: string[]) => [CATALOG_HEADER, ...entries].join('\n') + '\n';
export const csv = (...lines: string[]) => lines.join('\n') + '\n';

interface Options {
  profile?: string;
  /** the year 2026 unless told */
  period?: Period;
  asOf?: string;
  params?: RuleParams;
}

export async function scoreInbox(files: Record<string, string>, opts: Options = {}) {
  const { db } = await freshDb();
  try {
    const inbox = tempDir('sw-inbox-');
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(inbox, name), text);
    const results = await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [inbox]);
    expect(results.filter((r) => r.status !== 'loaded' || r.rows_rejected > 0)).toEqual([]);
    const profileId = opts.profile ?? 'shaanxi-2017';
    const period = opts.period ?? yearPeriod(2026);
    const summary = await runTestRules(db, profileId, { params: opts.params, asOf: opts.asOf, period });
    const batchIds = new Map(
      (
        await db.query<{ file_name: string; batch_id: string }>('select file_name, batch_id from batches')
      ).map((b) => [b.file_name, b.batch_id]),
    );
    const findings = (await latestRunFindings(db, profileId, period.label)).rows.map((r) => ({
      ...r,
      evidence: JSON.parse(r.evidence) as { records: Record<string, unknown> },
    }));
    const evaluations = await db.query<{
      rule_id: string;
      subject_id: string;
      dept_code: string;
      status: string;
      units: number;
      failed_units: number;
    }>(
      `select rule_id, subject_id, dept_code, status, units, failed_units from evaluations
       where run_id = $run order by rule_id, subject_id`,
      { run: summary.runId },
    );
    const of = (rule: string) => ({
      findings: findings.filter((f) => f.rule_id === rule),
      evaluations: evaluations.filter((e) => e.rule_id === rule).map(({ rule_id: _, ...e }) => e),
    });
    const indicators = await db.query<{
      indicator_id: string;
      units: number;
      failed_units: number;
      score: string;
    }>(
      `select indicator_id, units, failed_units, score::varchar as score from indicator_scores
       where run_id = $run order by dept_code, indicator_id`,
      { run: summary.runId },
    );
    const indicator = (id: string) => indicators.filter((i) => i.indicator_id === id);
    return { summary, batch: (file: string) => batchIds.get(file)!, of, indicator };
  } finally {
    db.close();
  }
}
