import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import { withKpiContributions } from '../persistence/kpi-rollups';
import { applyOpportunityStates, type OpportunityState } from '../persistence/projections';

const applyWithContributions = (manager: EntityManager, states: OpportunityState[]) =>
  withKpiContributions(manager, { opportunityIds: states.map((state) => state.opportunityId) }, () => applyOpportunityStates(manager, states));

export async function projectOpportunityOnOpportunityEvent(
  event: TypedCloudEvent<'sales.opportunity.created.v1'> | TypedCloudEvent<'sales.opportunity.updated.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  chunk.collect(
    'opportunity-states',
    { opportunityId: data.opportunityId, version: data.version, pipelineId: data.pipelineId, stage: data.stage, stageCategory: data.stageCategory, snapshot: data.opportunity, at: event.time },
    applyWithContributions,
  );
}
