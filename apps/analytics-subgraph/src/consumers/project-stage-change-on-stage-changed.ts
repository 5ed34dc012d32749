import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import { insertStageEvent, rebuildOpportunity } from '../persistence/projections';

export async function projectStageChangeOnStageChanged(event: TypedCloudEvent<'sales.opportunity.stage_changed.v1'>, manager: EntityManager): Promise<void> {
  await insertStageEvent(manager, event.id, event.data);
  await rebuildOpportunity(manager, event.data.opportunityId);
}
