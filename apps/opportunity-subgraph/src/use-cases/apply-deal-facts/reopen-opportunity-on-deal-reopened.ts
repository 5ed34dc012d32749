import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { stageOf } from '../../domain/pipeline';
import { transitionsByOpportunityIds } from '../../persistence/opportunity-repository';
import { recordFacts, tryMove } from './automation';

// A manager reopened the deal: the opportunity goes back to the open stage it was closed from.
export async function reopenOpportunityOnDealReopened(event: TypedCloudEvent<'sales.deal.reopened.v1'>, manager: EntityManager): Promise<void> {
  const target = await recordFacts(manager, event.data.opportunityId, (facts) => ({ ...facts, outcome: null, lostReason: null }));
  if (!target || target.opportunity.status === 'OPEN') return;
  const history = await transitionsByOpportunityIds(manager, [target.opportunity.id]);
  const lastOpen = [...history].reverse().find((transition) => stageOf(target.pipeline, transition.fromStage ?? '')?.category === 'OPEN');
  const stage = lastOpen?.fromStage ?? target.pipeline.stages.find((candidate) => candidate.category === 'OPEN' && candidate.active)?.key;
  if (stage) await tryMove(manager, target, stage, `Reopened: ${event.data.reason}`, new Date(event.data.occurredAt), true);
}
