import type { EntityManager } from 'typeorm';

// Marks an event as handled by a consumer inside the effect's transaction; false means it was handled before.
export async function claimEvent(manager: EntityManager, consumer: string, eventId: string, eventType: string): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO processed_event (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventId, eventType],
  );
  return inserted.length > 0;
}

// The chunk form: one statement claims every event of a chunk; returns the ids this call claimed.
export async function claimEvents(manager: EntityManager, consumer: string, events: ReadonlyArray<{ id: string; type: string }>): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const inserted: Array<{ event_id: string }> = await manager.query(
    `INSERT INTO processed_event (consumer, event_id, event_type)
     SELECT $1, e.id, e.type FROM unnest($2::text[], $3::text[]) AS e(id, type)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, events.map((event) => event.id), events.map((event) => event.type)],
  );
  return new Set(inserted.map((row) => row.event_id));
}

// A business rule refused the event's effect: remember that, so a redelivery does not try again.
export async function recordRejectedEvent(manager: EntityManager, consumer: string, eventId: string, eventType: string, detail: string): Promise<void> {
  await manager.query(
    `INSERT INTO processed_event (consumer, event_id, event_type, outcome, detail) VALUES ($1, $2, $3, 'REJECTED', $4) ON CONFLICT DO NOTHING`,
    [consumer, eventId, eventType, detail.slice(0, 2000)],
  );
}
