import { QueryCounter } from '@pipeline/persistence';
import { adminActor, expectNoErrors, type TestService } from '@pipeline/testing';

import { caughtUp, expectedMetrics, METRICS_FIELDS, NOW, publishAll, rounded, startAnalytics, syntheticHistory } from '../../test-support';

const SERIES = `query($filter: MetricsFilter, $bucket: TimeBucket!) { pipelineMetricsSeries(filter: $filter, bucket: $bucket) { periodStart periodEnd metrics { ${METRICS_FIELDS} } } }`;
const METRICS = `query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { ${METRICS_FIELDS} } }`;
const KPI_TABLES = /\b(stage_interval|opportunity_fact|lead_fact)\b/;

describe('pipelineMetricsSeries', () => {
  const history = syntheticHistory(4_242, 150);
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startAnalytics('series', { sqlLogger: sql });
    await publishAll(subject.topicPrefix, history.events);
    await caughtUp(subject.as(admin), history);
  });
  afterAll(async () => subject?.stop());

  const cases: Array<[string, string, { from: string; to: string; ownerOf?: number } | null, number]> = [
    ['the months of 2026', 'MONTH', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, 12],
    ['weeks up to one still running (two buckets end after now)', 'WEEK', { from: '2026-11-02T00:00:00Z', to: '2027-01-10T00:00:00Z' }, 10],
    ['the default period, quarters', 'QUARTER', null, 11],
    ['one owner by week', 'WEEK', { from: '2026-05-04T00:00:00Z', to: '2026-08-03T00:00:00Z', ownerOf: 0 }, 13],
  ];

  it.each(cases)('gives every bucket the KPIs of that period, its pipeline as of its end (%s)', async (_label, bucket, raw, count) => {
    // Arrange
    const ownerIds = raw?.ownerOf === undefined ? undefined : [history.reps[raw.ownerOf].id];
    const scoped = raw === null ? null : { from: raw.from, to: raw.to, ownerIds };

    // Act
    const series = expectNoErrors(await subject.as(admin)<any>(SERIES, { filter: scoped, bucket })).pipelineMetricsSeries;

    // Assert: each bucket equals the same period asked on its own, and the KPIs computed independently from the events
    expect(series).toHaveLength(count);
    for (const [index, period] of series.entries()) {
      if (index > 0) expect(period.periodStart).toBe(series[index - 1].periodEnd);
      const asOf = new Date(Math.min(Date.parse(period.periodEnd), NOW.getTime())).toISOString();
      const single = expectNoErrors(
        await subject.as(admin)<any>(METRICS, { filter: { ownerIds, from: period.periodStart, to: period.periodEnd } }),
      ).pipelineMetrics;
      const { pipelineSize, bottlenecks, ...periodKpis } = period.metrics;
      const { pipelineSize: _current, bottlenecks: currentBottlenecks, ...singleKpis } = single;
      expect(periodKpis).toEqual(singleKpis);
      expect(bottlenecks.map(({ stalledCount: _stalled, ...rest }: any) => rest)).toEqual(
        currentBottlenecks.map(({ stalledCount: _stalled, ...rest }: any) => rest),
      );
      expect(rounded({ ...periodKpis, pipelineSize, bottlenecks })).toEqual(
        rounded(expectedMetrics(history, { from: period.periodStart, to: period.periodEnd, ownerIds, asOf })),
      );
    }
    expect(series.some((period: any) => period.metrics.pipelineSize.openCount > 0 && period.metrics.wonCount > 0)).toBe(true);
  });

  it('costs the same few statements for 260 weeks as for 3 months', async () => {
    // Arrange
    const short = { filter: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, bucket: 'MONTH' };
    const long = { filter: { from: '2022-01-03T00:00:00Z', to: '2026-12-28T00:00:00Z' }, bucket: 'WEEK' };

    // Act
    sql.reset();
    const few = expectNoErrors(await subject.as(admin)<any>(SERIES, short)).pipelineMetricsSeries;
    const fewStatements = sql.matching(KPI_TABLES).length;
    sql.reset();
    const many = expectNoErrors(await subject.as(admin)<any>(SERIES, long)).pipelineMetricsSeries;
    const manyStatements = sql.matching(KPI_TABLES).length;

    // Assert
    expect(few).toHaveLength(3);
    expect(many).toHaveLength(260);
    expect(manyStatements).toBe(fewStatements);
    expect(manyStatements).toBeLessThanOrEqual(7);
  });
});
