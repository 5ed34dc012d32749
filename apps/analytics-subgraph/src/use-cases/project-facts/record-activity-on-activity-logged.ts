import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

interface ActivityRow {
  activityId: string;
  opportunityId: string;
  type: string;
  occurredAt: string;
  ownerId: string | null;
}

// One row per activity, one statement per chunk; a redelivered activity is kept once.
export async function recordActivityOnActivityLogged(
  event: TypedCloudEvent<'sales.opportunity.activity_logged.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  chunk.collect(
    'activities',
    { activityId: data.activityId, opportunityId: data.opportunityId, type: data.type, occurredAt: data.occurredAt, ownerId: data.ownerId },
    insertActivities,
  );
}

async function insertActivities(manager: EntityManager, rows: ActivityRow[]): Promise<void> {
  await manager.query(
    `INSERT INTO activity_fact (activity_id, opportunity_id, type, occurred_at, owner_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[]) ON CONFLICT (activity_id) DO NOTHING`,
    [
      rows.map((row) => row.activityId),
      rows.map((row) => row.opportunityId),
      rows.map((row) => row.type),
      rows.map((row) => row.occurredAt),
      rows.map((row) => row.ownerId),
    ],
  );
}
