import { type Actor, badInput, newId, parseDate, toIsoDate } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { Deal } from '../../domain/deal';
import { type LineItemDraft, priceLineItems, type Proposal } from '../../domain/proposal';
import { dealEvent } from '../../events/deal-events';
import { insertProposal, nextProposalVersion, supersedeDrafts, updateDeal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertDealNotClosed, assertOpen, assertRoomFor, awaitOpportunitySnapshot, loadWorkableOpportunity, lockOrCreateDeal } from '../shared/deal-access';

export interface CreateProposalCommand {
  opportunityId: unknown;
  lineItems: LineItemDraft[];
  validUntil?: unknown;
}

// Each proposal is a new version; it supersedes the previous draft, while sent proposals stay as they were sent.
export async function createProposal(deps: DealDeps, actor: Actor, input: CreateProposalCommand): Promise<{ proposal: Proposal; deal: Deal }> {
  const priced = priceLineItems(input.lineItems);
  const now = deps.now();
  const validUntil = input.validUntil === null || input.validUntil === undefined ? null : parseDate(input.validUntil, 'validUntil');
  if (validUntil !== null && validUntil < toIsoDate(now)) throw badInput('validUntil', 'validUntil must not be in the past');
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    assertOpen(opportunity);
    const deal = await lockOrCreateDeal(manager, opportunity.id, now);
    assertDealNotClosed(deal);
    await assertRoomFor(manager, 'proposal', deal.id);
    await supersedeDrafts(manager, deal.id);
    const proposal: Proposal = {
      id: newId(),
      dealId: deal.id,
      opportunityId: opportunity.id,
      version: await nextProposalVersion(manager, deal.id),
      status: 'DRAFT',
      ...priced,
      validUntil,
      sentAt: null,
      decidedAt: null,
      decisionReason: null,
      createdAt: now,
      createdBy: actor.userId,
    };
    await insertProposal(manager, proposal);
    const next = { ...deal, version: deal.version + 1, updatedAt: now };
    await updateDeal(manager, next, deal.version);
    await appendToOutbox(manager, [
      dealEvent('sales.proposal.created.v1', next, actor.userId, now, { proposalId: proposal.id, proposalVersion: proposal.version, total: proposal.total }),
    ]);
    return { proposal, deal: next };
  });
}
