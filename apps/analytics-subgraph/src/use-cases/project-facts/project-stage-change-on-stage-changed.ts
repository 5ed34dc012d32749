import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { withKpiContributions } from '../../persistence/kpi-rollups';
import { insertStageEvents, rebuildOpportunities } from '../../persistence/projections';

// Keeps the raw events, then rebuilds each touched opportunity once per chunk of events (collected first, flushed first),
// recording how its KPI contributions changed.
export async function projectStageChangeOnStageChanged(
  event: TypedCloudEvent<'sales.opportunity.stage_changed.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  chunk.collect('insert-stage-events', { eventId: event.id, data: event.data }, insertStageEvents);
  chunk.collect('rebuild-opportunities', event.data.opportunityId, (manager, ids) =>
    withKpiContributions(manager, { opportunityIds: ids }, () => rebuildOpportunities(manager, ids)),
  );
}
