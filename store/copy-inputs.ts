// Copies the stored records of a set of batches (and the review log up to a sequence number) into another,
// freshly migrated database file, so a run can be recomputed from nothing but its manifest's inputs.
import type { Db } from './db.ts';
import { RECORD_KINDS } from './record-kinds.ts';

export async function copyInputs(db: Db, target: string, hashes: string[], reviewSeq: number): Promise<void> {
  // ATTACH takes no bound parameters: the path goes in as an escaped string literal.
  await db.run(`attach '${target.replace(/'/g, "''")}' as sw_target`);
  try {
    await db.run(
      `create or replace temp table _sw_copy_batches as
       select batch_id from batches where list_contains($hashes, content_hash) and status = 'loaded'`,
      { hashes },
    );
    await db.run(
      `insert into sw_target.main.batches select * from batches where batch_id in (select batch_id from _sw_copy_batches)`,
    );
    for (const table of [...RECORD_KINDS.map((k) => k.table), 'raw_data_sample']) {
      await db.run(
        `insert into sw_target.main.${table} select * from ${table} where _batch_id in (select batch_id from _sw_copy_batches)`,
      );
    }
    await db.run(`insert into sw_target.main.reviews select * from reviews where seq <= $seq`, {
      seq: reviewSeq,
    });
  } finally {
    await db.run('detach sw_target');
  }
}
