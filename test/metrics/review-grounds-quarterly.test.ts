// A decision on a department's quarter (catalog.quarterly_review) rests on what the department did in it, not
// on context another department's export moves (the platform-wide catalog_changes_from). And a decision
// stored before a rule named its reviewGrounds (a digest of every evidence key) still applies while nothing
// changed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import type { RuleId } from '../../config/rule-ids.ts';
import { findingGrounds, groundsFit, recordReview } from '../../metrics/reviews.ts';
import type { AnyRuleDefinition } from '../../metrics/rule-definition.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { ruleFindings, runTestRules } from './run-test-rules.ts';

const config = repoConfig();
let db: Db;

const quarter = async (subject: string) =>
  (await ruleFindings(db, 'shaanxi-2017', 'catalog.quarterly_review')).find((f) => f.subject_id === subject)!;

beforeAll(async () => {
  ({ db } = await freshDb());
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [INBOX_SMALL]);
  await runTestRules(db, 'shaanxi-2017');
});
afterAll(() => db.close());

describe('review decisions on catalog.quarterly_review', () => {
  it("keep applying when another department's catalog_changes move the platform's first change", async () => {
    const q2 = await quarter('D01/2026-Q2');
    expect([q2.status, q2.evidence.records.catalog_changes_from]).toEqual(['open', '2026-03-10']);
    await recordReview(db, {
      findingId: q2.finding_id,
      decision: 'exempt',
      reason: '机构改革期间暂停目录维护，经批准',
      actor: '李评估',
      at: FIXED_NOW,
    });
    const inbox = tempDir('sw-inbox-');
    writeFileSync(
      path.join(inbox, 'catalog_changes_2026-02.csv'),
      'change_id,resource_code,dept_code,action,changed_at,note\nCH0,R003,D03,modify,2026-02-01 10:00:00,\n',
    );
    const [result] = await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [inbox]);
    expect(result!.status).toBe('loaded');
    await runTestRules(db, 'shaanxi-2017');
    const after = await quarter('D01/2026-Q2');
    expect([after.status, after.evidence.records.catalog_changes_from]).toEqual(['exempted', '2026-02-01']);
  });
});

describe('grounds stored before a rule named its reviewGrounds', () => {
  const finding = (x: number) => ({
    rule_id: 'catalog.quarterly_review',
    dept_code: 'D01',
    evidence: JSON.stringify({ records: { quarter: '2026-Q2', full_review_change_ids: [], x } }),
  });
  const named = new Map([
    ['catalog.quarterly_review' as RuleId, { reviewGrounds: ['quarter', 'full_review_change_ids'] }],
  ]) as unknown as Map<RuleId, AnyRuleDefinition>;
  const everyKey = findingGrounds(new Map(), finding(1));

  it('fit while every key is unchanged, and not once an unnamed key changed (the old digest cannot tell)', () => {
    expect(everyKey).not.toBe(findingGrounds(named, finding(1)));
    expect(groundsFit(named, finding(1), everyKey)).toBe(true);
    expect(groundsFit(named, finding(2), everyKey)).toBe(false);
    expect(groundsFit(named, finding(2), findingGrounds(named, finding(1)))).toBe(true);
    // a rule without reviewGrounds compares every key
    expect(groundsFit(new Map(), finding(2), everyKey)).toBe(false);
  });
});
