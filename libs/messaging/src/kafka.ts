import { Kafka, logLevel, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';

// kafkajs is unmaintained: it stays behind this module so a successor can replace it in one place.
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  topicPrefix?: string;
  logLevel?: 'nothing' | 'error' | 'warn' | 'info';
}

export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  // The default is the broker `npm start` launches locally; deployments always set KAFKA_BROKERS.
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',').map((broker) => broker.trim()).filter(Boolean);
  const mechanism = env.KAFKA_SASL_MECHANISM as NonNullable<KafkaSettings['sasl']>['mechanism'] | undefined;
  return {
    brokers,
    clientId,
    ssl: env.KAFKA_SSL === 'true',
    sasl: mechanism ? { mechanism, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' } : undefined,
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    logLevel: (env.KAFKA_LOG_LEVEL as KafkaSettings['logLevel']) ?? 'nothing',
  };
}

const LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO } as const;

export function createKafka(settings: KafkaSettings): Kafka {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    logLevel: LEVELS[settings.logLevel ?? 'nothing'],
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 3_000 },
    connectionTimeout: 3_000,
  };
  if (settings.sasl) config.sasl = settings.sasl as KafkaConfig['sasl'];
  return new Kafka(config);
}

// A topic prefix lets tests (and shared dev clusters) isolate their streams; production leaves it empty.
export const prefixedTopic = (settings: Pick<KafkaSettings, 'topicPrefix'>, topic: string): string => `${settings.topicPrefix ?? ''}${topic}`;

// Idempotent producer, one request in flight, acks from all replicas: no duplicates from retries, order kept per key.
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2_000 },
  });
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
}

// Creates missing topics and waits until every partition has a leader: on a freshly started broker, metadata for a
// new topic lags its creation, and producing or subscribing before then fails.
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({ topic: spec.topic, numPartitions: spec.numPartitions ?? 3, replicationFactor: spec.replicationFactor ?? -1 })),
      });
    }
    const names = topics.map((spec) => spec.topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await admin
        .fetchTopicMetadata({ topics: names })
        .then(({ topics: metadata }) => metadata.length === names.length && metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0)))
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`Topics have no leaders after ${timeoutMs} ms: ${names.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

export type { Kafka, Producer } from 'kafkajs';
