import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { upsertOpportunities } from '../../persistence/snapshot-repository';

type OpportunityFact = TypedCloudEvent<'sales.opportunity.created.v1' | 'sales.opportunity.updated.v1' | 'sales.opportunity.stage_changed.v1'>;

// Owner and status decide who may plan work on an opportunity; a stage change also starts the stay that can stall.
export async function syncOpportunityOnOpportunityEvent(event: OpportunityFact, manager: EntityManager): Promise<void> {
  const data = event.data;
  const stageChange = event.type === 'sales.opportunity.stage_changed.v1' ? (data as TypedCloudEvent<'sales.opportunity.stage_changed.v1'>['data']) : null;
  await upsertOpportunities(manager, [
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
  ]);
}
