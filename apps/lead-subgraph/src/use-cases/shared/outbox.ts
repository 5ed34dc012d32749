import type { EntityManager } from 'typeorm';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';

// Six bind parameters per event: chunks keep each INSERT far below PostgreSQL's limit of 65,535.
const OUTBOX_CHUNK = 1_000;

export async function appendEventsInChunks(manager: EntityManager, events: OutboxEntry[]): Promise<void> {
  for (let start = 0; start < events.length; start += OUTBOX_CHUNK) await appendToOutbox(manager, events.slice(start, start + OUTBOX_CHUNK));
}
