import { randomUUID } from 'node:crypto';

import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createCloudEvent, TOPICS } from '@pipeline/events';
import { appendToOutbox, createDataSource, initializeDataSource, MESSAGING_MIGRATIONS, OutboxRelay } from '@pipeline/persistence';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix, TopicReader, waitFor } from '@pipeline/test-infra';
import type { DataSource } from 'typeorm';

import { EventConsumer } from './event-consumer';
import { createKafka } from './kafka';
import { OutboxPublisher } from './outbox-publisher';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('trace context through the outbox, Kafka and the consumer', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase('tracing');
    dataSource = await initializeDataSource(
      createDataSource({ url: database.url, entities: [], migrations: MESSAGING_MIGRATIONS, applicationName: 'tracing-test' }),
    );
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  afterAll(() => provider.shutdown());

  it('carries the use case span to the relay producer span and the consumer span the handler runs in', async () => {
    // Arrange: a use case appends an event inside its span
    const prefix = testTopicPrefix('tracing');
    const kafka = createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'tracing-test', topicPrefix: prefix });
    const repId = randomUUID();
    const event = createCloudEvent({
      type: 'sales.rep.registered.v1',
      source: '/test',
      subject: repId,
      data: { repId, name: 'Ada', email: 'ada@example.com', role: 'REP', teamId: null, active: true, version: 1 },
    });
    const useCase = await trace.getTracer('spec').startActiveSpan('use case', async (span) => {
      await dataSource.transaction((manager) => appendToOutbox(manager, [{ topic: TOPICS.repEvents, aggregateType: 'rep', event }]));
      span.end();
      return span.spanContext();
    });
    const publisher = new OutboxPublisher(kafka, { topicPrefix: prefix });
    const relay = new OutboxRelay({ dataSource, databaseUrl: database.url, publish: (records) => publisher.publish(records) });
    const handledIn: string[] = [];
    const consumer = new EventConsumer({
      kafka,
      settings: { topicPrefix: prefix },
      groupId: 'tracing-group',
      consumerName: 'tracing-group',
      topics: [TOPICS.repEvents],
      dataSource,
      logger: silent,
      handlers: {
        'sales.rep.registered.v1': async () => {
          handledIn.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
        },
      },
    });
    const reader = new TopicReader([`${prefix}${TOPICS.repEvents}`]);

    try {
      // Act
      await relay.flushOnce();
      await consumer.start();
      await waitFor(() => handledIn.length > 0, { timeoutMs: 30_000, what: 'the handler to run' });
      await reader.start();
      await waitFor(() => reader.messages.length > 0, { timeoutMs: 15_000, what: 'the published message' });
    } finally {
      await reader.stop();
      await consumer.stop();
      await publisher.disconnect();
    }

    // Assert: use case ← producer ← consumer, one trace, the handler inside the consumer span
    const stored = (await dataSource.query('SELECT payload FROM outbox WHERE id = $1', [event.id]))[0].payload;
    const spans = exporter.getFinishedSpans();
    const producer = spans.find((span) => span.name.endsWith('publish'));
    const consumerSpan = spans.find((span) => span.name.endsWith('process'));
    expect(stored.traceparent).toBe(`00-${useCase.traceId}-${useCase.spanId}-01`);
    expect(producer?.parentSpanId).toBe(useCase.spanId);
    expect(reader.messages[0].headers.traceparent).toBe(`00-${useCase.traceId}-${producer?.spanContext().spanId}-01`);
    expect(consumerSpan?.parentSpanId).toBe(producer?.spanContext().spanId);
    expect(consumerSpan?.spanContext().traceId).toBe(useCase.traceId);
    expect(handledIn).toEqual([consumerSpan?.spanContext().spanId]);
  });
});
