import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

interface Revision {
  eventId: string;
  opportunityId: string;
  version: number;
  recordedAt: string;
  amount: string | null;
  currency: string | null;
  expectedCloseDate: string | null;
}

// Kept beside the latest-state projection: the amounts and close dates an opportunity had, and when; one statement per chunk.
export async function recordRevisionOnOpportunityEvent(
  event: TypedCloudEvent<'sales.opportunity.created.v1'> | TypedCloudEvent<'sales.opportunity.updated.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  const revision: Revision = {
    eventId: event.id,
    opportunityId: data.opportunityId,
    version: data.version,
    recordedAt: event.time,
    amount: data.opportunity.amount?.amount ?? null,
    currency: data.opportunity.amount?.currency ?? null,
    expectedCloseDate: data.opportunity.expectedCloseDate,
  };
  chunk.collect('opportunity-revisions', revision, insertRevisions);
}

async function insertRevisions(manager: EntityManager, revisions: Revision[]): Promise<void> {
  await manager.query(
    `INSERT INTO opportunity_revision (event_id, opportunity_id, version, recorded_at, amount, currency, expected_close_date)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[], $4::timestamptz[], $5::numeric[], $6::text[], $7::date[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      revisions.map((row) => row.eventId),
      revisions.map((row) => row.opportunityId),
      revisions.map((row) => row.version),
      revisions.map((row) => row.recordedAt),
      revisions.map((row) => row.amount),
      revisions.map((row) => row.currency),
      revisions.map((row) => row.expectedCloseDate),
    ],
  );
}
