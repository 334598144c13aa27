// A decision on a catalog finding rests on what the entry says, not on which snapshot said it: the same entry
// in a later snapshot keeps the decision; a changed entry does not.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { findingGrounds, groundsFit, recordReview } from '../../metrics/reviews.ts';
import { loadRuleDefinitions } from '../../metrics/rule-registry.ts';
import type { Db } from '../../store/db.ts';
import { FIXED_NOW, INBOX_SMALL, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { ruleFindings, runTestRules } from './run-test-rules.ts';

const config = repoConfig();
const snapshot = readFileSync(path.join(INBOX_SMALL, 'catalog_snapshot_20260101.csv'), 'utf8');
let db: Db;

async function ingestSnapshot(name: string, text: string): Promise<void> {
  const inbox = tempDir('sw-inbox-');
  writeFileSync(path.join(inbox, name), text);
  const [result] = await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [inbox]);
  expect(result!.status).toBe('loaded');
}

const mounted = async () => (await ruleFindings(db, 'shaanxi-2017', 'catalog.mounted'))[0]!;
const sample = async () =>
  (await ruleFindings(db, 'shaanxi-2017', 'quality.conformance')).find((f) =>
    f.subject_id.startsWith('R002/'),
  )!;

beforeAll(async () => {
  ({ db } = await freshDb());
  await ingestPaths({ db, config, clock: () => FIXED_NOW, tmpDir: tempDir() }, [INBOX_SMALL]);
  await runTestRules(db, 'shaanxi-2017');
});
afterAll(() => db.close());

describe('review decisions on catalog findings', () => {
  it('keep applying to an entry unchanged in a later snapshot (and to a sample judged against it), and stop when the entry changes', async () => {
    const r003 = await mounted();
    expect([r003.subject_id, r003.status]).toEqual(['R003', 'open']);
    await recordReview(db, {
      findingId: r003.finding_id,
      decision: 'dismiss',
      reason: '数据已线下交换，平台挂接在排期中',
      actor: '李评估',
      at: FIXED_NOW,
    });
    // a data sample's finding names the catalog snapshot it was judged against: a version marker too
    const r002 = await sample();
    await recordReview(db, {
      findingId: r002.finding_id,
      decision: 'dismiss',
      reason: '抽样数据为测试数据',
      actor: '李评估',
      at: FIXED_NOW,
    });
    const july = snapshot.replace(/^2026-01-01,/gm, '2026-07-01,');
    await ingestSnapshot('catalog_snapshot_20260701.csv', july);
    await runTestRules(db, 'shaanxi-2017');
    expect([(await mounted()).status, (await mounted()).evidence.records.snapshot_date]).toEqual([
      'dismissed',
      '2026-07-01',
    ]);
    expect([(await sample()).status, (await sample()).evidence.records.catalog_snapshot_date]).toEqual([
      'dismissed',
      '2026-07-01',
    ]);

    await ingestSnapshot(
      'catalog_snapshot_20260801.csv',
      july
        .replace(/^2026-07-01,R003,[^,]*,/m, '2026-08-01,R003,社保参保人员信息,')
        .replace(/^2026-07-01,/gm, '2026-08-01,'),
    );
    await runTestRules(db, 'shaanxi-2017');
    expect((await mounted()).status).toBe('open');
  });

  it('keep applying to a metadata_complete finding whose evidence now shows the values as exported', async () => {
    const definitions = await loadRuleDefinitions();
    const before = {
      resource_code: 'R003',
      resource_name: '社保参保信息',
      provider_dept: 'D03',
      snapshot_date: '2026-01-01',
      missing: ['contact'],
      batch_id: 'b1',
    };
    const finding = (records: Record<string, unknown>) => ({
      rule_id: 'catalog.metadata_complete',
      dept_code: 'D03',
      evidence: JSON.stringify({ records }),
    });
    // what an earlier version stored: the digest of every evidence key it had
    const stored = findingGrounds(new Map(), finding(before));
    const shown = { ...before, values_as_exported: { contact: '无' } };
    expect(groundsFit(definitions, finding(shown), stored)).toBe(true);
    expect(groundsFit(definitions, finding({ ...shown, missing: ['format', 'contact'] }), stored)).toBe(
      false,
    );
  });
});
