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

// One outbox row's values in column order (OUTBOX_COLUMNS), the event sealed and stamped with the active trace.
export type OutboxRowValues = [id: string, aggregateType: string, aggregateId: string, type: string, topic: string, payload: string];

export const OUTBOX_COLUMNS = 'id, aggregatetype, aggregateid, type, topic, payload';

// The rows appendToOutbox would write, for a caller that inserts them inside a larger statement (a move's CTE writes
// them only when its compare-and-set took). Sealing may read and create personal data keys.
export async function outboxRows(manager: EntityManager, unsealed: readonly OutboxEntry[]): Promise<OutboxRowValues[]> {
  const trace = traceAttributes();
  const entries = await sealOutboxEntries(manager, unsealed);
  return entries.map((entry) => [
    entry.event.id,
    entry.aggregateType,
    entry.event.subject,
    entry.event.type,
    entry.topic,
    JSON.stringify({ ...entry.event, ...trace }),
  ]);
}

// A VALUES list of rows with typed placeholders, numbered from `first` (e.g. 1 for a statement of its own).
export function outboxValuesSql(rows: readonly OutboxRowValues[], first: number): string {
  return rows
    .map((_row, index) => {
      const base = first + index * 6;
      return `($${base}::uuid, $${base + 1}::text, $${base + 2}::text, $${base + 3}::text, $${base + 4}::text, $${base + 5}::jsonb)`;
    })
    .join(', ');
}

export async function appendToOutbox(manager: EntityManager, unsealed: OutboxEntry[]): Promise<void> {
  const rows = await outboxRows(manager, unsealed);
  for (let start = 0; start < rows.length; start += OUTBOX_CHUNK) {
    const chunk = rows.slice(start, start + OUTBOX_CHUNK);
    await manager.query(`INSERT INTO outbox (${OUTBOX_COLUMNS}) VALUES ${outboxValuesSql(chunk, 1)}`, chunk.flat());
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
