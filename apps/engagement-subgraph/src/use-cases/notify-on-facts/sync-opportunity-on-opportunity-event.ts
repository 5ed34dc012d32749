import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { upsertOpportunities } from '../../persistence/snapshot-repository';

type OpportunityFact = TypedCloudEvent<'sales.opportunity.created.v1' | 'sales.opportunity.updated.v1' | 'sales.opportunity.stage_changed.v1'>;

// Owner and status decide who may plan work on an opportunity; a stage change also starts the stay that can stall.
// Collected: a chunk's changes are upserted together when it ends (no other handler of these topics reads the rows).
export async function syncOpportunityOnOpportunityEvent(event: OpportunityFact, _manager: EntityManager, chunk: ChunkContext): Promise<void> {
  const data = event.data;
  const stageChange = event.type === 'sales.opportunity.stage_changed.v1' ? (data as TypedCloudEvent<'sales.opportunity.stage_changed.v1'>['data']) : null;
  chunk.collect(
    'opportunity-snapshots',
    {
      id: data.opportunityId,
      version: data.version,
      name: data.opportunity.name,
      status: stageChange ? stageChange.toStageCategory : (data as TypedCloudEvent<'sales.opportunity.created.v1'>['data']).stageCategory,
      stage: stageChange ? stageChange.toStage : (data as TypedCloudEvent<'sales.opportunity.created.v1'>['data']).stage,
      ownerId: data.opportunity.ownerId,
      stageEnteredAt: stageChange ? stageChange.changedAt : null,
      leadId: data.opportunity.leadId,
    },
    upsertOpportunities,
  );
}
