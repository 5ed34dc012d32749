import { context, propagation } from '@opentelemetry/api';
import type { CloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { type PersonalFields, sealOutboxEntries } from './personal-data';

export interface OutboxEntry {
  topic: string;
  aggregateType: string;
  event: CloudEvent;
  // Personal fields to publish only encrypted with the subject's key (the writing database needs personal_data_key).
  personal?: PersonalFields;
}

// Written in the business transaction, so an event exists exactly when its change committed.
// Six bind parameters per event: chunks keep each INSERT far below PostgreSQL's limit of 65,535, in the given order.
const OUTBOX_CHUNK = 1_000;

// The active trace context as CloudEvents distributed-tracing attributes; empty (and free) when nothing is traced,
// since the global propagator is a no-op until tracing is started.
function traceAttributes(): Pick<CloudEvent, 'traceparent' | 'tracestate'> {
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) } : {};
}

export async function appendToOutbox(manager: EntityManager, unsealed: OutboxEntry[]): Promise<void> {
  const trace = traceAttributes();
  const entries = await sealOutboxEntries(manager, unsealed);
  for (let start = 0; start < entries.length; start += OUTBOX_CHUNK) {
    const values: unknown[] = [];
    const rows = entries.slice(start, start + OUTBOX_CHUNK).map((entry, index) => {
      const base = index * 6;
      values.push(entry.event.id, entry.aggregateType, entry.event.subject, entry.event.type, entry.topic, JSON.stringify({ ...entry.event, ...trace }));
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}::jsonb)`;
    });
    await manager.query(`INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload) VALUES ${rows.join(', ')}`, values);
  }
}

export interface OutboxRecord {
  seq: string;
  id: string;
  aggregateId: string;
  type: string;
  topic: string;
  payload: CloudEvent;
}
