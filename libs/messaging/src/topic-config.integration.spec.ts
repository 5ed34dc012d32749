import { ALL_TOPICS, deadLetterTopic, TOPICS } from '@pipeline/events';
import { testKafkaBrokers, testTopicPrefix, waitFor } from '@pipeline/test-infra';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';

import { ensureTopics } from './kafka';

// What the broker itself says about a topic's settings (describeConfigs), not what the code meant to send.
async function brokerConfig(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    return Object.fromEntries(resources[0].configEntries.map((entry) => [entry.configName, entry.configValue]));
  } finally {
    await admin.disconnect();
  }
}

const keepsEveryEvent = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };

describe('topic configuration as code', () => {
  const kafka = new Kafka({ clientId: 'topic-config-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });

  it('creates every contract topic and its dead-letter topic keeping every event, uncompacted', async () => {
    // Arrange
    const prefix = testTopicPrefix('topic_config_new');
    const topics = ALL_TOPICS.flatMap((topic) => [`${prefix}${topic}`, deadLetterTopic(`${prefix}${topic}`)]);

    // Act
    await ensureTopics(
      kafka,
      topics.map((topic) => ({ topic })),
    );

    // Assert
    for (const topic of topics) expect(await brokerConfig(kafka, topic)).toMatchObject(keepsEveryEvent);
  });

  it('corrects a contract topic created with time-based deletion or compaction, keeping its other overrides', async () => {
    // Arrange: the stage stream as the broker's defaults or a hand-made topic would have it
    const topic = `${testTopicPrefix('topic_config_old')}${TOPICS.stageChanged}`;
    const admin = kafka.admin();
    await admin.connect();
    // No wait for leaders here: kafkajs' wait can fail on a broker still publishing the topic, and ensureTopics waits itself.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: 3,
          configEntries: [
            { name: 'retention.ms', value: '604800000' },
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'max.message.bytes', value: '2097152' },
          ],
        },
      ],
    });
    await admin.disconnect();

    // Act
    await ensureTopics(kafka, [{ topic }]);

    // Assert: the broker applies a change through its metadata log, so a read right after may still show the old one
    await waitFor(async () => (await brokerConfig(kafka, topic))['retention.ms'] === '-1', { what: 'the corrected settings to show' });
    expect(await brokerConfig(kafka, topic)).toMatchObject({ ...keepsEveryEvent, 'max.message.bytes': '2097152' });
  });

  it('leaves topics outside the contract to the broker defaults', async () => {
    // Arrange
    const topic = `${testTopicPrefix('topic_config_other')}scratch.v1`;

    // Act
    await ensureTopics(kafka, [{ topic }]);

    // Assert
    expect((await brokerConfig(kafka, topic))['retention.ms']).not.toBe('-1');
  });
});
