import { randomUUID } from 'node:crypto';

import { adminActor, analystActor, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startAnalytics } from '../../test-support';
import { opportunityEvents, repRegistered } from '../../test-support-events';

const ACCURACY = `query($level: ForecastLevel!, $key: String) {
  forecastAccuracy(level: $level, key: $key) {
    level key currency periods meanAbsoluteError weightedAbsolutePercentageError bias withinRangeRate
    outcomes { month takenAt p10 p50 p90 actual withinRange }
  }
}`;

// A synthetic forecast history whose answer is worked out by hand: the weekly snapshots of past months (as the job would
// have stored them) and the deals actually won, published as events. NOW is 2027-01-01, so September to December closed.
describe('forecastAccuracy over a synthetic history', () => {
  const [repA, repB, repC] = [randomUUID(), randomUUID(), randomUUID()];
  let subject: TestService;
  const admin = adminActor();

  const snapshot = (takenAt: string, level: string, key: string, month: string, currency: string, p10: number, p50: number, p90: number) => ({
    takenAt,
    level,
    key,
    month,
    currency,
    p10,
    p50,
    p90,
  });
  const history = [
    // rep A, EUR: the judged forecast is the last one before each month; won 100, 200, 0, 300 against p50 100 each
    snapshot('2026-08-17T06:00:00Z', 'REP', repA, '2026-09-01', 'EUR', 0, 900, 1000),
    snapshot('2026-08-24T06:00:00Z', 'REP', repA, '2026-09-01', 'EUR', 50, 100, 250),
    snapshot('2026-09-14T06:00:00Z', 'REP', repA, '2026-09-01', 'EUR', 0, 5000, 9000),
    snapshot('2026-09-28T06:00:00Z', 'REP', repA, '2026-10-01', 'EUR', 50, 100, 250),
    snapshot('2026-10-26T06:00:00Z', 'REP', repA, '2026-11-01', 'EUR', 50, 100, 250),
    snapshot('2026-11-30T06:00:00Z', 'REP', repA, '2026-12-01', 'EUR', 50, 100, 250),
    // January has not closed yet: not judged
    snapshot('2026-12-28T06:00:00Z', 'REP', repA, '2027-01-01', 'EUR', 0, 100, 200),
    // rep C (south), USD: exactly right
    snapshot('2026-10-26T06:00:00Z', 'REP', repC, '2026-11-01', 'USD', 900, 1000, 1100),
    // team north (A and B): October, 250 won against p50 200
    snapshot('2026-09-28T06:00:00Z', 'TEAM', 'north', '2026-10-01', 'EUR', 100, 200, 300),
    // the company: December, 300 won against p50 500
    snapshot('2026-11-30T06:00:00Z', 'COMPANY', '', '2026-12-01', 'EUR', 400, 500, 600),
  ];
  const won = [
    { ownerId: repA, amount: '100.00', currency: 'EUR', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-09-10T10:00:00Z' },
    { ownerId: repA, amount: '150.00', currency: 'EUR', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-10-05T10:00:00Z' },
    { ownerId: repA, amount: '50.00', currency: 'EUR', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-10-30T10:00:00Z' },
    { ownerId: repA, amount: '300.00', currency: 'EUR', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-12-31T23:00:00Z' },
    { ownerId: repB, amount: '50.00', currency: 'EUR', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-10-15T10:00:00Z' },
    { ownerId: repC, amount: '1000.00', currency: 'USD', createdAt: '2026-06-01T00:00:00Z', wonAt: '2026-11-15T10:00:00Z' },
  ];

  beforeAll(async () => {
    subject = await startAnalytics('forecast_accuracy');
    const events = [repRegistered(repA, 'north', 0), repRegistered(repB, 'north', 1), repRegistered(repC, 'south', 2), ...won.flatMap(opportunityEvents)];
    await publishAll(subject.topicPrefix, events);
    const dataSource = subject.service.dataSource;
    await waitFor(
      async () => {
        const [{ reps, won: closed }] = await dataSource.query(
          `SELECT (SELECT count(*) FROM rep_fact)::int AS reps, (SELECT count(*) FROM opportunity_fact WHERE status = 'WON')::int AS won`,
        );
        return reps === 3 && closed === won.length;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the reps and won deals' },
    );
    const weeks = [...new Set(history.map((row) => row.takenAt.slice(0, 10)))];
    await dataSource.query(`INSERT INTO forecast_snapshot_run (week_start, taken_at, scopes) SELECT w, w::timestamptz, 1 FROM unnest($1::date[]) AS w`, [
      weeks,
    ]);
    for (const row of history) {
      await dataSource.query(
        `INSERT INTO forecast_scope_snapshot (week_start, level, scope_key, month, currency, taken_at, weighted, p10, p50, p90) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)`,
        [row.takenAt.slice(0, 10), row.level, row.key, row.month, row.currency, row.takenAt, row.p10, row.p50, row.p90],
      );
    }
  });
  afterAll(async () => subject?.stop());

  it('judges each closed month by the forecast as it stood when the month began', async () => {
    // Act
    const rows = expectNoErrors(await subject.as(admin)<any>(ACCURACY, { level: 'REP' })).forecastAccuracy;

    // Assert: A erred by 0, 100, 100, 200 on 600 won; 100 and 200 fell inside 50-250, 0 and 300 did not
    const a = rows.find((row: any) => row.key === repA);
    expect(a).toMatchObject({ level: 'REP', currency: 'EUR', periods: 4, meanAbsoluteError: '100', withinRangeRate: 0.5 });
    expect(a.weightedAbsolutePercentageError).toBeCloseTo(400 / 600, 10);
    expect(a.bias).toBeCloseTo(-200 / 600, 10);
    expect(a.outcomes.map((outcome: any) => [outcome.month, outcome.p50, outcome.actual, outcome.withinRange])).toEqual([
      ['2026-09-01', '100.0000', '100.0000', true],
      ['2026-10-01', '100.0000', '200.0000', true],
      ['2026-11-01', '100.0000', '0', false],
      ['2026-12-01', '100.0000', '300.0000', false],
    ]);
    expect(new Date(a.outcomes[0].takenAt).toISOString()).toBe('2026-08-24T06:00:00.000Z');
    expect(rows.find((row: any) => row.key === repC)).toMatchObject({ currency: 'USD', periods: 1, meanAbsoluteError: '0', bias: 0, withinRangeRate: 1 });
    expect(rows).toHaveLength(2);
  });

  it('measures teams on their reps’ wins and the company on all of them', async () => {
    // Act
    const team = expectNoErrors(await subject.as(admin)<any>(ACCURACY, { level: 'TEAM' })).forecastAccuracy;
    const company = expectNoErrors(await subject.as(analystActor())<any>(ACCURACY, { level: 'COMPANY' })).forecastAccuracy;

    // Assert
    expect(team).toEqual([expect.objectContaining({ key: 'north', periods: 1, meanAbsoluteError: '50', bias: -0.2, withinRangeRate: 1 })]);
    expect(company).toEqual([expect.objectContaining({ key: null, currency: 'EUR', periods: 1, meanAbsoluteError: '200', withinRangeRate: 0 })]);
    expect(company[0].bias).toBeCloseTo(200 / 300, 10);
  });

  it('shows reps their own accuracy, managers their team’s, and refuses what lies outside', async () => {
    // Act
    const asRep = expectNoErrors(await subject.as(repActor(repA, 'north'))<any>(ACCURACY, { level: 'REP' })).forecastAccuracy;
    const asRepForC = expectNoErrors(await subject.as(repActor(repA, 'north'))<any>(ACCURACY, { level: 'REP', key: repC })).forecastAccuracy;
    const asManager = expectNoErrors(await subject.as(managerActor('north'))<any>(ACCURACY, { level: 'REP' })).forecastAccuracy;
    const asSouthManager = expectNoErrors(await subject.as(managerActor('south'))<any>(ACCURACY, { level: 'TEAM' })).forecastAccuracy;
    const repAsksTeam = await subject.as(repActor(repA, 'north'))<any>(ACCURACY, { level: 'TEAM' });
    const managerAsksCompany = await subject.as(managerActor('north'))<any>(ACCURACY, { level: 'COMPANY' });
    const badLevel = await subject.as(admin)<any>(`{ forecastAccuracy(level: REP, key: "${'x'.repeat(101)}") { key } }`);

    // Assert
    expect(asRep.map((row: any) => row.key)).toEqual([repA]);
    expect(asRepForC).toEqual([]);
    expect(asManager.map((row: any) => row.key)).toEqual([repA]);
    expect(asSouthManager).toEqual([]);
    expect(repAsksTeam.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(managerAsksCompany.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(badLevel.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
  });
});
