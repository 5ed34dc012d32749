import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, type TestService, waitFor } from '@pipeline/testing';

import { analyticsDeps } from '../../server';
import { NOW, publishAll, startAnalytics } from '../../test-support';
import { opportunityEvents, repRegistered } from '../../test-support-events';
import { snapshotForecasts } from './snapshot-forecasts';

describe('the weekly forecast snapshot job', () => {
  const [repA, repB, repC] = [randomUUID(), randomUUID(), randomUUID()];
  let subject: TestService;

  beforeAll(async () => {
    subject = await startAnalytics('forecast_snapshots');
    // Open deals for A (north, EUR, February) and C (south, USD, March); B (north) has none.
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repB, 'north', 1),
      repRegistered(repC, 'south', 2),
      ...opportunityEvents({ ownerId: repA, amount: '1000.00', currency: 'EUR', createdAt: '2026-12-01T00:00:00Z', expectedCloseDate: '2027-02-15' }),
      ...opportunityEvents({ ownerId: repC, amount: '2000.00', currency: 'USD', createdAt: '2026-12-01T00:00:00Z', expectedCloseDate: '2027-03-15' }),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(
      async () => {
        const [{ reps, open }] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM rep_fact)::int AS reps, (SELECT count(*) FROM opportunity_fact)::int AS open`,
        );
        return reps === 3 && open === 2;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the reps and open deals' },
    );
  });
  afterAll(async () => subject?.stop());

  it('takes the company, each team and each rep once per week, however many replicas run it at once', async () => {
    // Arrange: three replicas' jobs firing together
    const deps = analyticsDeps(subject.service.dataSource, { config: { internalSecret: '', production: false }, now: () => NOW });

    // Act
    const results = await Promise.all([snapshotForecasts(deps), snapshotForecasts(deps), snapshotForecasts(deps)]);
    const later = await snapshotForecasts(deps);

    // Assert: one run of 1 company + 2 teams + 3 reps; the week is not taken again
    expect(results.filter((result) => result !== null)).toEqual([{ weekStart: '2026-12-28', scopes: 6 }]);
    expect(later).toBeNull();
    const rows: Array<{ level: string; scope_key: string; month: string; currency: string }> = await subject.service.dataSource.query(
      `SELECT level, scope_key, to_char(month, 'YYYY-MM-DD') AS month, trim(currency) AS currency FROM forecast_scope_snapshot ORDER BY level, scope_key, month`,
    );
    expect(rows).toEqual(
      [
        { level: 'COMPANY', scope_key: '', month: '2027-02-01', currency: 'EUR' },
        { level: 'COMPANY', scope_key: '', month: '2027-03-01', currency: 'USD' },
        { level: 'REP', scope_key: repA, month: '2027-02-01', currency: 'EUR' },
        { level: 'REP', scope_key: repC, month: '2027-03-01', currency: 'USD' },
        { level: 'TEAM', scope_key: 'north', month: '2027-02-01', currency: 'EUR' },
        { level: 'TEAM', scope_key: 'south', month: '2027-03-01', currency: 'USD' },
      ].sort((a, b) => a.level.localeCompare(b.level) || a.scope_key.localeCompare(b.scope_key) || a.month.localeCompare(b.month)),
    );
  });

  it('keeps the promise of takeForecastSnapshot: the company snapshot appears among forecastSnapshots', async () => {
    // Act
    const snapshots = expectNoErrors(await subject.as(adminActor())<any>(`{ forecastSnapshots { takenAt month currency weighted p50 } }`)).forecastSnapshots;

    // Assert: one row per month and currency, taken at the job's time
    expect(snapshots.map((row: any) => [new Date(row.takenAt).toISOString(), row.month, row.currency])).toEqual([
      [NOW.toISOString(), '2027-02-01', 'EUR'],
      [NOW.toISOString(), '2027-03-01', 'USD'],
    ]);
    expect(snapshots[0].weighted).toBe('100.0000');
  });
});
