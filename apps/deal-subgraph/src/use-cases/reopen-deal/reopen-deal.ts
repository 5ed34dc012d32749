import { type Actor, assertRole, conflict, notFound, requireText } from '@pipeline/domain';

import type { Deal } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { findDealForUpdate, updateDeal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertCanApprove, awaitOpportunitySnapshot, loadWorkableOpportunity } from '../shared/deal-access';
import { appendRedactedDealEvents } from '../shared/deal-person-text';

// A manager (of the owner's team) or an admin reopens a closed deal with a reason; the opportunity returns to its last open stage.
export async function reopenDeal(deps: DealDeps, actor: Actor, input: { opportunityId: unknown; reason: unknown }): Promise<Deal> {
  assertRole(actor, ['MANAGER', 'ADMIN'], 'reopen deals');
  const reason = requireText(input.reason, 'reason', { maxLength: 1_000 });
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    assertCanApprove(actor, opportunity);
    const deal = await findDealForUpdate(manager, opportunity.id);
    if (!deal) throw notFound('Deal of opportunity', opportunity.id);
    if (deal.outcome !== 'WON' && deal.outcome !== 'LOST') throw conflict('Only a deal closed WON or LOST can be reopened', { outcome: deal.outcome });
    const now = deps.now();
    const next: Deal = {
      ...deal,
      outcome: null,
      lostReason: null,
      closeNote: null,
      closedAt: null,
      closedBy: null,
      deferredUntil: null,
      competitor: null,
      version: deal.version + 1,
      updatedAt: now,
    };
    await updateDeal(manager, next, deal.version);
    await appendRedactedDealEvents(deps, manager, [dealEvent('sales.deal.reopened.v1', next, actor.userId, now, { previousOutcome: deal.outcome, reason })]);
    return next;
  });
}
