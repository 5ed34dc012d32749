import { isDeepStrictEqual } from 'node:util';

import { deadLetterTopic, TOPICS } from '@pipeline/events';
import { testKafkaBrokers, type TestService, testTopicPrefix, waitFor } from '@pipeline/testing';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';

import { ANALYTICS_TOPICS } from './server';
import { startAnalytics } from './test-support';

const KEYS = ['cleanup.policy', 'retention.ms', 'retention.bytes'];

// A rebuild replays from offset 0: the topics it reads must keep every event, whoever created them first.
describe('the topics analytics reads', () => {
  const kafka = new Kafka({ clientId: 'retention-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  let subject: TestService | undefined;
  afterAll(async () => subject?.stop());

  it('keep every event once the service has started, even a stage stream created with a week of retention', async () => {
    // Arrange: the stage stream as a broker with default settings would have created it
    const prefix = testTopicPrefix('retention');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: `${prefix}${TOPICS.stageChanged}`, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '604800000' }] }],
    });

    try {
      // Act
      subject = await startAnalytics('retention', { topicPrefix: prefix });

      // Assert: as the broker reports it, once the consumer (which starts in the background) has made its dead-letter topics
      const topics = ANALYTICS_TOPICS.flatMap((topic) => [`${prefix}${topic}`, deadLetterTopic(`${prefix}${topic}`)]);
      const read = async () => {
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
        });
        return Object.fromEntries(
          resources.map((resource) => [
            resource.resourceName,
            Object.fromEntries(resource.configEntries.filter((entry) => KEYS.includes(entry.configName)).map((entry) => [entry.configName, entry.configValue])),
          ]),
        );
      };
      const expected = Object.fromEntries(topics.map((topic) => [topic, { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' }]));
      await waitFor(async () => (await admin.listTopics()).filter((topic) => topics.includes(topic)).length === topics.length, {
        timeoutMs: 30_000,
        what: 'the service to create its topics',
      });
      // Creation and correction are two admin calls: wait for the correction, then show any difference that remains.
      await waitFor(async () => isDeepStrictEqual(await read(), expected), { timeoutMs: 15_000, what: 'the topic settings to be corrected' }).catch(
        () => undefined,
      );
      expect(await read()).toEqual(expected);
    } finally {
      await admin.disconnect();
    }
  });
});
