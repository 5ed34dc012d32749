import { topicOffsets } from '@pipeline/dev-infra';
import { type Consumer, Kafka, type KafkaMessage, logLevel } from 'kafkajs';

import { testKafkaBrokers, uniqueSuffix } from './infrastructure';
import { waitFor } from './wait-for';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

// A plain kafkajs consumer in its own group, as an analyst would attach one.
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer | null = null;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: 'test-reader', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = this.topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0)
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: false }).catch(() => undefined);
    await admin.disconnect();
    // A service may have created the topic a moment earlier (our create then fails fast) and its leaders may not be elected yet.
    await waitForTopicLeaders(kafka, this.topics);
    this.consumer = kafka.consumer({ groupId: `test-reader-${uniqueSuffix()}`, maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push(toRead(topic, partition, message));
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  // Messages that are not JSON (poison left on a shared topic) are skipped.
  parsed<T = any>(): Array<{ message: ReadMessage; event: T }> {
    return this.messages.flatMap((message) => {
      try {
        return [{ message, event: JSON.parse(message.value ?? 'null') as T }];
      } catch {
        return [];
      }
    });
  }
}

// Every message on the topics, from offset 0 to the end the broker reports once the reader is attached.
export async function readWholeTopics(topics: string[], timeoutMs = 60_000): Promise<{ reader: TopicReader; total: number }> {
  const admin = new Kafka({ clientId: 'test-whole-topics', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const reader = new TopicReader(topics);
  try {
    await reader.start();
    let total = 0;
    for (const topic of topics) for (const partition of await topicOffsets(admin, topic)) total += Number(partition.high) - Number(partition.low);
    await waitFor(() => reader.messages.length >= total, { timeoutMs, what: `all ${total} messages of ${topics.length} topics` });
    return { reader, total };
  } finally {
    await reader.stop();
    await admin.disconnect();
  }
}

function toRead(topic: string, partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Buffer.isBuffer(value) ? value.toString() : String(value);
  }
  return { topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers };
}

// Waits until a consumer group has committed past an offset: proof that it processed the message there.
export async function waitForCommittedOffset(
  kafka: Kafka,
  groupId: string,
  topic: string,
  partition: number,
  offset: number,
  timeoutMs = 15_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const position = Number(committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? -1);
      if (position > offset) return;
      if (Date.now() > deadline) throw new Error(`Group ${groupId} did not commit past ${topic}[${partition}]@${offset} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

// Topics created a moment ago may not have leaders on every partition yet; producing then fails. Wait until they do.
export async function waitForTopicLeaders(kafka: Kafka, topics: string[], timeoutMs = 15_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (
          metadata.length === topics.length &&
          metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))
        )
          return;
      } catch {
        // not there yet
      }
      if (Date.now() > deadline) throw new Error(`Topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
