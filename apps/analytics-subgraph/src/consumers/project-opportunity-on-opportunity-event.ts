import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import { applyOpportunityState } from '../persistence/projections';

export async function projectOpportunityOnOpportunityEvent(
  event: TypedCloudEvent<'sales.opportunity.created.v1'> | TypedCloudEvent<'sales.opportunity.updated.v1'>,
  manager: EntityManager,
): Promise<void> {
  const { data } = event;
  await applyOpportunityState(manager, {
    opportunityId: data.opportunityId,
    version: data.version,
    pipelineId: data.pipelineId,
    stage: data.stage,
    stageCategory: data.stageCategory,
    snapshot: data.opportunity,
    at: event.time,
  });
}
