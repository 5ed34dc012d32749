import { isDomainError } from '@pipeline/domain';
import { type AnyPipelineEvent, deadLetterTopic, type EventDataMap, type EventType, parseCloudEvent, type TypedCloudEvent } from '@pipeline/events';
import { claimEvent, claimEvents, isTransientDatabaseError, recordRejectedEvent } from '@pipeline/persistence';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';

import { withConsumerSpan } from './event-tracing';
import { ensureTopics, type Kafka, type KafkaSettings, prefixedTopic } from './kafka';

// Lets handlers defer set-based work to the end of the chunk they are applied in (still inside its transaction):
// values collected under one name are flushed together once, e.g. one rebuild for every opportunity a chunk touched.
export interface ChunkContext {
  collect<T>(name: string, value: T, flush: (manager: EntityManager, values: T[]) => Promise<void>): void;
}

export type EventHandler<T extends EventType = EventType> = (event: TypedCloudEvent<T>, manager: EntityManager, chunk: ChunkContext) => Promise<void>;

// The consumer's own collector; tests of handlers use it to apply events exactly as one chunk is applied.
export class ChunkCollector implements ChunkContext {
  private readonly groups = new Map<string, { values: unknown[]; flush: (manager: EntityManager, values: unknown[]) => Promise<void> }>();

  collect<T>(name: string, value: T, flush: (manager: EntityManager, values: T[]) => Promise<void>): void {
    const group = this.groups.get(name) ?? { values: [], flush: flush as (manager: EntityManager, values: unknown[]) => Promise<void> };
    group.values.push(value);
    this.groups.set(name, group);
  }

  async flush(manager: EntityManager): Promise<void> {
    for (const group of this.groups.values()) await group.flush(manager, group.values);
    this.groups.clear();
  }
}
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface EventConsumerLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  settings: Pick<KafkaSettings, 'topicPrefix'>;
  groupId: string;
  // The name under which processed events are remembered (dedupe key with the event id).
  consumerName: string;
  topics: string[];
  dataSource: DataSource;
  handlers: EventHandlers;
  logger: EventConsumerLogger;
  maxAttempts?: number;
  fromBeginning?: boolean;
  // Events applied per database transaction.
  chunkSize?: number;
  // Bytes fetched per partition in one request (kafkajs's default is 1 MB); larger ones let a chunk fill up.
  maxBytesPerPartition?: number;
  // Partitions whose batches are applied side by side (kafkajs keeps each partition in order); 1 by default. Handlers
  // must then tolerate transactions of other partitions running beside theirs.
  partitionsConsumedConcurrently?: number;
  // Told of every committed transaction of events (a chunk, or one event on the slow path), for lag and duration metrics.
  onApplied?: (applied: AppliedEvents) => void;
}

export interface AppliedEvents {
  // The topic without the deployment's prefix, so metrics labels stay the same few names.
  topic: string;
  events: AnyPipelineEvent[];
  transactionMs: number;
  committedAt: number;
}

interface WorkItem {
  event: AnyPipelineEvent;
  handler: EventHandler;
  message: KafkaMessage;
}

export interface EventConsumerStats {
  applied: number;
  duplicates: number;
  rejected: number;
  deadLettered: number;
  ignored: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// At-least-once delivery made exactly-once in effect: the dedupe row and the effect commit together.
export class EventConsumer {
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private running = false;
  private joined = false;
  readonly stats: EventConsumerStats = { applied: 0, duplicates: 0, rejected: 0, deadLettered: 0, ignored: 0 };

  constructor(private readonly options: EventConsumerOptions) {}

