import { createCloudEvent, TOPICS } from '@pipeline/events';
import { appendToOutbox, createDataSource, CreateMessagingTables1764150000000, initializeDataSource, OutboxRelay } from '@pipeline/persistence';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix, TopicReader, waitFor } from '@pipeline/test-infra';
import type { DataSource } from 'typeorm';
import { createKafka } from './kafka';
import { OutboxPublisher } from './outbox-publisher';

const repEvent = (repId: string, version: number) =>
  createCloudEvent({
    type: 'sales.rep.updated.v1',
    source: '/test',
    subject: repId,
    data: { repId, name: 'Ada', email: 'ada@example.com', role: 'REP', teamId: null, active: true, version },
  });

describe('transactional outbox and relay', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase('outbox');
    dataSource = await initializeDataSource(createDataSource({ url: database.url, entities: [], migrations: [CreateMessagingTables1764150000000], applicationName: 'outbox-test' }));
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('keeps committed events while Kafka is unreachable and publishes all of them, in order, once it is back', async () => {
    // Arrange: five versions of one aggregate, each committed on its own, to be sent in batches of two
    const prefix = testTopicPrefix('outbox');
    const repId = '7f1c5d8e-3b2a-4c6d-9e8f-0a1b2c3d4e5f';
    for (const version of [1, 2, 3, 4, 5]) {
      await dataSource.transaction((manager) => appendToOutbox(manager, [{ topic: TOPICS.repEvents, aggregateType: 'rep', event: repEvent(repId, version) }]));
    }
    const down = new OutboxPublisher(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'down', topicPrefix: prefix }), { topicPrefix: prefix });
    const deadRelay = new OutboxRelay({ dataSource, databaseUrl: database.url, batchSize: 2, publish: (records) => down.publish(records) });

    // Act 1: Kafka down
    await expect(deadRelay.flushOnce()).rejects.toThrow();
    await down.disconnect();

    // Assert 1: nothing lost, nothing marked, and the failed attempt is on the rows it tried
    expect(await deadRelay.pendingCount()).toBe(5);
    const tried = await dataSource.query('SELECT attempts, last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY seq');
    expect(tried).toEqual([
      { attempts: 1, last_error: expect.any(String) },
      { attempts: 1, last_error: expect.any(String) },
    ]);

    // Act 2: Kafka back; the topic does not exist yet, so the publisher has to create it
    const kafka = createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'up', topicPrefix: prefix });
    const up = new OutboxPublisher(kafka, { topicPrefix: prefix });
    const relay = new OutboxRelay({ dataSource, databaseUrl: database.url, batchSize: 2, publish: (records) => up.publish(records) });
    relay.start();
    await waitFor(async () => (await relay.pendingCount()) === 0, { timeoutMs: 15_000, what: 'the outbox to drain' });
    await relay.stop();
    await up.disconnect();

    // Assert 2: all five, once each, in version order across three batches, keyed by the aggregate
    const reader = new TopicReader([`${prefix}${TOPICS.repEvents}`]);
    await reader.start();
    await waitFor(() => reader.messages.length >= 5, { timeoutMs: 15_000, what: 'five published events' });
    await reader.stop();
    expect(reader.parsed<any>().map(({ event }) => event.data.version)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(reader.messages.map((message) => message.key))).toEqual(new Set([repId]));
    expect(await dataSource.query('SELECT count(*)::int AS count FROM outbox WHERE last_error IS NOT NULL')).toEqual([{ count: 0 }]);
  });
});
