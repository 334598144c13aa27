// Databases made by older schema versions are upgraded in place when opened, step by step: version 1 stored
// a finding id on every evaluation (passes now carry none); version 2 had no previous_run_id on runs (the
// previous period's run a change is measured against); version 3 had no evaluations.subjects (a row stands
// for one subject, or for the passes of a group); version 4 had no reviews.grounds (what a decision rests
// on, and runs.review_hash); version 5 had no batches.file_hash (a file's own identity, so that loading it
// again under corrected mappings supersedes the earlier load); version 6 had no rejects.row_text (the whole
// rejected record); version 7 had no batches.warnings (columns that look like a misspelt canonical one). The
// recorded version is then the current one.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../store/schema.ts';
import { openDatabase, type Db } from '../../store/db.ts';
import { freshDb, REPO_ROOT } from '../helpers.ts';

let db: Db | undefined;
afterEach(() => db?.close());

const insertPass = (target: Db) =>
  target.run(
    `insert into evaluations (run_id, rule_id, dept_code, subject_id, status, units, failed_units, finding_id)
     values ('M-1', 'supply.update_cycle', 'D01', 'R001/2026-01-05', 'ok', 1, 0, null)`,
  );

const columns = async (target: Db, table: string) =>
  (await target.query<{ column_name: string }>(`select column_name from (describe ${table})`)).map(
    (r) => r.column_name,
  );
const runColumns = (target: Db) => columns(target, 'runs');

/** Turns a fresh database back into what schema version 1 to 7 created. */
async function downgrade(target: Db, version: 1 | 2 | 3 | 4 | 5 | 6 | 7): Promise<void> {
  await target.run('alter table batches drop column warnings');
  if (version < 7) await target.run('alter table rejects drop column row_text');
  if (version < 6) await target.run('alter table batches drop column file_hash');
  if (version < 5) await target.run('alter table reviews drop column grounds');
  if (version < 5) await target.run('alter table runs drop column review_hash');
  if (version < 4) await target.run('alter table evaluations drop column subjects');
  if (version < 3) await target.run('alter table runs drop column previous_run_id');
  if (version === 1) await target.run('alter table evaluations alter column finding_id set not null');
  await target.run('update schema_version set version = $v', { v: version });
}

describe('schema upgrade', () => {
  it('is at version 8', () => {
    expect(SCHEMA_VERSION).toBe(8);
  });

  it('upgrades a version 1 database: passes carry no finding id, runs name their baseline', async () => {
    ({ db } = await freshDb());
    await downgrade(db, 1);
    await expect(insertPass(db)).rejects.toThrow(/NOT NULL constraint failed: evaluations.finding_id/);
    expect(await runColumns(db)).not.toContain('previous_run_id');

    await migrate(db);

    await insertPass(db);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
    expect(
      await db.query('select subject_id, finding_id, subjects from evaluations where finding_id is null'),
    ).toEqual([{ subject_id: 'R001/2026-01-05', finding_id: null, subjects: 1 }]);
    expect((await runColumns(db)).slice(-2)).toEqual(['previous_run_id', 'review_hash']);
  });

  it('leaves a store that opens when the process that upgraded it is killed before closing it', async () => {
    const fresh = await freshDb();
    await downgrade(fresh.db, 4);
    fresh.db.close();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'fixtures', 'upgrade-child.ts'), fresh.file],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect([child.signal, child.stderr.includes('Error')]).toEqual(['SIGKILL', false]);
    db = await openDatabase(fresh.file);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
    expect((await runColumns(db)).slice(-1)).toEqual(['review_hash']);
  });

  it('upgrades a version 2 database to the column order of a new one', async () => {
    ({ db } = await freshDb());
    const fresh = await runColumns(db);
    await downgrade(db, 2);

    await migrate(db);

    expect(await runColumns(db)).toEqual(fresh);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
    await migrate(db);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });

  it('upgrades a version 3 database: its evaluations each stand for one subject', async () => {
    ({ db } = await freshDb());
    const fresh = await columns(db, 'evaluations');
    await downgrade(db, 3);
    await insertPass(db);
    expect(await columns(db, 'evaluations')).not.toContain('subjects');

    await migrate(db);

    expect(await columns(db, 'evaluations')).toEqual(fresh);
    expect(await db.query('select subject_id, subjects from evaluations')).toEqual([
      { subject_id: 'R001/2026-01-05', subjects: 1 },
    ]);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });

  it('upgrades a version 4 database: its review decisions keep no grounds and apply as they did', async () => {
    ({ db } = await freshDb());
    const fresh = await columns(db, 'reviews');
    await downgrade(db, 4);
    await db.run(
      `insert into reviews values (1, 'F-1', 'dismiss', 'why', 'who', timestamp '2026-11-21 10:00:00')`,
    );

    await migrate(db);

    expect(await columns(db, 'reviews')).toEqual(fresh);
    expect(await db.query('select seq::integer as seq, grounds from reviews')).toEqual([
      { seq: 1, grounds: null },
    ]);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });

  it('upgrades a version 5 database: its batches keep no file identity and none supersedes another', async () => {
    ({ db } = await freshDb());
    const fresh = await columns(db, 'batches');
    await downgrade(db, 5);
    await db.run(
      `insert into batches values ('B1', 1, 'h1', 'a.csv', 'a.csv', 'departments', 'utf-8', 1, 1, 0, 'loaded', null,
         timestamp '2026-11-21 10:00:00')`,
    );
    await db.run(
      `insert into raw_departments (dept_code, dept_name, _batch_id, _seq) values ('D01', '甲局', 'B1', 1)`,
    );

    await migrate(db);

    expect(await columns(db, 'batches')).toEqual(fresh);
    expect(await db.query('select batch_id, file_hash, warnings from batches')).toEqual([
      { batch_id: 'B1', file_hash: null, warnings: null },
    ]);
    expect(await db.query('select dept_code from stg_departments')).toEqual([{ dept_code: 'D01' }]);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });

  it('upgrades a version 6 database: its rejects keep no record text', async () => {
    ({ db } = await freshDb());
    const fresh = await columns(db, 'rejects');
    await downgrade(db, 6);
    await db.run(`insert into rejects values ('B1', 'a.csv', 3, 'ts', '2026-13-01', '日期无效')`);

    await migrate(db);

    expect(await columns(db, 'rejects')).toEqual(fresh);
    expect(fresh.slice(-1)).toEqual(['row_text']);
    expect(await db.query('select line::integer as line, row_text from rejects')).toEqual([
      { line: 3, row_text: null },
    ]);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });

  it('upgrades a version 7 database: its batches keep no warnings', async () => {
    ({ db } = await freshDb());
    const fresh = await columns(db, 'batches');
    await downgrade(db, 7);
    await db.run(
      `insert into batches values ('B1', 1, 'h1', 'a.csv', 'a.csv', 'departments', 'utf-8', 1, 1, 0, 'loaded', null,
         timestamp '2026-11-21 10:00:00', 'f1')`,
    );

    await migrate(db);

    expect(await columns(db, 'batches')).toEqual(fresh);
    expect(fresh.slice(-1)).toEqual(['warnings']);
    expect(await db.query('select batch_id, file_hash, warnings from batches')).toEqual([
      { batch_id: 'B1', file_hash: 'f1', warnings: null },
    ]);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 8 }]);
  });
});
