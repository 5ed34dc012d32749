import { IDENTITY_HEADER, LOCAL_INTERNAL_SECRET, signIdentityToken } from '@pipeline/server-kit';
import { adminActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';
import { parse } from 'csv-parse/sync';

import { publishAll, startAnalytics, syntheticHistory } from '../../test-support';

describe('reports, series, forecasts and coaching', () => {
  const history = syntheticHistory(7, 80);
  let subject: TestService;
  const admin = adminActor();
  const stageData = history.events.filter(({ event }) => event.type === 'sales.opportunity.stage_changed.v1').map(({ event }) => event.data as any);
  const latest = new Map<string, any>();
  for (const data of stageData) if ((latest.get(data.opportunityId)?.version ?? 0) < data.version) latest.set(data.opportunityId, data);
  const finals = [...latest.values()];

  beforeAll(async () => {
    subject = await startAnalytics('reports');
    await publishAll(subject.topicPrefix, history.events);
    await waitFor(
      async () =>
        expectNoErrors(await subject.as(admin)<any>(`{ stageChangeEvents(first: 1) { totalCount } }`)).stageChangeEvents.totalCount === history.stageEventCount,
      {
        timeoutMs: 60_000,
        what: 'ingestion',
      },
    );
    const lostDeals = history.events.filter(({ event }) => event.type === 'sales.deal.closed.v1').length;
    await waitFor(async () => (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM deal_fact'))[0].count === lostDeals, {
      what: 'deal facts',
    });
    // Team reports group by the reps' teams, which arrive on their own topic.
    await waitFor(
      async () =>
        (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM rep_fact WHERE team_id IS NOT NULL'))[0].count ===
        history.reps.filter((rep) => rep.teamId).length,
      { what: 'rep facts' },
    );
  });
  afterAll(async () => subject?.stop());

  it('reports per rep: open pipeline now and won/lost in the period, matching the events', async () => {
    const rows = expectNoErrors(await subject.as(admin)<any>(`{ report(dimension: REP) { key openCount wonCount lostCount winRate } }`)).report;
    for (const rep of history.reps) {
      const mine = finals.filter((data) => data.opportunity.ownerId === rep.id);
      const won = mine.filter((data) => data.toStageCategory === 'WON').length;
      const lost = mine.filter((data) => data.toStageCategory === 'LOST').length;
      expect(rows.find((row: any) => row.key === rep.id)).toEqual({
        key: rep.id,
        openCount: mine.filter((data) => data.toStageCategory === 'OPEN').length,
        wonCount: won,
        lostCount: lost,
        winRate: won + lost === 0 ? null : won / (won + lost),
      });
    }
  });

  it('exports the same report as CSV over HTTP, for callers with the gateway identity only', async () => {
    // Arrange
    const url = subject.service.url.replace('/graphql', '/reports/team.csv');

    // Act
    const anonymous = await fetch(url);
    const response = await fetch(url, { headers: { [IDENTITY_HEADER]: await signIdentityToken(admin, LOCAL_INTERNAL_SECRET) } });

    // Assert
    expect(anonymous.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const rows: Array<Record<string, string>> = parse(await response.text(), { columns: true });
    const north = finals.filter((data) => history.reps.find((rep) => rep.id === data.opportunity.ownerId)?.teamId === 'north');
    expect(rows.find((row) => row.team === 'north')).toMatchObject({
      open_count: String(north.filter((data) => data.toStageCategory === 'OPEN').length),
      won_count: String(north.filter((data) => data.toStageCategory === 'WON').length),
    });
  });

  it('splits the same KPIs by month; the months add up to the whole', async () => {
    const filter = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    const series = expectNoErrors(
      await subject.as(admin)<any>(
        `query($filter: MetricsFilter) { pipelineMetricsSeries(filter: $filter, bucket: MONTH) { periodStart metrics { wonCount lostCount } } }`,
        { filter },
      ),
    ).pipelineMetricsSeries;
    const whole = expectNoErrors(
      await subject.as(admin)<any>(`query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { wonCount lostCount } }`, { filter }),
    ).pipelineMetrics;
    expect(series).toHaveLength(12);
    expect(series.reduce((sum: number, period: any) => sum + period.metrics.wonCount, 0)).toBe(whole.wonCount);
    expect(series.reduce((sum: number, period: any) => sum + period.metrics.lostCount, 0)).toBe(whole.lostCount);
  });

  it('measures stage-to-win rates from closed history and gives a P10/P50/P90 range', async () => {
    const forecast = expectNoErrors(
      await subject.as(admin)<any>(
        `{ forecast(simulations: 500) { simulations stageWinRates { stage winProbability sample } ranges { month currency p10 p50 p90 } } }`,
      ),
    ).forecast;
    const visited = (stage: string) =>
      finals.filter((data) => data.toStageCategory !== 'OPEN' && stageData.some((item) => item.opportunityId === data.opportunityId && item.toStage === stage));
    const qualification = forecast.stageWinRates.find((row: any) => row.stage === 'QUALIFICATION');
    expect(qualification.sample).toBe(visited('QUALIFICATION').length);
    expect(qualification.winProbability).toBeCloseTo(
      visited('QUALIFICATION').filter((data) => data.toStageCategory === 'WON').length / qualification.sample,
      10,
    );
    expect(forecast.ranges.length).toBeGreaterThan(0);
    for (const range of forecast.ranges) expect(Number(range.p10)).toBeLessThanOrEqual(Number(range.p90));
  });

  it('counts lost reasons by competitor, and coaches reps against their team', async () => {
    const lost = expectNoErrors(await subject.as(admin)<any>(`{ lostReasons(by: COMPETITOR) { reason key count } }`)).lostReasons;
    const globex = history.events.filter(({ event }) => event.type === 'sales.deal.closed.v1' && (event.data as any).competitor === 'Globex').length;
    expect(lost.filter((row: any) => row.key === 'Globex').reduce((sum: number, row: any) => sum + row.count, 0)).toBe(globex);
    const coaching = expectNoErrors(
      await subject.as(managerActor('north'))<any>(`{ coachingInsights { ownerId fromStage toStage difference } }`),
    ).coachingInsights;
    const north = history.reps.filter((rep) => rep.teamId === 'north').map((rep) => rep.id);
    expect(coaching.length).toBeGreaterThan(0);
    expect(coaching.every((row: any) => north.includes(row.ownerId))).toBe(true);
    const sorted = [...coaching].sort((a: any, b: any) => Math.abs(b.difference) - Math.abs(a.difference));
    expect(coaching).toEqual(sorted);
    expect(errorCodes(await subject.as(repActor(history.reps[0].id, 'north'))(`{ coachingInsights { ownerId } }`))).toEqual(['FORBIDDEN']);
  });

  it('writes the weekly summary and forecast snapshots for leadership only', async () => {
    const summary = expectNoErrors(await subject.as(admin)<any>(`mutation { generateWeeklySummary { weekStart openCount } }`)).generateWeeklySummary;
    const snapshots = expectNoErrors(await subject.as(admin)<any>(`mutation { takeForecastSnapshot { month currency p50 } }`)).takeForecastSnapshot;
    const listed = expectNoErrors(await subject.as(admin)<any>(`{ weeklySummaries { weekStart openCount } }`)).weeklySummaries;
    expect(summary).toEqual({ weekStart: '2026-12-28', openCount: finals.filter((data) => data.toStageCategory === 'OPEN').length });
    expect(listed[0]).toEqual(summary);
    expect(snapshots.length).toBeGreaterThan(0);
    expect(errorCodes(await subject.as(repActor(history.reps[0].id))(`{ weeklySummaries { weekStart } }`))).toEqual(['FORBIDDEN']);
  });
});
