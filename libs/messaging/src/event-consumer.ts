import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { isDomainError } from '@pipeline/domain';
import { deadLetterTopic, parseCloudEvent, type AnyPipelineEvent, type EventDataMap, type EventType, type TypedCloudEvent } from '@pipeline/events';
import { claimEvent, isTransientDatabaseError, recordRejectedEvent } from '@pipeline/persistence';
import { ensureTopics, prefixedTopic, type Kafka, type KafkaSettings } from './kafka';

export type EventHandler<T extends EventType = EventType> = (event: TypedCloudEvent<T>, manager: EntityManager) => Promise<void>;
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
    await ensureTopics(kafka, [...fullTopics, ...fullTopics.map(deadLetterTopic)].map((topic) => ({ topic })));
    this.dlqProducer = kafka.producer({ allowAutoTopicCreation: false });
    await this.dlqProducer.connect();
    // Group ids share the topic prefix, so isolated stacks on one broker never join each other's groups.
    const consumer = kafka.consumer({ groupId: prefixedTopic(settings, groupId), sessionTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 1_000, retry: { retries: 10 } });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      this.options.logger.error('consumer crashed; kafkajs restarts it', { groupId, error: String(event.payload.error) });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: fullTopics, fromBeginning });
    await consumer.run({ eachBatchAutoResolve: false, autoCommitInterval: 1_000, eachBatch: (payload) => this.handleBatch(payload) });
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
    for (const message of batch.messages) {
      if (!this.running || !isRunning() || isStale()) return;
      const done = await this.handleMessage(batch.topic, batch.partition, message, heartbeat);
      if (!done) return;
      resolveOffset(message.offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  // Returns false when stopping before the message was settled, so its offset is not committed.
  private async handleMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<boolean> {
    const parsed = parseCloudEvent(message.value);
    if (!parsed.ok) {
      await this.deadLetter(topic, partition, message, parsed.reason);
      return true;
    }
    const event = parsed.event;
    const handler = this.options.handlers[event.type] as EventHandler | undefined;
    if (!handler) {
      this.stats.ignored += 1;
      return true;
    }
    const { maxAttempts = 5 } = this.options;
    let failures = 0;
    let backoff = 200;
    while (this.running) {
      try {
        await this.apply(event, handler);
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

  private async apply(event: AnyPipelineEvent, handler: EventHandler): Promise<void> {
    const { dataSource, consumerName } = this.options;
    const applied = await dataSource.transaction(async (manager) => {
      if (!(await claimEvent(manager, consumerName, event.id, event.type))) return false;
      await handler(event as TypedCloudEvent<EventType>, manager);
      return true;
    });
    if (applied) this.stats.applied += 1;
    else this.stats.duplicates += 1;
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
            'x-dlq-consumer-group': this.options.groupId,
          },
        },
      ],
    });
  }
}

export type { EventDataMap };
