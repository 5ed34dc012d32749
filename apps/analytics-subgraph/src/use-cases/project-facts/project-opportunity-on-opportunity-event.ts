import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { type FieldChangeRow, insertFieldChanges } from '../../persistence/field-history';
import { withKpiContributions } from '../../persistence/kpi-rollups';
import { applyOpportunityStates, type OpportunityState } from '../../persistence/projections';

const applyWithContributions = (manager: EntityManager, states: OpportunityState[]) =>
  withKpiContributions(manager, { opportunityIds: states.map((state) => state.opportunityId) }, () => applyOpportunityStates(manager, states));

export async function projectOpportunityOnOpportunityEvent(
  event:
    | TypedCloudEvent<'sales.opportunity.created.v1'>
    | TypedCloudEvent<'sales.opportunity.updated.v1'>
    | TypedCloudEvent<'sales.opportunity.archived.v1'>
    | TypedCloudEvent<'sales.opportunity.restored.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  chunk.collect(
    'opportunity-states',
    {
      opportunityId: data.opportunityId,
      version: data.version,
      pipelineId: data.pipelineId,
      stage: data.stage,
      stageCategory: data.stageCategory,
      snapshot: data.opportunity,
      at: event.time,
    },
    applyWithContributions,
  );
  // Field history: what each changed field was before and became (events before the field was added carry none).
  if (event.type === 'sales.opportunity.updated.v1') {
    const updated = (event as TypedCloudEvent<'sales.opportunity.updated.v1'>).data;
    for (const [field, previousValue] of Object.entries(updated.previous ?? {})) {
      const row: FieldChangeRow = {
        eventId: event.id,
        field,
        opportunityId: updated.opportunityId,
        version: updated.version,
        previousValue,
        newValue: updated.opportunity[field as keyof typeof updated.opportunity] ?? null,
        changedAt: event.time,
        changedBy: updated.changedBy ?? null,
      };
      chunk.collect('opportunity-field-changes', row, insertFieldChanges);
    }
  }
}
