// The manifest names everything a run's result depends on, the order the batches were loaded in included
// (for records without progress columns, the latest loaded version is the current state): the same files in
// another order are another manifest, the same order again is the same manifest. A record's progress (an
// answer) is not undone by an older export loaded later: here the findings are the same in both orders.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../collectors/ingest.ts';
import { FIXED_NOW, freshDb, repoConfig, tempDir } from '../helpers.ts';
import { runTestRules } from './run-test-rules.ts';

const config = repoConfig();
const HEADER =
  'request_id,requester_dept,provider_dept,resource_code,purpose,submitted_at,responded_at,decision';
const FILES = {
  // the March export still shows SQ1 pending; the April export has it answered on time
  'share_requests_2026-03.csv': `${HEADER}\nSQ1,D02,D01,R001,审批,2026-03-02 09:00:00,,pending\n`,
  'share_requests_2026-04.csv': `${HEADER}\nSQ1,D02,D01,R001,审批,2026-03-02 09:00:00,2026-03-05 10:00:00,approved\n`,
};

async function scoreInOrder(order: Array<keyof typeof FILES>) {
  const inbox = tempDir('sw-inbox-');
  for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(inbox, name), text);
  const { db } = await freshDb();
  try {
    for (const name of order) {
      const deps = { db, config, clock: () => FIXED_NOW, tmpDir: tempDir() };
      const [result] = await ingestPaths(deps, [path.join(inbox, name)]);
      expect([result!.status, result!.rows_loaded]).toEqual(['loaded', 1]);
    }
    const summary = await runTestRules(db, 'shaanxi-2017');
    const unanswered = await db.query<{ subject_id: string }>(
      `select subject_id from findings where run_id = $run and rule_id = 'supply.request_unanswered'`,
      { run: summary.runId },
    );
    return { runId: summary.runId, unanswered: unanswered.map((f) => f.subject_id) };
  } finally {
    db.close();
  }
}

describe('manifest', () => {
  it('depends on the load order, while an older export loaded later does not undo an answer', async () => {
    const inOrder = await scoreInOrder(['share_requests_2026-03.csv', 'share_requests_2026-04.csv']);
    const reversed = await scoreInOrder(['share_requests_2026-04.csv', 'share_requests_2026-03.csv']);
    const again = await scoreInOrder(['share_requests_2026-03.csv', 'share_requests_2026-04.csv']);
    expect(inOrder.unanswered).toEqual([]);
    expect(reversed.unanswered).toEqual([]);
    expect(reversed.runId).not.toBe(inOrder.runId);
    expect(again.runId).toBe(inOrder.runId);
  });
});
