import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { deleteTopicsWithPrefix, publishEvents, testKafkaBrokers, testTopicPrefix, waitFor, waitForTopicLeaders } from '@pipeline/testing';
import { Kafka, logLevel } from 'kafkajs';

import { readStageChanges, type StageChanged } from './read-stage-changes';

const stageChanged = (opportunityId: string, version: number, fromStage: string | null, toStage: string) =>
  createCloudEvent({
    type: 'sales.opportunity.stage_changed.v1',
    source: '/opportunity-subgraph',
    subject: opportunityId,
    data: {
      opportunityId,
      pipelineId: randomUUID(),
      fromStage,
      toStage,
      toStageCategory: 'OPEN',
      changedAt: new Date().toISOString(),
      changedBy: null,
      reason: null,
      version,
      previousStageEnteredAt: null,
      opportunity: {
        name: 'Acme renewal',
        accountName: 'Acme',
        industry: null,
        amount: { amount: '1200.50', currency: 'EUR' },
        probability: 0.2,
        ownerId: null,
        leadId: null,
        leadSource: null,
        expectedCloseDate: null,
        createdAt: new Date().toISOString(),
      },
    },
  });

// The analysts' example reads what is already on the topic (a replay from offset 0) and skips what is not the contract.
describe('the stage-change reader example', () => {
  const prefix = testTopicPrefix('stream-reader');
  afterAll(async () => {
    await deleteTopicsWithPrefix(prefix);
  });

  it('replays the stream from the beginning as typed, validated events and reports a message that is not one', async () => {
    // Arrange
    const opportunityId = randomUUID();
    const events = [stageChanged(opportunityId, 1, null, 'prospecting'), stageChanged(opportunityId, 2, 'prospecting', 'qualification')];
    const topic = `${prefix}${TOPICS.stageChanged}`;
    const kafka = new Kafka({ clientId: 'stream-reader-spec', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // kafkajs' own wait for leaders gives up on the "does not host this topic-partition" a busy KRaft broker answers at first.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false });
    await admin.disconnect();
    await waitForTopicLeaders(kafka, [topic]);
    await publishEvents(prefix, [{ topic: TOPICS.stageChanged, event: events[0] }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: opportunityId, value: '{"not":"a cloud event"}' }] });
    await producer.disconnect();
    await publishEvents(prefix, [{ topic: TOPICS.stageChanged, event: events[1] }]);
    const received: StageChanged[] = [];
    const invalid: string[] = [];

    // Act
    const reader = await readStageChanges({
      brokers: testKafkaBrokers().split(','),
      topic,
      groupId: `analyst-${randomUUID()}`,
      fromBeginning: true,
      onEvent: (event) => void received.push(event),
      onInvalid: (reason) => void invalid.push(reason),
    });
    try {
      await waitFor(() => received.length >= 2, { timeoutMs: 60_000, what: 'the reader to see both events' });
    } finally {
      await reader.stop();
    }

    // Assert
    expect(received.map((event) => [event.id, event.data.fromStage, event.data.toStage, event.data.version])).toEqual([
      [events[0].id, null, 'prospecting', 1],
      [events[1].id, 'prospecting', 'qualification', 2],
    ]);
    expect(invalid).toEqual([expect.stringMatching(/missing CloudEvents type/)]);
  });
});
