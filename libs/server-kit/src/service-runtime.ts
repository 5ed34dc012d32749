import { ALL_TOPICS } from '@pipeline/events';
import {
  createKafka,
  ensureTopics,
  EventConsumer,
  type EventHandlers,
  isRecordRefused,
  type KafkaSettings,
  OutboxPublisher,
  prefixedTopic,
} from '@pipeline/messaging';
import { createDataSource, ensureDatabase, initializeDataSource, OutboxRelay } from '@pipeline/persistence';
import type { Logger } from 'pino';
import { Gauge, Histogram } from 'prom-client';
import type { DataSource, EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';

import { consumerLogger } from './logger';
import type { RunningServer, SubgraphServer } from './subgraph-server';

export interface ConsumerDefinition {
  // Also the dedupe name: events are remembered per consumer.
  groupId: string;
  topics: string[];
  handlers: EventHandlers;
  // Events per transaction and bytes fetched per partition, for consumers whose handlers work set-based on large chunks.
  chunkSize?: number;
  maxBytesPerPartition?: number;
  // Partitions applied side by side, for consumers whose handlers lock what they must (see EventConsumerOptions).
  partitionsConsumedConcurrently?: number;
}

export interface ServiceConfig {
  port: number;
  databaseUrl: string;
  kafka: KafkaSettings;
  internalSecret: string;
  production: boolean;
  // PostgreSQL cancels a statement running longer (default 15 s); the request gets TIMEOUT and writes nothing.
  statementTimeoutMs?: number;
  // On stop, readiness answers 503 this long while requests are still served, so load balancers stop sending first.
  shutdownDrainMs?: number;
}

export interface ServiceDefinition {
  serviceName: string;
  entities: MixedList<EntitySchema>;
  migrations: MixedList<new () => unknown>;
  // Per-session PostgreSQL settings for the service's pool (see createDataSource).
  sessionSettings?: Record<string, string>;
  consumers: (dataSource: DataSource) => ConsumerDefinition[];
  server: (dataSource: DataSource, runtime: RuntimeHandles) => SubgraphServer;
  // Background jobs (schedulers) started after the server, stopped before it.
  jobs?: (dataSource: DataSource, logger: Logger) => Array<{ start(): void; stop(): Promise<void> }>;
}

export interface RuntimeHandles {
  ready: () => Promise<Record<string, boolean>>;
  // Shown beside the readiness checks without deciding them (a parked outbox row needs an operator, not a restart).
  details: () => Promise<Record<string, unknown>>;
  logger: Logger;
}

export interface RunningService extends RunningServer {
  dataSource: DataSource;
  relay: OutboxRelay;
  consumers: EventConsumer[];
}

// The same start-up for every subgraph: database and migrations, outbox relay, consumers, then HTTP.
export async function startService(definition: ServiceDefinition, config: ServiceConfig, logger: Logger, sqlLogger?: TypeOrmLogger): Promise<RunningService> {
  await ensureDatabase(config.databaseUrl);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    applicationName: definition.serviceName,
    sessionSettings: definition.sessionSettings,
    statementTimeoutMs: config.statementTimeoutMs,
    logger: sqlLogger,
  });
  await initializeDataSource(dataSource);

  const kafka = createKafka(config.kafka);
  await ensureTopics(
    kafka,
    ALL_TOPICS.map((topic) => ({ topic: prefixedTopic(config.kafka, topic) })),
  ).catch((error) => logger.warn({ err: error }, 'could not ensure topics yet; the relay and consumers retry'));
  const publisher = new OutboxPublisher(kafka, config.kafka);
  // The write side's share of freshness: from an event's time (its transaction) to Kafka's acknowledgement.
  const publishLag = new Histogram({
    name: 'outbox_publish_lag_seconds',
    help: 'Time from an event (its transaction) to its acknowledgement by Kafka',
    labelNames: ['topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [],
  });
  const relay = new OutboxRelay({
    dataSource,
    databaseUrl: config.databaseUrl,
    publish: async (records) => {
      await publisher.publish(records);
      const acknowledgedAt = Date.now();
      for (const record of records) observeLag(publishLag, { topic: record.topic }, record.payload.time, acknowledgedAt);
    },
    isRecordRefused,
    onError: (error) => logger.warn({ err: (error as Error).message }, 'outbox relay could not publish; will retry'),
  });
  relay.start();

  // How far behind the facts a consumer's effects are (the event's time to its commit here) and what a transaction
  // of them costs: the read side's freshness, by consumer and topic. Registered with the server's metrics below.
  const eventLag = new Histogram({
    name: 'consumer_event_lag_seconds',
    help: 'Time from an event (its producer committed it) to the commit of its effect in this consumer',
    labelNames: ['consumer', 'topic'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [],
  });
  const transactionTime = new Histogram({
    name: 'consumer_transaction_seconds',
    help: 'Duration of a consumer transaction (a chunk of events, or one event on the slow path)',
    labelNames: ['consumer', 'topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [],
  });
  const consumers = definition.consumers(dataSource).map(
    (consumer) =>
      new EventConsumer({
        kafka,
        settings: config.kafka,
        groupId: consumer.groupId,
        consumerName: consumer.groupId,
        topics: consumer.topics,
        dataSource,
        handlers: consumer.handlers,
        logger: consumerLogger(logger),
        chunkSize: consumer.chunkSize,
        maxBytesPerPartition: consumer.maxBytesPerPartition,
        partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently,
        onApplied: ({ topic, events, transactionMs, committedAt }) => {
          const labels = { consumer: consumer.groupId, topic };
          transactionTime.observe(labels, transactionMs / 1000);
          for (const event of events) observeLag(eventLag, labels, event.time, committedAt);
        },
      }),
  );
  // Consumers connect in the background: a Kafka outage must not keep the API from serving.
  let stopping = false;
  let draining = false;
  for (const consumer of consumers) {
    void startWithRetry(consumer, logger, () => stopping);
  }

  const ready = async () => {
    const database = await dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    return { database, consumers: consumers.every((consumer) => consumer.ready), serving: !draining };
  };
  const outboxCounts = async () => ({ pending: await relay.pendingCount(), parked: await relay.parkedCount() });
  const details = async () => ({ outbox: await outboxCounts() });
  const server = definition.server(dataSource, { ready, details, logger });
  server.metrics.registry.registerMetric(publishLag);
  server.metrics.registry.registerMetric(eventLag);
  server.metrics.registry.registerMetric(transactionTime);
  for (const [state, help] of [
    ['pending', 'Outbox rows waiting to be published'],
    ['parked', 'Outbox rows the broker refused for good, parked until an operator retries or discards them (npm run outbox)'],
  ] as const) {
    new Gauge({
      name: `outbox_${state}_rows`,
      help,
      registers: [server.metrics.registry],
      async collect() {
        this.set((await outboxCounts())[state]);
      },
    });
  }
  const jobs = definition.jobs?.(dataSource, logger) ?? [];
  const running = await server.listen(config.port);
  for (const job of jobs) job.start();

  return {
    ...running,
    dataSource,
    relay,
    consumers,
    async stop() {
      draining = true;
      running.drain();
      if (config.shutdownDrainMs) {
        logger.info({ drainMs: config.shutdownDrainMs }, 'readiness drained; still serving until the load balancer has noticed');
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      }
      stopping = true;
      for (const job of jobs) await job.stop();
      await running.stop();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await relay.stop();
      await publisher.disconnect();
      await dataSource.destroy();
    },
  };
}

// Seconds from an event's time to a moment after it; an event without a readable time is left out.
function observeLag<L extends string>(histogram: Histogram<L>, labels: Partial<Record<L, string>>, time: string, at: number): void {
  const from = Date.parse(time);
  if (Number.isFinite(from)) histogram.observe(labels, Math.max(0, at - from) / 1000);
}

async function startWithRetry(consumer: EventConsumer, logger: Logger, stopping: () => boolean): Promise<void> {
  let delay = 500;
  while (!stopping()) {
    try {
      await consumer.start();
      return;
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'consumer could not start; retrying');
      await consumer.stop();
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
