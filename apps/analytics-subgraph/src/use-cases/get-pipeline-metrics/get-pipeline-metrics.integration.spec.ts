import { adminActor, expectNoErrors, managerActor, repActor, testTopicPrefix, type TestService } from '@pipeline/testing';
import { caughtUp, expectedMetrics as expected, METRICS_FIELDS, publishAll, rounded, startAnalytics, syntheticHistory } from '../../test-support';

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
      const [{ count }] = await scrambled.service.dataSource.query('SELECT count(*)::int AS count FROM stage_event');
      expect(count).toBe(history.stageEventCount);
    } finally {
      await scrambled.stop();
      await replay.stop();
    }
  });
});
