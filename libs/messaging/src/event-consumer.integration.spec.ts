import { randomUUID } from 'node:crypto';

import { conflict } from '@pipeline/domain';
import { createCloudEvent, deadLetterTopic, TOPICS } from '@pipeline/events';
import { createDataSource, initializeDataSource, MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix, TopicReader, waitFor, waitForTopicLeaders } from '@pipeline/test-infra';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';

import { type AppliedEvents, EventConsumer } from './event-consumer';
import { createKafka } from './kafka';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

const repEvent = (name: string) =>
  createCloudEvent({
    type: 'sales.rep.registered.v1',
    source: '/test',
    subject: randomUUID(),
    data: { repId: randomUUID(), name, email: `${name}@example.com`, role: 'REP', teamId: null, active: true, version: 1 },
  });

describe('idempotent event consumer', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let consumer: EventConsumer;
  let prefix: string;
  let reports: AppliedEvents[];
  const raw = new Kafka({ clientId: 'consumer-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });

  beforeEach(async () => {
    database = await createTestDatabase('consumer');
    dataSource = await initializeDataSource(
      createDataSource({ url: database.url, entities: [], migrations: MESSAGING_MIGRATIONS, applicationName: 'consumer-test' }),
    );
    await dataSource.query('CREATE TABLE seen (name text NOT NULL)');
    prefix = testTopicPrefix('consumer');
    reports = [];
    consumer = new EventConsumer({
      kafka: createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'consumer-test', topicPrefix: prefix }),
      settings: { topicPrefix: prefix },
      groupId: 'test-group',
      consumerName: 'test-group',
      topics: [TOPICS.repEvents],
      dataSource,
      logger: silent,
      onApplied: (applied) => reports.push(applied),
      handlers: {
        'sales.rep.registered.v1': async (event, manager, chunk) => {
          if (event.data.name.startsWith('collected-')) {
            chunk.collect('seen', event.data.name, (collector, names) => collector.query('INSERT INTO seen (name) SELECT unnest($1::text[])', [names]));
          }
          if (event.data.name.endsWith('refused')) throw conflict('a business rule refuses this one');
          if (event.data.name.startsWith('collected-')) return;
          await manager.query('INSERT INTO seen (name) VALUES ($1)', [event.data.name]);
        },
      },
    });
    await consumer.start();
  });

  afterEach(async () => {
    await consumer.stop();
    await dataSource.destroy();
    await database.drop();
  });

  async function produce(values: Array<string | null>, key = 'k'): Promise<void> {
    await waitForTopicLeaders(raw, [`${prefix}${TOPICS.repEvents}`]);
    const producer = raw.producer();
    await producer.connect();
    await producer.send({ topic: `${prefix}${TOPICS.repEvents}`, messages: values.map((value) => ({ key, value })) });
    await producer.disconnect();
  }

  const seen = async (): Promise<string[]> => (await dataSource.query('SELECT name FROM seen ORDER BY name')).map((row: { name: string }) => row.name);

  it('applies an event once however often it is delivered', async () => {
    // Arrange
    const event = JSON.stringify(repEvent('ada'));

    // Act
    await produce([event, event, event, JSON.stringify(repEvent('zed'))]);

    // Assert
    await waitFor(async () => (await seen()).includes('zed'), { what: 'the marker event' });
    expect(await seen()).toEqual(['ada', 'zed']);
    expect(consumer.stats).toMatchObject({ applied: 2, duplicates: 2 });
  });

  it('reports each committed transaction with the events it applied (not the duplicates) under the unprefixed topic', async () => {
    // Arrange
    const ada = repEvent('ada');
    const zed = repEvent('zed');

    // Act
    await produce([JSON.stringify(ada), JSON.stringify(ada), JSON.stringify(repEvent('refused')), JSON.stringify(zed)]);

    // Assert
    await waitFor(() => reports.some((report) => report.events.some((event) => event.id === zed.id)), { what: 'the marker event reported' });
    expect(reports.flatMap((report) => report.events.map((event) => event.id)).sort()).toEqual([ada.id, zed.id].sort());
    expect(reports.every((report) => report.topic === TOPICS.repEvents && report.transactionMs >= 0)).toBe(true);
    expect(reports.every((report) => report.events.every((event) => report.committedAt >= Date.parse(event.time)))).toBe(true);
  });

  it('sends poison messages to the dead-letter topic with the reason and keeps consuming', async () => {
    // Arrange
    const dlq = new TopicReader([deadLetterTopic(`${prefix}${TOPICS.repEvents}`)]);
    await dlq.start();
    const schemaInvalid = JSON.stringify({ ...repEvent('x'), data: { repId: 'not-a-uuid' } });
    const unknownType = JSON.stringify({ ...repEvent('y'), type: 'sales.rep.exploded.v1' });

    // Act
    await produce(['{not json', schemaInvalid, unknownType, null, JSON.stringify(repEvent('after-poison'))]);

    // Assert
    await waitFor(async () => (await seen()).includes('after-poison'), { what: 'the event after the poison' });
    await waitFor(() => dlq.messages.length === 4, { what: 'four dead letters' });
    await dlq.stop();
    expect(dlq.messages.map((message) => message.headers['x-dlq-reason'])).toEqual([
      expect.stringMatching(/invalid JSON/),
      expect.stringMatching(/schema violation/),
      expect.stringMatching(/unknown event type sales.rep.exploded.v1/),
      expect.stringMatching(/empty message/),
    ]);
    expect(dlq.messages[0].headers['x-dlq-original-topic']).toBe(`${prefix}${TOPICS.repEvents}`);
  });

  it('records a business refusal instead of retrying it forever, and goes on', async () => {
    // Act
    await produce([JSON.stringify(repEvent('refused')), JSON.stringify(repEvent('next'))]);

    // Assert
    await waitFor(async () => (await seen()).includes('next'), { what: 'the event after the refusal' });
    const [row] = await dataSource.query(`SELECT outcome, detail FROM processed_event WHERE outcome = 'REJECTED'`);
    expect(row).toMatchObject({ outcome: 'REJECTED', detail: expect.stringMatching(/^CONFLICT: a business rule refuses this one/) });
  });

  it('applies nothing a refused event collected, and everything its chunk neighbours collected', async () => {
    // Act: one chunk, where the middle event collects a value and is then refused
    await produce([JSON.stringify(repEvent('collected-a')), JSON.stringify(repEvent('collected-refused')), JSON.stringify(repEvent('collected-b'))]);

    // Assert
    await waitFor(async () => (await seen()).includes('collected-b'), { what: 'the last collected value' });
    expect(await seen()).toEqual(['collected-a', 'collected-b']);
    const refused = await dataSource.query(`SELECT count(*)::int AS count FROM processed_event WHERE outcome = 'REJECTED'`);
    expect(refused[0].count).toBe(1);
  });
});
