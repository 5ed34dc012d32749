import { adminActor, expectNoErrors, managerActor, repActor, type TestService, testTopicPrefix } from '@pipeline/testing';

import { HISTOGRAM_RELATIVE_ERROR } from '../../domain/histogram';
import {
  caughtUp,
  expectedMetrics as expected,
  METRICS_FIELDS,
  NOW,
  publishAll,
  rounded,
  stageHistories,
  startAnalytics,
  syntheticHistory,
} from '../../test-support';

const METRICS = `query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { ${METRICS_FIELDS} } }`;

describe('pipelineMetrics from the event stream', () => {
  const history = syntheticHistory(20_261_126, 120);
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startAnalytics('metrics');
    await publishAll(subject.topicPrefix, history.events);
    await caughtUp(subject.as(admin), history);
  });
  afterAll(async () => subject?.stop());

  it.each([
    ['all time', {}],
    ['the second half of 2026', { from: '2026-07-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }],
    ['one quarter', { from: '2026-04-01T00:00:00Z', to: '2026-07-01T00:00:00Z' }],
  ])('equals the KPIs computed independently from the same events (%s)', async (_label, filter) => {
    const actual = expectNoErrors(await subject.as(admin)<any>(METRICS, { filter })).pipelineMetrics;
    expect(rounded(actual)).toEqual(rounded(expected(history, filter)));
  });

  it('filters by owner, and a rep sees only their own numbers unless they ask as a manager', async () => {
    const rep = history.reps[0];
    const asAdminForRep = expectNoErrors(await subject.as(admin)<any>(METRICS, { filter: { ownerIds: [rep.id] } })).pipelineMetrics;
    const asRep = expectNoErrors(await subject.as(repActor(rep.id, rep.teamId))<any>(METRICS, {})).pipelineMetrics;
    const asManager = expectNoErrors(await subject.as(managerActor('north'))<any>(METRICS, {})).pipelineMetrics;
    const north = history.reps.filter((candidate) => candidate.teamId === 'north').map((candidate) => candidate.id);
    expect(rounded(asAdminForRep)).toEqual(rounded(expected(history, { ownerIds: [rep.id] })));
    expect(rounded(asRep)).toEqual(rounded(asAdminForRep));
    expect(asManager.pipelineSize.openCount).toBe(expected(history, { ownerIds: north }).pipelineSize.openCount);
    expect(asManager.wonCount).toBe(expected(history, { ownerIds: north }).wonCount);
  });

  it('ends in the same state from shuffled, duplicated delivery, and from a replay into fresh tables', async () => {
    // Arrange: the same history, every event twice, in a shuffled order (per-key order lost too)
    const prefix = testTopicPrefix('metrics_shuffled');
    const shuffled = [...history.events, ...history.events]
      .map((entry, index) => ({ entry, order: (index * 7_919) % 1_009 }))
      .sort((a, b) => a.order - b.order)
      .map(({ entry }) => ({ ...entry, key: `${entry.key}-${Math.floor(Math.random() * 5)}` }));
    const scrambled = await startAnalytics('metrics_shuffled', { topicPrefix: prefix });
    const replay = await startAnalytics('metrics_replay', { topicPrefix: subject.topicPrefix, consumerGroup: 'analytics-rebuild' });

    try {
      // Act
      await publishAll(prefix, shuffled);
      await caughtUp(scrambled.as(admin), history);
      await caughtUp(replay.as(admin), history);

      // Assert
      const reference = expectNoErrors(await subject.as(admin)<any>(METRICS, {})).pipelineMetrics;
      expect(expectNoErrors(await scrambled.as(admin)<any>(METRICS, {})).pipelineMetrics).toEqual(reference);
      expect(expectNoErrors(await replay.as(admin)<any>(METRICS, {})).pipelineMetrics).toEqual(reference);
      // the rebuild from offset 0 reproduces every grain: an owner's view and a monthly series too
      const owner = { filter: { ownerIds: [history.reps[2].id] } };
      const series = { filter: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, bucket: 'MONTH' };
      const SERIES = `query($filter: MetricsFilter, $bucket: TimeBucket!) { pipelineMetricsSeries(filter: $filter, bucket: $bucket) { periodStart metrics { ${METRICS_FIELDS} } } }`;
      expect(expectNoErrors(await replay.as(admin)<any>(METRICS, owner))).toEqual(expectNoErrors(await subject.as(admin)<any>(METRICS, owner)));
      expect(expectNoErrors(await replay.as(admin)<any>(SERIES, series))).toEqual(expectNoErrors(await subject.as(admin)<any>(SERIES, series)));
      const [{ count }] = await scrambled.service.dataSource.query('SELECT count(*)::int AS count FROM stage_event');
      expect(count).toBe(history.stageEventCount);
    } finally {
      await scrambled.stop();
      await replay.stop();
    }
  });

  it('takes percentiles from histograms beyond the exact limit: within the stated error, every other KPI unchanged', async () => {
    // Arrange: the same events into a service that never computes percentiles exactly
    const approximate = await startAnalytics('metrics_histograms', {
      topicPrefix: subject.topicPrefix,
      consumerGroup: 'analytics-histograms',
      exactPercentileLimit: 0,
    });
    try {
      await caughtUp(approximate.as(admin), history);
      for (const filter of [{}, { ownerIds: [history.reps[1].id] }]) {
        // Act
        const actual = expectNoErrors(await approximate.as(admin)<any>(METRICS, { filter })).pipelineMetrics;

        // Assert
        const exact = expected(history, filter) as any;
        const close = (value: number | null, reference: number | null) =>
          expect(
            value === null || reference === null ? value === reference : Math.abs(value - reference) <= HISTOGRAM_RELATIVE_ERROR * Math.abs(reference) + 1e-4,
          ).toBe(true);
        // from the histogram indeed: not the exact value, close to it
        expect(actual.salesCycle.medianDays).not.toBeCloseTo(exact.salesCycle.medianDays, 9);
        close(actual.salesCycle.medianDays, exact.salesCycle.medianDays);
        close(actual.salesCycle.p90Days, exact.salesCycle.p90Days);
        const open = stageHistories(history, (filter as { ownerIds?: string[] }).ownerIds)
          .map((list) => list[list.length - 1])
          .filter((last) => last.toStageCategory === 'OPEN');
        for (const [index, bottleneck] of actual.bottlenecks.entries()) {
          const reference = exact.bottlenecks[index];
          expect(bottleneck.stage).toBe(reference.stage);
          expect(bottleneck.openCount).toBe(reference.openCount);
          close(bottleneck.medianDaysInStage, reference.medianDaysInStage);
          close(bottleneck.usualDaysInStage, reference.usualDaysInStage);
          close(bottleneck.p90DaysInStage, reference.p90DaysInStage);
          // stalled is exact for the usual time reported
          expect(bottleneck.stalledCount).toBe(
            open.filter((last) => last.toStage === bottleneck.stage && (NOW.getTime() - Date.parse(last.changedAt)) / 86_400_000 > bottleneck.usualDaysInStage)
              .length,
          );
        }
        const withoutPercentiles = (metrics: any) => ({
          ...metrics,
          salesCycle: { count: metrics.salesCycle.count, meanDays: metrics.salesCycle.meanDays },
          bottlenecks: null,
        });
        expect(rounded(withoutPercentiles(actual))).toEqual(rounded(withoutPercentiles(exact)));
      }
    } finally {
      await approximate.stop();
    }
  });
});
