import { randomUUID } from 'node:crypto';

import { topicOffsets } from '@pipeline/dev-infra';
import { type CloudEvent, TOPICS } from '@pipeline/events';
import { createDataSource, createPersonalDataKeyTable, dataKeysFor, destroyDataKey, openPersonalData } from '@pipeline/persistence';
import {
  createTestDatabase,
  deleteTopicsWithPrefix,
  publishEvents,
  testKafkaBrokers,
  testTopicPrefix,
  TopicReader,
  waitFor,
  waitForTopicLeaders,
} from '@pipeline/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';

import type { KeyOwner } from './history-redaction';
import { COPY_HEADER, redactHistory } from './redact-history';

const owners: KeyOwner[] = ['lead', 'deal', 'engagement'];
const topics = [TOPICS.leadEvents, TOPICS.dealEvents, TOPICS.taskEvents];

const event = (type: string, subject: string, data: Record<string, unknown>): CloudEvent =>
  ({
    specversion: '1.0',
    id: randomUUID(),
    source: '/before-sealing',
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  }) as CloudEvent;

// Events as the services published them before personal fields were sealed.
function oldHistory(ada: string, grace: string, opportunityId: string) {
  const lead = (leadId: string, name: string, extra: Record<string, unknown> = {}) => ({
    leadId,
    version: 1,
    lead: { name, email: `${name.split(' ')[0].toLowerCase()}@example.com`, sourceDetail: `met ${name}`, company: 'Acme', opportunityId: null, ...extra },
  });
  return [
    { topic: TOPICS.leadEvents, event: event('sales.lead.created.v1', ada, lead(ada, 'Ada Lovelace')) },
    { topic: TOPICS.leadEvents, event: event('sales.lead.created.v1', grace, lead(grace, 'Grace Hopper')) },
    { topic: TOPICS.leadEvents, event: event('sales.lead.converted.v1', ada, { ...lead(ada, 'Ada Lovelace', { opportunityId }), opportunityId }) },
    {
      topic: TOPICS.dealEvents,
      event: event('sales.deal.commitment_recorded.v1', opportunityId, { opportunityId, dealId: randomUUID(), contactName: 'Ada Lovelace', type: 'VERBAL' }),
    },
    { topic: TOPICS.dealEvents, event: event('sales.deal.closed.v1', opportunityId, { opportunityId, dealId: randomUUID(), outcome: 'WON', closeNote: null }) },
    { topic: TOPICS.taskEvents, event: event('sales.task.created.v1', randomUUID(), { taskId: randomUUID(), leadId: grace, title: 'Call Grace Hopper' }) },
    {
      topic: TOPICS.taskEvents,
      event: event('sales.task.created.v1', randomUUID(), { taskId: randomUUID(), leadId: null, opportunityId, title: 'Send terms' }),
    },
  ];
}

