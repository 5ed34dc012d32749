import { type AnyPipelineEvent, createCloudEvent, TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, type TestService, waitFor } from '@pipeline/testing';

import { caughtUp, expectedMetrics, type History, METRICS_FIELDS, publishAll, rounded, startAnalytics, syntheticHistory } from '../../test-support';

const METRICS = `{ pipelineMetrics { ${METRICS_FIELDS} } }`;

describe('archived opportunities and leads leave the KPIs, reversibly', () => {
  const history = syntheticHistory(20_261_201, 40);
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startAnalytics('archived_records');
    await publishAll(subject.topicPrefix, history.events);
    await caughtUp(subject.as(admin), history);
  });
  afterAll(async () => subject?.stop());

  // The last stage event of an opportunity that closed WON, and the first lead that converted.
  const lastStageEvent = (category: string) =>
    history.events
      .filter(({ event }) => event.type === 'sales.opportunity.stage_changed.v1')
      .map(({ event }) => event.data as any)
      .filter(
        (data, _index, all) =>
          data.toStageCategory === category &&
          data.version === Math.max(...all.filter((other) => other.opportunityId === data.opportunityId).map((other) => other.version)),
      )[0];
  const without = (ids: string[]): History => ({ ...history, events: history.events.filter(({ key }) => !ids.includes(key)) });
  const metrics = async () => rounded(expectNoErrors(await subject.as(admin)<any>(METRICS)).pipelineMetrics);

  it('counts an archived opportunity and lead in no KPI, and counts them again once restored', async () => {
    // Arrange
    const won = lastStageEvent('WON');
    const lead = history.events.find(({ event }) => event.type === 'sales.lead.converted.v1')?.event.data as any;
    const before = await metrics();
    expect(before).toEqual(rounded(expectedMetrics(history, {})));
    const state = (version: number, archived: boolean) => ({
      opportunityId: won.opportunityId,
      version,
      pipelineId: won.pipelineId,
      stage: won.toStage,
      stageCategory: won.toStageCategory,
      opportunity: { ...won.opportunity, archived },
    });
    const leadState = (version: number, archived: boolean) => ({ leadId: lead.leadId, version, lead: { ...lead.lead, archived } });
    const archive = [
      {
        topic: TOPICS.opportunityEvents,
        key: won.opportunityId,
        event: createCloudEvent({
          type: 'sales.opportunity.archived.v1',
          source: '/test',
          subject: won.opportunityId,
          data: { ...state(won.version + 1, true), reason: 'Duplicate', archivedBy: null, archivedAt: '2026-12-31T00:00:00.000Z' },
        }) as AnyPipelineEvent,
      },
      {
        topic: TOPICS.leadEvents,
        key: lead.leadId,
        event: createCloudEvent({
          type: 'sales.lead.archived.v1',
          source: '/test',
          subject: lead.leadId,
          data: { ...leadState(lead.version + 1, true), reason: null, archivedBy: null, archivedAt: '2026-12-31T00:00:00.000Z' },
        }) as AnyPipelineEvent,
      },
    ];
    const restore = [
      {
        topic: TOPICS.opportunityEvents,
        key: won.opportunityId,
        event: createCloudEvent({
          type: 'sales.opportunity.restored.v1',
          source: '/test',
          subject: won.opportunityId,
          data: { ...state(won.version + 2, false), restoredBy: null },
        }) as AnyPipelineEvent,
      },
      {
        topic: TOPICS.leadEvents,
        key: lead.leadId,
        event: createCloudEvent({
          type: 'sales.lead.restored.v1',
          source: '/test',
          subject: lead.leadId,
          data: { ...leadState(lead.version + 2, false), restoredBy: null },
        }) as AnyPipelineEvent,
      },
    ];

    // Act: archive
    await publishAll(subject.topicPrefix, archive);
    const expectedArchived = rounded(expectedMetrics(without([won.opportunityId, lead.leadId]), {}));
    const archived = await waitFor(
      async () => {
        const now = await metrics();
        return JSON.stringify(now) === JSON.stringify(expectedArchived) ? now : null;
      },
      { what: 'the KPIs without the archived opportunity and lead' },
    );

    // Assert: the KPIs are those of the history without them
    expect(archived).toEqual(expectedArchived);
    expect((archived as any).wonCount).toBe((before as any).wonCount - 1);

    // Act: restore
    await publishAll(subject.topicPrefix, restore);
    const restored = await waitFor(
      async () => {
        const now = await metrics();
        return JSON.stringify(now) === JSON.stringify(before) ? now : null;
      },
      { what: 'the KPIs with both restored' },
    );

    // Assert
    expect(restored).toEqual(before);
  });
});
