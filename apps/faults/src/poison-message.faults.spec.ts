import { deadLetterTopic, TOPICS } from '@pipeline/events';
import { adminActor, TopicReader, waitFor } from '@pipeline/testing';
import { Kafka, logLevel } from 'kafkajs';

import { callAs, sql, topicPrefix } from './faults-env';
import { createOpportunity } from './scenario';

describe('a poison message on a consumed topic', () => {
  it('goes to the dead-letter topic with the reason while the consumers keep going', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const topic = `${topicPrefix()}${TOPICS.stageChanged}`;
    const dlq = new TopicReader([deadLetterTopic(topic)]);
    await dlq.start();
    const kafka = new Kafka({ clientId: 'poison', brokers: (process.env.KAFKA_BROKERS as string).split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();

    // Act
    await producer.send({
      topic,
      messages: [
        { key: 'poison-1', value: 'this is not JSON' },
        {
          key: 'poison-2',
          value: JSON.stringify({
            specversion: '1.0',
            id: 'x',
            type: 'sales.opportunity.stage_changed.v1',
            source: '/x',
            subject: 'y',
            time: 'now',
            datacontenttype: 'application/json',
            data: {},
          }),
        },
        { key: 'poison-3', value: JSON.stringify({ type: 'sales.opportunity.exploded.v1' }) },
      ],
    });
    await producer.disconnect();
    const after = await createOpportunity(admin);

    // Assert: three dead letters per consuming service (deal, analytics and engagement read this topic), with reasons
    const letters = await waitFor(() => (dlq.messages.length >= 9 ? dlq.messages : null), { timeoutMs: 60_000, what: 'dead letters' });
    await dlq.stop();
    const reasons = letters.map((message) => `${message.key}: ${message.headers['x-dlq-reason']}`);
    expect(reasons.filter((reason) => reason.startsWith('poison-1: invalid JSON'))).toHaveLength(3);
    expect(reasons.filter((reason) => reason.startsWith('poison-2: schema violation'))).toHaveLength(3);
    expect(reasons.filter((reason) => reason.startsWith('poison-3: unknown event type'))).toHaveLength(3);
    expect(new Set(letters.map((message) => message.headers['x-dlq-consumer-group']))).toEqual(
      new Set([`${topicPrefix()}deal-subgraph.opportunities`, `${topicPrefix()}analytics-subgraph`, `${topicPrefix()}engagement-subgraph`]),
    );
    await waitFor(async () => (await sql('analytics', 'SELECT 1 FROM opportunity_fact WHERE opportunity_id = $1', [after])).length === 1, {
      timeoutMs: 60_000,
      what: 'analytics to continue after the poison',
    });
  });
});
