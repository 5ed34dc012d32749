import type { EntityManager } from 'typeorm';

// Marks an event as handled by a consumer inside the effect's transaction; false means it was handled before.
export async function claimEvent(manager: EntityManager, consumer: string, eventId: string, eventType: string): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO processed_event (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventId, eventType],
  );
  return inserted.length > 0;
}

// A business rule refused the event's effect: remember that, so a redelivery does not try again.
export async function recordRejectedEvent(manager: EntityManager, consumer: string, eventId: string, eventType: string, detail: string): Promise<void> {
  await manager.query(
    `INSERT INTO processed_event (consumer, event_id, event_type, outcome, detail) VALUES ($1, $2, $3, 'REJECTED', $4) ON CONFLICT DO NOTHING`,
    [consumer, eventId, eventType, detail.slice(0, 2000)],
  );
}
