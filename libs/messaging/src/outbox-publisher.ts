import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { CLOUDEVENTS_CONTENT_TYPE } from '@pipeline/events';
import type { OutboxRecord } from '@pipeline/persistence';
import type { Producer } from 'kafkajs';

import { startProducerSpan } from './event-tracing';
import { createIdempotentProducer, ensureTopics, type Kafka, type KafkaSettings, prefixedTopic } from './kafka';

// Sends outbox rows as CloudEvents (structured mode), keyed by aggregate id; awaited, so the relay marks only what Kafka acknowledged.
export class OutboxPublisher {
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  // Topics known to exist: a service that booted while Kafka was down creates them on its first publish instead.
  private readonly ensured = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: Pick<KafkaSettings, 'topicPrefix'>,
  ) {}

  async publish(records: OutboxRecord[]): Promise<void> {
    const producer = await this.connect();
    // One batch request; per partition the messages keep the outbox order.
    const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
    const spans: Span[] = [];
    for (const record of records) {
      const topic = prefixedTopic(this.settings, record.topic);
      const messages = byTopic.get(topic) ?? [];
      const traced = startProducerSpan(record.payload, topic);
      if (traced) spans.push(traced.span);
      messages.push({
        key: record.aggregateId,
        value: JSON.stringify(record.payload),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: record.id, ce_type: record.type, ...traced?.headers },
      });
      byTopic.set(topic, messages);
    }
    const unknown = [...byTopic.keys()].filter((topic) => !this.ensured.has(topic));
    if (unknown.length > 0) {
      await ensureTopics(
        this.kafka,
        unknown.map((topic) => ({ topic })),
      );
      for (const topic of unknown) this.ensured.add(topic);
    }
    try {
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      // A broken producer is rebuilt on the next attempt rather than reused.
      await this.disconnect();
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    this.connecting = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    if (!this.connecting) {
      const producer = createIdempotentProducer(this.kafka);
      this.connecting = producer.connect().then(
        () => {
          this.producer = producer;
          return producer;
        },
        (error) => {
          this.connecting = null;
          throw error;
        },
      );
    }
    return this.connecting;
  }
}

// The broker refuses this record for good (too large for the topic, invalid, not allowed): a protocol error that
// kafkajs will not retry. A broker that is away surfaces as connection errors or retries exhausted instead.
export function isRecordRefused(error: unknown): boolean {
  const candidate = error as { name?: string; retriable?: boolean } | null;
  return candidate?.name === 'KafkaJSProtocolError' && candidate.retriable === false;
}
