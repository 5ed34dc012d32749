import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { stageWithTrigger } from '../../domain/pipeline';
import { isBefore, recordFacts, tryMove } from './automation';

// Proposed terms mean negotiation started; the opportunity moves to the negotiation stage if its gates allow.
export async function moveToNegotiationOnDealTermsSet(event: TypedCloudEvent<'sales.deal.terms_set.v1'>, manager: EntityManager): Promise<void> {
  const target = await recordFacts(manager, event.data.opportunityId, (facts) => ({ ...facts, negotiationStarted: true }));
  if (!target) return;
  const stage = stageWithTrigger(target.pipeline, 'NEGOTIATION_STARTED');
  if (stage && isBefore(target, stage.key)) await tryMove(manager, target, stage.key, 'Negotiation started', new Date(event.data.occurredAt));
}