  get ready(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    const { kafka, settings, groupId, topics, fromBeginning = true } = this.options;
    this.running = true;
    const fullTopics = topics.map((topic) => prefixedTopic(settings, topic));
    await ensureTopics(
      kafka,
      [...fullTopics, ...fullTopics.map(deadLetterTopic)].map((topic) => ({ topic })),
    );
    // stop() may have run during any await here; starting on regardless would leave an orphan group member. The
    // clients are closed through local references: a concurrent stop() has already let go of the fields.
    if (!this.running) return;
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    this.dlqProducer = producer;
    let consumer: Consumer | null = null;
    const abandon = async () => {
      await consumer?.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    };
    await producer.connect();
    if (!this.running) return abandon();
    // Group ids share the topic prefix, so isolated stacks on one broker never join each other's groups.
    const { maxBytesPerPartition = 1_048_576 } = this.options;
    const member = kafka.consumer({
      groupId: prefixedTopic(settings, groupId),
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 1_000,
      maxBytesPerPartition,
      maxBytes: Math.max(10_485_760, 2 * maxBytesPerPartition),
      retry: { retries: 10 },
    });
    consumer = member;
    this.consumer = member;
    member.on(member.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    member.on(member.events.CRASH, (event) => {
      this.joined = false;
      this.options.logger.error('consumer crashed; kafkajs restarts it', { groupId, error: String(event.payload.error) });
    });
    await member.connect();
    if (!this.running) return abandon();
    await member.subscribe({ topics: fullTopics, fromBeginning });
    await member.run({
      eachBatchAutoResolve: false,
      autoCommitInterval: 1_000,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    if (!this.running) await abandon();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.joined = false;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.dlqProducer = null;
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const { chunkSize = 100 } = this.options;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!this.running || !isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      const work = await this.triage(batch.topic, batch.partition, chunk);
      // One transaction for the chunk (one commit instead of one per event); if it fails for any reason, a business
      // refusal included, the chunk is applied again event by event, with retries, recorded refusals and the dead-letter topic.
      if (!(await this.applyChunk(batch.topic, work))) {
        for (const item of work) {
          if (!(await this.applyWithRetries(batch.topic, batch.partition, item, heartbeat))) return;
        }
      }
      resolveOffset(chunk[chunk.length - 1].offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  // Poison messages go to the dead-letter topic; events nobody here handles are skipped; the rest is work.
  private async triage(topic: string, partition: number, messages: KafkaMessage[]): Promise<WorkItem[]> {
    const work: WorkItem[] = [];
    for (const message of messages) {
      const parsed = parseCloudEvent(message.value);
      if (!parsed.ok) {
        await this.deadLetter(topic, partition, message, parsed.reason);
        continue;
      }
      const handler = this.options.handlers[parsed.event.type] as EventHandler | undefined;
      if (!handler) {
        this.stats.ignored += 1;
        continue;
      }
      work.push({ event: parsed.event, handler, message });
    }
    return work;
  }

  // One transaction and one claim statement for the chunk. Any failure, a business refusal included, rolls the whole
  // chunk back (collected values too) and the caller applies it event by event, where refusals are recorded.
  // Traced: the chunk's transaction runs in one consumer span, child of its first traced event, linked to the others.
  private async applyChunk(topic: string, work: WorkItem[]): Promise<boolean> {
    if (work.length === 0) return true;
    const { dataSource, consumerName } = this.options;
    const outcome = { applied: [] as AnyPipelineEvent[], duplicates: 0 };
    const traced = work.map(({ event, message }) => ({ event, headers: message.headers }));
    const began = performance.now();
    try {
      await withConsumerSpan(topic, traced, () =>
        dataSource.transaction(async (manager) => {
          const claimed = await claimEvents(
            manager,
            consumerName,
            work.map(({ event }) => event),
          );
          const chunk = new ChunkCollector();
          for (const { event, handler } of work) {
            // delete: an event id twice in one chunk (a relay re-send) is applied once
            if (!claimed.delete(event.id)) {
              outcome.duplicates += 1;
              continue;
            }
            await handler(event as TypedCloudEvent<EventType>, manager, chunk);
            outcome.applied.push(event);
          }
          await chunk.flush(manager);
        }),
      );
    } catch (error) {
      const log = isDomainError(error) ? this.options.logger.info : this.options.logger.warn;
      log.call(this.options.logger, 'a chunk of events was not applied as a whole; applying them one by one', { error: (error as Error).message });
      return false;
    }
    this.stats.applied += outcome.applied.length;
    this.stats.duplicates += outcome.duplicates;
    if (outcome.applied.length > 0) this.reportApplied(topic, outcome.applied, began);
    return true;
  }

  private reportApplied(topic: string, events: AnyPipelineEvent[], began: number): void {
    const { onApplied, settings } = this.options;
    if (!onApplied) return;
    const prefix = settings.topicPrefix ?? '';
    onApplied({
      topic: prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic,
      events,
      transactionMs: performance.now() - began,
      committedAt: Date.now(),
    });
  }

  // Returns false when stopping before the event was settled, so its offset is not committed.
  private async applyWithRetries(topic: string, partition: number, { event, handler, message }: WorkItem, heartbeat: () => Promise<void>): Promise<boolean> {
    const { maxAttempts = 5 } = this.options;
    let failures = 0;
    let backoff = 200;
    while (this.running) {
      try {
        const began = performance.now();
        if (await withConsumerSpan(topic, [{ event, headers: message.headers }], () => this.apply(event, handler))) this.reportApplied(topic, [event], began);
        return true;
      } catch (error) {
        if (isDomainError(error)) {
          await this.recordRejection(event, `${error.code}: ${error.message}`);
          return true;
        }
        if (!isTransientDatabaseError(error)) failures += 1;
        if (failures >= maxAttempts) {
          await this.deadLetter(topic, partition, message, `handler failed ${failures} times: ${(error as Error).message}`);
          return true;
        }
        this.options.logger.warn('event handling failed; retrying', { type: event.type, id: event.id, error: (error as Error).message });
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
        await heartbeat().catch(() => undefined);
      }
    }
    return false;
  }

  // True when this call applied the event, false when an earlier delivery had.
  private async apply(event: AnyPipelineEvent, handler: EventHandler): Promise<boolean> {
    const { dataSource, consumerName } = this.options;
    const applied = await dataSource.transaction(async (manager) => {
      if (!(await claimEvent(manager, consumerName, event.id, event.type))) return false;
      const chunk = new ChunkCollector();
      await handler(event as TypedCloudEvent<EventType>, manager, chunk);
      await chunk.flush(manager);
      return true;
    });
    if (applied) this.stats.applied += 1;
    else this.stats.duplicates += 1;
    return applied;
  }

  private async recordRejection(event: AnyPipelineEvent, detail: string): Promise<void> {
    this.stats.rejected += 1;
    this.options.logger.warn('event refused by a business rule', { type: event.type, id: event.id, detail });
    await this.options.dataSource.transaction((manager) => recordRejectedEvent(manager, this.options.consumerName, event.id, event.type, detail));
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    this.stats.deadLettered += 1;
    this.options.logger.warn('dead-lettering a message', { topic, partition, offset: message.offset, reason });
    await this.dlqProducer?.send({
      topic: deadLetterTopic(topic),
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            'x-dlq-reason': reason.slice(0, 1_000),
            'x-dlq-original-topic': topic,
            'x-dlq-original-partition': String(partition),
            'x-dlq-original-offset': message.offset,
            'x-dlq-consumer-group': prefixedTopic(this.options.settings, this.options.groupId),
          },
        },
      ],
    });
  }
}

export type { EventDataMap };
