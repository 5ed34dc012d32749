import { type Actor, newId, parseInteger, percentToDecimal, type Unparsed } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import { type Deal, type DealTerms, planTerms } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import type { SetDealTermsInput } from '../../generated/graphql';
import { saveApproval, updateDeal, withdrawPendingApprovals } from '../../persistence/deal-repository';
import { loadDealSettings } from '../../persistence/snapshot-repository';
import type { DealDeps } from '../deps';
import { assertDealNotClosed, assertOpen, assertRoomFor, awaitOpportunitySnapshot, loadWorkableOpportunity, lockOrCreateDeal } from '../shared/deal-access';

export type SetDealTermsCommand = Unparsed<SetDealTermsInput>;

// Terms within the threshold take effect at once; a larger discount waits for a manager, and the terms in force stay.
export async function setDealTerms(deps: DealDeps, actor: Actor, input: SetDealTermsCommand): Promise<Deal> {
  const terms: DealTerms = {
    discountPercent: percentToDecimal(input.discountPercent as number, 'discountPercent', 2).toNumber(),
    paymentTermsDays: parseInteger(input.paymentTermsDays, 'paymentTermsDays', 0, 365),
    contractLengthMonths: parseInteger(input.contractLengthMonths, 'contractLengthMonths', 1, 120),
  } satisfies Record<keyof Omit<SetDealTermsInput, 'opportunityId'>, unknown>;
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    assertOpen(opportunity);
    const now = deps.now();
    const deal = await lockOrCreateDeal(manager, opportunity.id, now);
    assertDealNotClosed(deal);
    const { deal: next, approval } = planTerms(deal, terms, await loadDealSettings(manager), actor.userId, now, newId());
    await withdrawPendingApprovals(manager, deal.id, actor.userId, now);
    if (approval) {
      await assertRoomFor(manager, 'discount_approval', deal.id);
      await saveApproval(manager, approval);
    }
    await updateDeal(manager, next, deal.version);
    await appendToOutbox(manager, [
      dealEvent('sales.deal.terms_set.v1', next, actor.userId, now, { ...terms, approvalStatus: approval ? 'PENDING' : null, effective: !approval }),
    ]);
    return next;
  });
}
