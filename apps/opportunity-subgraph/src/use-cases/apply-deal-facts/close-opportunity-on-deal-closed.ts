import { EVENT_TYPES, type TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { stageForCategory } from '../../domain/pipeline';
import { opportunityStateEvent } from '../../events/opportunity-events';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { updateOpportunity } from '../../persistence/opportunity-repository';
import { recordFacts, tryMove } from './automation';

// The deal service records outcomes; stage has one writer, so the close itself happens here: WON and LOST move to the
// closing stages through their gates, DEFERRED keeps the opportunity open and flags it until its date.
export async function closeOpportunityOnDealClosed(event: TypedCloudEvent<'sales.deal.closed.v1'>, manager: EntityManager): Promise<void> {
  const { outcome, lostReason, deferredUntil, closedAt } = event.data;
  const target = await recordFacts(manager, event.data.opportunityId, (facts) => ({
    ...facts,
    outcome,
    lostReason: outcome === 'LOST' ? lostReason : null,
  }));
  if (!target) return;
  if (outcome === 'DEFERRED') {
    const next = { ...target.opportunity, deferredUntil, version: target.opportunity.version + 1, updatedAt: new Date() };
    await updateOpportunity(manager, next, target.opportunity.version);
    await appendRedactedToOutbox(manager, [
      opportunityStateEvent(EVENT_TYPES.opportunityUpdated, next, target.pipeline, ['deferredUntil'], new Date(), {
        before: target.opportunity,
        changedBy: null,
      }),
    ]);
    return;
  }
  const stage = stageForCategory(target.pipeline, outcome);
  if (!stage || target.opportunity.stageKey === stage.key) return;
  const reason = outcome === 'LOST' ? lostReason : (event.data.closeNote ?? 'Deal won');
  await tryMove(manager, target, stage.key, reason, new Date(closedAt));
}
