import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import { insertStageEvent, rebuildOpportunities } from '../persistence/projections';

// Keeps the raw event, then rebuilds each touched opportunity once per chunk of events.
export async function projectStageChangeOnStageChanged(event: TypedCloudEvent<'sales.opportunity.stage_changed.v1'>, manager: EntityManager, chunk: ChunkContext): Promise<void> {
  await insertStageEvent(manager, event.id, event.data);
  chunk.collect('rebuild-opportunities', event.data.opportunityId, rebuildOpportunities);
}
