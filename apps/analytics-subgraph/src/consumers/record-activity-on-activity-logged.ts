import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';

// One row per activity; a redelivered activity is kept once.
export async function recordActivityOnActivityLogged(event: TypedCloudEvent<'sales.opportunity.activity_logged.v1'>, manager: EntityManager): Promise<void> {
  const { data } = event;
  await manager.query(
    `INSERT INTO activity_fact (activity_id, opportunity_id, type, occurred_at, owner_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_id) DO NOTHING`,
    [data.activityId, data.opportunityId, data.type, data.occurredAt, data.ownerId],
  );
}
