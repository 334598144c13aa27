// A database made by schema version 1 (every evaluation with a finding id) is upgraded in place when opened:
// passes may then be stored without an id, and the recorded version is the current one.
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../store/schema.ts';
import type { Db } from '../../store/db.ts';
import { freshDb } from '../helpers.ts';

let db: Db | undefined;
afterEach(() => db?.close());

const insertPass = (target: Db) =>
  target.run(
    `insert into evaluations values ('M-1', 'supply.update_cycle', 'D01', 'R001/2026-01-05', 'ok', 1, 0, null)`,
  );

describe('schema upgrade', () => {
  it('upgrades a version 1 database so that passes carry no finding id', async () => {
    ({ db } = await freshDb());
    await db.run('alter table evaluations alter column finding_id set not null');
    await db.run('update schema_version set version = 1');
    await expect(insertPass(db)).rejects.toThrow(/NOT NULL constraint failed: evaluations.finding_id/);

    await migrate(db);

    await insertPass(db);
    expect(await db.query('select version from schema_version')).toEqual([{ version: 2 }]);
    expect(SCHEMA_VERSION).toBe(2);
    expect(await db.query('select subject_id, finding_id from evaluations where finding_id is null')).toEqual(
      [{ subject_id: 'R001/2026-01-05', finding_id: null }],
    );
  });
});
