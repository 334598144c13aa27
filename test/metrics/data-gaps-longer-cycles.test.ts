// Collector-health gating where no entry is daily: a month (or week, quarter...) in which entries owed a batch
// and the platform delivered none at all is a data gap, not every department's missed cycle. A month that saw
// some batch is judged as it is.
import { describe, expect, it } from 'vitest';
import { monthPeriod } from '../../metrics/periods.ts';
import { catalog, csv, scoreInbox } from './score-inbox.ts';

const BATCH_HEADER = 'batch_id,resource_code,provider_dept,delivered_at,rows,status';
const monthly = catalog(
  '2026-01-01,R001,人口基本信息,D01,部门,无条件共享,每月,姓名',
  '2026-01-01,R002,企业登记信息,D02,部门,无条件共享,每月,企业名称',
);

describe('data gaps of longer cycles', () => {
  it('gates the months in which no batch at all came, and judges the months that saw one', async () => {
    const { of } = await scoreInbox(
      {
        'catalog_snapshot_2026.csv': monthly,
        'supply_batches_2026.csv': csv(
          BATCH_HEADER,
          'B1,R001,D01,2026-01-10 10:00:00,10,ok',
          'B2,R001,D01,2026-02-10 10:00:00,10,ok',
          'B3,R002,D02,2026-01-12 10:00:00,10,ok',
        ),
      },
      { asOf: '2026-04-30' },
    );
    const rows = of('supply.update_cycle').evaluations.map((e) => [e.subject_id, e.status]);
    expect(rows).toEqual([
      ['R001/*', 'ok'],
      ['R001/2026-03', 'data_gap'],
      ['R001/2026-04', 'data_gap'],
      ['R002/*', 'ok'],
      // February saw R001's batch: R002's miss is its own
      ['R002/2026-02', 'open'],
      ['R002/2026-03', 'data_gap'],
      ['R002/2026-04', 'data_gap'],
    ]);
    const gated = of('supply.update_cycle').findings.find((f) => f.subject_id === 'R001/2026-03')!;
    const gap = gated.evidence.records.data_gap as { days: string[]; day_count: number };
    // the 22 working days of March 2026 (the evidence lists the first 20)
    expect([gap.day_count, gap.days.length, gap.days[0], gap.days[19]]).toEqual([
      22,
      20,
      '2026-03-02',
      '2026-03-27',
    ]);
  });

  it('gates every window of a period scored without any supply_batches file', async () => {
    const { of, indicator } = await scoreInbox(
      { 'catalog_snapshot_2026.csv': monthly },
      { period: monthPeriod(2026, 3), asOf: '2026-03-31' },
    );
    expect(of('supply.update_cycle').evaluations.map((e) => [e.subject_id, e.status])).toEqual([
      ['R001/2026-03', 'data_gap'],
      ['R002/2026-03', 'data_gap'],
    ]);
    // nothing counted: the indicator is not applicable (no score), not 0
    expect(indicator('supply_cycle_rate').map((i) => [i.units, i.failed_units, i.score])).toEqual([
      [0, 0, null],
      [0, 0, null],
    ]);
  });
});
