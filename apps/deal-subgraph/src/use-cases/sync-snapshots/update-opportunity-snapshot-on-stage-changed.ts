import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import { upsertOpportunitySnapshot } from '../../persistence/snapshot-repository';

// Stage changes carry the opportunity's snapshot too; they tell the deal service when an opportunity closed.
export async function updateOpportunitySnapshotOnStageChanged(event: TypedCloudEvent<'sales.opportunity.stage_changed.v1'>, manager: EntityManager): Promise<void> {
  const { data } = event;
  await upsertOpportunitySnapshot(manager, {
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
  });
}
