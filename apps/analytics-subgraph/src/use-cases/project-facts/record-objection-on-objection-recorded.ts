import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

// One row per objection; a redelivered one is kept once.
export async function recordObjectionOnObjectionRecorded(event: TypedCloudEvent<'sales.deal.objection_recorded.v1'>, manager: EntityManager): Promise<void> {
  const { data } = event;
  await manager.query(
    `INSERT INTO objection_fact (objection_id, opportunity_id, category, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT (objection_id) DO NOTHING`,
    [data.objectionId, data.opportunityId, data.category, data.occurredAt],
  );
}
