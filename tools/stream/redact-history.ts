import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { topicOffsets } from '@pipeline/dev-infra';
import { TOPICS } from '@pipeline/events';
import { createDataSource, dataKeysFor, sealPersonalData, withEnvelope } from '@pipeline/persistence';
import { serviceDatabaseUrl } from '@pipeline/server-kit';
import { type Admin, type IHeaders, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import { type KeyOwner, planHistoryRedaction, TOPICS_WITH_PERSONAL_HISTORY } from './history-redaction';

// Takes plain-text personal fields out of the topics' history, which Kafka cannot rewrite in place: each partition's
// records are appended again, in order, with the fields sealed by the owner's key for that person (or dropped when the
// person was erased), then everything before the copies is deleted (DeleteRecords). Copies keep their event ids, so
// consumers that already read the originals skip them (every consumer dedupes on the id). Run it with the services'
// outbox relays stopped: a record produced meanwhile would land among the copies, and the run stops before deleting.
//
//   npm run stream:redact-history              # dry run: counts what would change
//   npm run stream:redact-history -- --apply
//
// KAFKA_BROKERS, KAFKA_TOPIC_PREFIX and the services' DATABASE_URL settings as for the services (the lead, deal and
// engagement databases hold the keys). A run that stopped halfway can be run again: it starts that partition over.
export const COPY_HEADER = 'pipeline-copy-of-offset';

export interface RedactHistoryOptions {
  brokers: string[];
  topicPrefix: string;
  keys: Record<KeyOwner, DataSource>;
  apply: boolean;
  log?: (line: string) => void;
}

export interface PartitionOutcome {
  topic: string;
  partition: number;
  records: number;
  redacted: number;
  copied: number;
  // The partition's first offset after the run (records before it were deleted); null when nothing was deleted.
  startsAt: string | null;
}

interface Source {
  offset: string;
  message: KafkaMessage;
}

const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString() : String(value);
};

