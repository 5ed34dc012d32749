import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { collectOpportunitySnapshot } from './collect-opportunity-snapshot';

type OpportunityStateEvent =
  | TypedCloudEvent<'sales.opportunity.created.v1'>
  | TypedCloudEvent<'sales.opportunity.updated.v1'>
  | TypedCloudEvent<'sales.opportunity.archived.v1'>
  | TypedCloudEvent<'sales.opportunity.restored.v1'>;

// Owner, amount, status and archiving of opportunities, from their own service's events; newest version wins.
export async function updateOpportunitySnapshotOnOpportunityEvent(event: OpportunityStateEvent, _manager: EntityManager, chunk: ChunkContext): Promise<void> {
  const { data } = event;
  collectOpportunitySnapshot(chunk, {
    id: data.opportunityId,
    version: data.version,
    name: data.opportunity.name,
    accountName: data.opportunity.accountName,
    status: data.opportunity.status ?? (data.stageCategory === 'OPEN' ? 'OPEN' : data.stageCategory),
    stage: data.stage,
    stageCategory: data.stageCategory,
    ownerId: data.opportunity.ownerId,
    leadId: data.opportunity.leadId,
    amount: data.opportunity.amount,
    // Events from before the flag existed carry none: the opportunity was not archived then.
    archived: data.opportunity.archived ?? false,
  });
}
