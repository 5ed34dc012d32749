import { createCloudEvent, TOPICS } from '@pipeline/events';
import {
  appendToOutbox,
  createDataSource,
  discardParkedOutboxRow,
  initializeDataSource,
  listParkedOutboxRows,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  retryParkedOutboxRows,
} from '@pipeline/persistence';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix, TopicReader, waitFor } from '@pipeline/test-infra';
import type { DataSource } from 'typeorm';

import { createKafka } from './kafka';
import { isRecordRefused, OutboxPublisher } from './outbox-publisher';

const repEvent = (repId: string, version: number, name = 'Ada') =>
  createCloudEvent({
    type: 'sales.rep.updated.v1',
    source: '/test',
    subject: repId,
    data: { repId, name, email: 'ada@example.com', role: 'REP', teamId: null, active: true, version },
  });

describe('transactional outbox and relay', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase('outbox');
    dataSource = await initializeDataSource(
      createDataSource({ url: database.url, entities: [], migrations: MESSAGING_MIGRATIONS, applicationName: 'outbox-test' }),
    );
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

  it('parks a record the broker refuses for good, lets other aggregates flow, and holds its own aggregate behind it until an operator acts', async () => {
    // Arrange: rep A's first event is larger than the broker accepts (1 MB); B's events and A's second are fine
    const prefix = testTopicPrefix('outbox-parking');
    const [repA, repB] = ['0a1b2c3d-0000-4000-8000-00000000000a', '0a1b2c3d-0000-4000-8000-00000000000b'];
    const events = [repEvent(repA, 1, 'x'.repeat(1_200_000)), repEvent(repB, 1), repEvent(repA, 2), repEvent(repB, 2)];
    for (const event of events) await dataSource.transaction((manager) => appendToOutbox(manager, [{ topic: TOPICS.repEvents, aggregateType: 'rep', event }]));
    const publisher = new OutboxPublisher(createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'parking', topicPrefix: prefix }), {
      topicPrefix: prefix,
    });
    const relay = new OutboxRelay({ dataSource, databaseUrl: database.url, publish: (records) => publisher.publish(records), isRecordRefused, maxRefusals: 2 });
    const reader = new TopicReader([`${prefix}${TOPICS.repEvents}`]);
    const delivered = () => reader.parsed<any>().map(({ event }) => `${event.subject === repA ? 'A' : 'B'}${event.data.version}`);

    // Act 1: two passes refuse A1 twice (parked on the second); B flows on the first
    const firstPass = await relay.flushOnce();
    const secondPass = await relay.flushOnce();
    const thirdPass = await relay.flushOnce();
    const parked = await listParkedOutboxRows(dataSource);
    const counts = { pending: await relay.pendingCount(), parked: await relay.parkedCount() };

    // Act 2: an operator retries it (refused again, not yet parked), then discards it: A2 follows
    const retried = await retryParkedOutboxRows(dataSource, 'all');
    const afterRetry = await relay.flushOnce();
    const refusalsAfterRetry = (await dataSource.query('SELECT refusals, parked_at FROM outbox WHERE id = $1', [events[0].id]))[0];
    await relay.flushOnce();
    const discarded = await discardParkedOutboxRow(dataSource, events[0].id, 'Oversized test record');
    const afterDiscard = await relay.flushOnce();
    await publisher.disconnect();
    await reader.start();
    await waitFor(() => reader.messages.length >= 3, { timeoutMs: 15_000, what: 'three published events' });
    await reader.stop();

    // Assert
    expect([firstPass, secondPass, thirdPass]).toEqual([2, 0, 0]);
    expect(parked).toEqual([
      expect.objectContaining({ id: events[0].id, refusals: 2, heldBehind: 1, lastError: expect.stringMatching(/larger than the max message size/) }),
    ]);
    expect(parked[0].payloadBytes).toBeGreaterThan(1_200_000);
    expect(counts).toEqual({ pending: 1, parked: 1 });
    expect([retried, afterRetry, refusalsAfterRetry]).toEqual([1, 0, { refusals: 1, parked_at: null }]);
    expect([discarded, afterDiscard]).toEqual([true, 1]);
    expect(delivered().sort()).toEqual(['A2', 'B1', 'B2']);
    expect(delivered().filter((name) => name.startsWith('B'))).toEqual(['B1', 'B2']);
  });
});