// Reads one partition's records in [from, to) in order, in batches, with a consumer of its own that commits nothing.
async function readPartition(
  kafka: Kafka,
  topic: string,
  partition: number,
  from: string,
  to: string,
  each: (sources: Source[]) => Promise<void>,
): Promise<void> {
  if (BigInt(from) >= BigInt(to)) return;
  const consumer = kafka.consumer({ groupId: `redact-history-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  let finished = false;
  let failure: unknown = null;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset }) => {
          if (finished || batch.partition !== partition) return;
          const inRange = batch.messages.filter((message) => BigInt(message.offset) >= BigInt(from) && BigInt(message.offset) < BigInt(to));
          try {
            if (inRange.length > 0) await each(inRange.map((message) => ({ offset: message.offset, message })));
            const last = batch.messages.at(-1);
            if (last) resolveOffset(last.offset);
            if (last && BigInt(last.offset) + 1n >= BigInt(to)) {
              finished = true;
              resolve();
            }
          } catch (error) {
            failure = error;
            finished = true;
            resolve();
          }
        },
      });
    });
    consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic, partition, offset: from }));
    await done;
  } finally {
    await consumer.disconnect();
  }
  if (failure) throw failure;
}

type Parsed = { type: string; data: Record<string, unknown> } & Record<string, unknown>;

const parse = (message: KafkaMessage): Parsed | null => {
  try {
    const event = JSON.parse(message.value?.toString() ?? 'null') as Parsed | null;
    return event && typeof event.type === 'string' && typeof event.data === 'object' && event.data !== null ? event : null;
  } catch {
    return null;
  }
};

async function redactPartition(
  kafka: Kafka,
  admin: Admin,
  producer: Producer,
  options: RedactHistoryOptions,
  baseTopic: string,
  partition: number,
  leadOfOpportunity: Map<string, string>,
): Promise<PartitionOutcome> {
  const topic = `${options.topicPrefix}${baseTopic}`;
  const { low, high } = (await topicOffsets(admin, topic)).find((entry) => entry.partition === partition) ?? { low: '0', high: '0' };
  const outcome: PartitionOutcome = { topic, partition, records: 0, redacted: 0, copied: 0, startsAt: null };
  const plan = (event: Parsed | null) => {
    if (!event) return null;
    const lead = event.data.lead as { opportunityId?: unknown } | undefined;
    if (baseTopic === TOPICS.leadEvents && typeof lead?.opportunityId === 'string') leadOfOpportunity.set(lead.opportunityId, String(event.data.leadId));
    return planHistoryRedaction(baseTopic, event, (id) => leadOfOpportunity.get(id));
  };

  // A copy first means an earlier run finished here (deleting is its last step): later records were published sealed.
  let migrated = false;
  let copiesLeft = false;
  await readPartition(kafka, topic, partition, low, high, async (sources) => {
    for (const { offset, message } of sources) {
      const copy = headerText(message.headers, COPY_HEADER) !== undefined;
      if (offset === low && copy) migrated = true;
      if (migrated) {
        // Sealed copies still say which lead each opportunity came from.
        if (baseTopic === TOPICS.leadEvents) plan(parse(message));
        continue;
      }
      if (copy) copiesLeft = true;
      else {
        outcome.records += 1;
        if (plan(parse(message))) outcome.redacted += 1;
      }
    }
  });
  if (migrated || !options.apply || (outcome.redacted === 0 && !copiesLeft)) return outcome;

  // Every record that is not a copy, in order; copies an interrupted run left are dropped with the originals.
  await readPartition(kafka, topic, partition, low, high, async (sources) => {
    const originals = sources.filter(({ message }) => headerText(message.headers, COPY_HEADER) === undefined);
    const planned = originals.map(({ message }) => {
      const event = parse(message);
      return { event, redaction: plan(event) };
    });
    const keys = new Map<KeyOwner, Map<string, Buffer>>();
    for (const owner of ['lead', 'deal', 'engagement'] as const) {
      const subjects = planned.flatMap(({ redaction }) => (redaction?.owner === owner ? [redaction.subjectId] : []));
      if (subjects.length > 0) keys.set(owner, await dataKeysFor(options.keys[owner].manager, subjects));
    }
    const messages = originals.map(({ offset, message }, index) => {
      const { event, redaction } = planned[index];
      let value = message.value;
      if (event && redaction) {
        const key = keys.get(redaction.owner)?.get(redaction.subjectId);
        // An erased person's key is gone: the fields are dropped with no envelope, as the services publish now.
        const data = key ? withEnvelope(redaction.data, redaction.path, sealPersonalData(key, redaction.subjectId, redaction.fields)) : redaction.data;
        value = Buffer.from(JSON.stringify({ ...event, data }));
      }
      return { partition, key: message.key, value, headers: { ...message.headers, [COPY_HEADER]: offset } };
    });
    if (messages.length === 0) return;
    await producer.send({ topic, acks: -1, messages });
    outcome.copied += messages.length;
  });

  // Only this run's copies may follow the old records; anything else means a producer was running.
  const expectedHigh = (BigInt(high) + BigInt(outcome.copied)).toString();
  const after = (await topicOffsets(admin, topic)).find((entry) => entry.partition === partition);
  if (after?.high !== expectedHigh)
    throw new Error(
      `${topic}[${partition}] grew by records this run did not write (high ${after?.high}, expected ${expectedHigh}); nothing was deleted: stop the outbox relays and run again`,
    );
  await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: high }] });
  outcome.startsAt = high;
  return outcome;
}

export async function redactHistory(options: RedactHistoryOptions): Promise<PartitionOutcome[]> {
  const kafka = new Kafka({ clientId: 'redact-history', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  await producer.connect();
  const outcomes: PartitionOutcome[] = [];
  try {
    const existing = new Set(await admin.listTopics());
    // Lead events first: they say which lead each opportunity came from, whose key seals its commitments.
    const leadOfOpportunity = new Map<string, string>();
    for (const baseTopic of TOPICS_WITH_PERSONAL_HISTORY) {
      const topic = `${options.topicPrefix}${baseTopic}`;
      if (!existing.has(topic)) continue;
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      for (const { partitionId } of metadata.partitions.sort((a, b) => a.partitionId - b.partitionId)) {
        const outcome = await redactPartition(kafka, admin, producer, options, baseTopic, partitionId, leadOfOpportunity);
        options.log?.(
          `${outcome.topic}[${outcome.partition}]: ${outcome.records} records, ${outcome.redacted} with plain personal fields` +
            (options.apply ? `, ${outcome.copied} copied, starts at ${outcome.startsAt ?? 'the same offset'}` : ''),
        );
        outcomes.push(outcome);
      }
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
  return outcomes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { apply: { type: 'boolean', default: false } } });
  const owners: KeyOwner[] = ['lead', 'deal', 'engagement'];
  const sources = Object.fromEntries(
    owners.map((owner) => [
      owner,
      createDataSource({ url: serviceDatabaseUrl(owner), entities: [], migrations: [], applicationName: 'redact-history', poolSize: 2 }),
    ]),
  ) as Record<KeyOwner, DataSource>;
  await Promise.all(Object.values(sources).map((source) => source.initialize()));
  try {
    const outcomes = await redactHistory({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(','),
      topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
      keys: sources,
      apply: values.apply ?? false,
      log: console.log,
    });
    const redacted = outcomes.reduce((sum, outcome) => sum + outcome.redacted, 0);
    console.log(values.apply ? `done: ${redacted} records redacted` : `dry run: ${redacted} records would be redacted; run with --apply`);
  } finally {
    await Promise.all(Object.values(sources).map((source) => source.destroy()));
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