describe('redactHistory (real Kafka, real PostgreSQL)', () => {
  let prefix: string;
  let kafka: Kafka;
  const keys = {} as Record<KeyOwner, DataSource>;
  const drops: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    prefix = testTopicPrefix('redact-history');
    kafka = new Kafka({ clientId: 'redact-history-spec', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // kafkajs' own wait for leaders gives up on the "does not host this topic-partition" a busy KRaft broker answers at first.
    await admin.createTopics({ topics: topics.map((topic) => ({ topic: `${prefix}${topic}`, numPartitions: 3 })), waitForLeaders: false });
    await admin.disconnect();
    await waitForTopicLeaders(
      kafka,
      topics.map((topic) => `${prefix}${topic}`),
    );
    for (const owner of owners) {
      const database = await createTestDatabase(`redact-${owner}`);
      keys[owner] = createDataSource({ url: database.url, entities: [], migrations: [], applicationName: 'redact-history-spec' });
      await keys[owner].initialize();
      const runner = keys[owner].createQueryRunner();
      await createPersonalDataKeyTable(runner);
      await runner.release();
      drops.push(async () => {
        await keys[owner].destroy();
        await database.drop();
      });
    }
  });

  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
    await deleteTopicsWithPrefix(prefix);
  });

  const readAll = async (expected: number) => {
    const reader = new TopicReader(topics.map((topic) => `${prefix}${topic}`));
    await reader.start();
    try {
      await waitFor(() => reader.messages.length >= expected, { timeoutMs: 20_000, what: `${expected} messages` });
      return reader.messages;
    } finally {
      await reader.stop();
    }
  };
  const run = (apply: boolean) => redactHistory({ brokers: testKafkaBrokers().split(','), topicPrefix: prefix, keys, apply });
  // Each partition's event ids in offset order.
  const ids = (messages: Array<{ topic: string; partition: number; offset: string; value: string | null }>) => {
    const byPartition = new Map<string, Array<{ offset: bigint; id: string }>>();
    for (const message of messages) {
      const key = `${message.topic}/${message.partition}`;
      byPartition.set(key, [...(byPartition.get(key) ?? []), { offset: BigInt(message.offset), id: (JSON.parse(message.value ?? '{}') as { id: string }).id }]);
    }
    return Object.fromEntries([...byPartition].map(([key, entries]) => [key, entries.sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((entry) => entry.id)]));
  };

  it('seals every plain personal field on the topics with its owner’s key, drops an erased person’s, and keeps every event in order', async () => {
    // Arrange
    const [ada, grace, opportunityId] = [randomUUID(), randomUUID(), randomUUID()];
    const history = oldHistory(ada, grace, opportunityId);
    await publishEvents(prefix, history);
    await destroyDataKey(keys.lead.manager, grace, new Date());
    const before = await readAll(history.length);

    // Act
    const dryRun = await run(false);
    const applied = await run(true);

    // Assert
    expect(dryRun.reduce((sum, partition) => sum + partition.redacted, 0)).toBe(5);
    expect(dryRun.every((partition) => partition.copied === 0 && partition.startsAt === null)).toBe(true);
    expect(applied.reduce((sum, partition) => sum + partition.redacted, 0)).toBe(5);
    const after = await readAll(history.length);
    expect(after).toHaveLength(history.length);
    expect(ids(after)).toEqual(ids(before));
    const text = after.map((message) => `${message.key} ${message.value} ${JSON.stringify(message.headers)}`).join('\n');
    for (const plain of ['Ada Lovelace', 'ada@example.com', 'Grace Hopper', 'grace@example.com', 'Call Grace']) expect(text).not.toContain(plain);
    expect(text).toContain('Send terms');

    const data = (type: string, subject: string) =>
      after.map((message) => JSON.parse(message.value ?? '{}') as CloudEvent).find((parsed) => parsed.type === type && parsed.subject === subject)
        ?.data as Record<string, any>;
    const adaKey = (await dataKeysFor(keys.lead.manager, [ada])).get(ada) as Buffer;
    expect(openPersonalData(adaKey, data('sales.lead.converted.v1', ada).lead.personal)).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      sourceDetail: 'met Ada Lovelace',
    });
    expect(data('sales.lead.created.v1', grace).lead).toMatchObject({ name: '', email: null, sourceDetail: null });
    expect(data('sales.lead.created.v1', grace).lead.personal).toBeUndefined();
    const commitmentKey = (await dataKeysFor(keys.deal.manager, [ada])).get(ada) as Buffer;
    expect(openPersonalData(commitmentKey, data('sales.deal.commitment_recorded.v1', opportunityId).personal)).toEqual({ contactName: 'Ada Lovelace' });
    const task = after
      .map((message) => JSON.parse(message.value ?? '{}') as CloudEvent)
      .find((parsed) => parsed.type === 'sales.task.created.v1' && (parsed.data as { leadId?: string }).leadId === grace);
    const graceTaskKey = (await dataKeysFor(keys.engagement.manager, [grace])).get(grace) as Buffer;
    expect(openPersonalData(graceTaskKey, (task?.data as { personal: never }).personal)).toEqual({ title: 'Call Grace Hopper' });
    for (const partition of applied.filter((outcome) => outcome.copied > 0)) {
      const records = after.filter((message) => message.topic === partition.topic && message.partition === partition.partition);
      expect(records.every((message) => message.headers[COPY_HEADER] !== undefined)).toBe(true);
    }
  });

  it('leaves a migrated topic and the events published after it alone when run again', async () => {
    // Arrange
    const [ada, grace, opportunityId] = [randomUUID(), randomUUID(), randomUUID()];
    const history = oldHistory(ada, grace, opportunityId);
    await publishEvents(prefix, history);
    await run(true);
    const later = { topic: TOPICS.taskEvents, event: event('sales.task.created.v1', randomUUID(), { taskId: randomUUID(), leadId: null, title: 'Later' }) };
    await publishEvents(prefix, [later]);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = async () => Promise.all(topics.map((topic) => topicOffsets(admin, `${prefix}${topic}`)));
    const before = await offsets();

    // Act
    const again = await run(true);

    // Assert
    expect(again.every((partition) => partition.copied === 0 && partition.startsAt === null)).toBe(true);
    expect(await offsets()).toEqual(before);
    await admin.disconnect();
    expect(await readAll(history.length + 1)).toHaveLength(history.length + 1);
  });
});
