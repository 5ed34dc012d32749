import { contractTopicConfig } from '@pipeline/events';
import { type Admin, ConfigResourceTypes, ConfigSource, Kafka, type KafkaConfig, logLevel, Partitioners, type Producer } from 'kafkajs';

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
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:29092')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
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
  // Topic-level settings; by default the contract's for contract topics (see contractTopicConfig), none for others.
  config?: Readonly<Record<string, string>>;
}

const configOf = (spec: TopicSpec) => spec.config ?? contractTopicConfig(spec.topic) ?? {};

// Creates missing topics with their configuration, corrects the configuration of existing ones, and waits until every
// partition has a leader: on a freshly started broker, metadata for a new topic lags its creation, and producing or
// subscribing before then fails.
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.numPartitions ?? 3,
          replicationFactor: spec.replicationFactor ?? -1,
          configEntries: Object.entries(configOf(spec)).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const names = topics.map((spec) => spec.topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await admin
        .fetchTopicMetadata({ topics: names })
        .then(
          ({ topics: metadata }) =>
            metadata.length === names.length &&
            metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0)),
        )
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`Topics have no leaders after ${timeoutMs} ms: ${names.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Every contract topic, the ones just created included: a topic another client created between the listing and
    // the creation is not created here (createTopics skips it) and may carry any settings. After the leaders: until
    // then the broker answers DescribeConfigs for a new topic with "does not host this topic-partition".
    await correctTopicConfigs(
      admin,
      topics.filter((spec) => Object.keys(configOf(spec)).length > 0),
    );
  } finally {
    await admin.disconnect();
  }
}

// A topic created before its configuration was code (or changed by hand) gets it now. AlterConfigs replaces a topic's
// whole set of overrides, so the overrides the topic already has are sent along and only the contract's are changed.
async function correctTopicConfigs(admin: Admin, specs: TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.topic })),
  });
  const resources = specs.flatMap((spec) => {
    const entries = described.resources.find((resource) => resource.resourceName === spec.topic)?.configEntries ?? [];
    const wanted = configOf(spec);
    if (Object.entries(wanted).every(([name, value]) => entries.some((entry) => entry.configName === name && entry.configValue === value))) return [];
    const overrides = Object.fromEntries(
      entries.filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG && !entry.isSensitive).map((entry) => [entry.configName, entry.configValue]),
    );
    return [
      {
        type: ConfigResourceTypes.TOPIC,
        name: spec.topic,
        configEntries: Object.entries({ ...overrides, ...wanted }).map(([name, value]) => ({ name, value })),
      },
    ];
  });
  if (resources.length > 0) await admin.alterConfigs({ validateOnly: false, resources });
}

export type { Kafka, Producer } from 'kafkajs';
