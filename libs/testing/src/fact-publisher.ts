import { type CloudEvent, createCloudEvent, type EventDataMap, type EventType } from '@pipeline/events';
import { testKafkaBrokers, waitForTopicLeaders } from '@pipeline/test-infra';
import { Kafka, logLevel } from 'kafkajs';

export interface Fact<T extends EventType = EventType> {
  topic: string;
  type: T;
  subject: string;
  data: EventDataMap[T];
}

// Another service's facts, published as that service would (same envelope, same topic, keyed by subject), in one
// produce request per 500, so a consumer receives them together and in this order. Returns the event ids.
// A partition given sends them all there: one consumer batch even for many subjects (a test counting one chunk's statements).
export async function publishFacts(topicPrefix: string, facts: Fact[], options: { partition?: number } = {}): Promise<string[]> {
  const events = facts.map(({ topic, type, subject, data }) => ({ topic, event: createCloudEvent({ type, source: '/test', subject, data }) }));
  await publishEvents(topicPrefix, events, options);
  return events.map(({ event }) => event.id);
}

// Ready-made events (a synthetic history with its own timestamps), keyed by subject.
export async function publishEvents(
  topicPrefix: string,
  events: Array<{ topic: string; event: CloudEvent }>,
  options: { partition?: number } = {},
): Promise<void> {
  const kafka = new Kafka({ clientId: 'fact-publisher', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  await waitForTopicLeaders(kafka, [...new Set(events.map(({ topic }) => `${topicPrefix}${topic}`))]);
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < events.length; start += 500) {
      const byTopic = new Map<string, Array<{ key: string; value: string; partition?: number }>>();
      for (const { topic, event } of events.slice(start, start + 500)) {
        const name = `${topicPrefix}${topic}`;
        byTopic.set(name, [...(byTopic.get(name) ?? []), { key: event.subject, value: JSON.stringify(event), partition: options.partition }]);
      }
      await producer.sendBatch({ topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
    }
  } finally {
    await producer.disconnect();
  }
}
