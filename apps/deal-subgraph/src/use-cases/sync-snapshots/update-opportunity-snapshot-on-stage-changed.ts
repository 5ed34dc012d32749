import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { collectOpportunitySnapshot } from './collect-opportunity-snapshot';

// Stage changes carry the opportunity's snapshot too; they tell the deal service when an opportunity closed.
export async function updateOpportunitySnapshotOnStageChanged(
  event: TypedCloudEvent<'sales.opportunity.stage_changed.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  collectOpportunitySnapshot(chunk, {
    id: data.opportunityId,
    version: data.version,
    name: data.opportunity.name,
    accountName: data.opportunity.accountName,
    status: data.toStageCategory,
    stage: data.toStage,
    stageCategory: data.toStageCategory,
    ownerId: data.opportunity.ownerId,
    leadId: data.opportunity.leadId,
    amount: data.opportunity.amount,
    archived: data.opportunity.archived ?? false,
  });
}
