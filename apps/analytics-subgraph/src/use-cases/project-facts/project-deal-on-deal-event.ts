import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { applyDealOutcomes } from '../../persistence/projections';

// Deal outcomes and lost reasons; a reopen clears the outcome. Older events never overwrite newer ones; one upsert per chunk.
export async function projectDealOnDealEvent(
  event: TypedCloudEvent<'sales.deal.closed.v1'> | TypedCloudEvent<'sales.deal.reopened.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  if (event.type === 'sales.deal.reopened.v1') {
    chunk.collect('deal-outcomes', { kind: 'reopened', opportunityId: event.data.opportunityId, occurredAt: event.data.occurredAt }, applyDealOutcomes);
    return;
  }
  const { data } = event;
  chunk.collect(
    'deal-outcomes',
    {
      kind: 'closed',
      opportunityId: data.opportunityId,
      outcome: data.outcome,
      lostReason: data.lostReason,
      competitor: data.competitor ?? null,
      closedAt: data.closedAt,
      amount: data.amount?.amount ?? null,
      currency: data.amount?.currency ?? null,
      occurredAt: data.occurredAt,
    },
    applyDealOutcomes,
  );
}
