import { type Actor, notFound, parseId } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { Deal } from '../../domain/deal';
import type { Proposal } from '../../domain/proposal';
import { findDealById, findProposal } from '../../persistence/deal-repository';
import type { OpportunityView } from '../../persistence/snapshot-repository';
import { loadWorkableOpportunity } from './deal-access';

// A proposal is reachable only through an opportunity the caller may work; its snapshot predates the proposal, so nothing to wait for.
export async function loadWorkableProposal(
  manager: EntityManager,
  actor: Actor,
  rawId: unknown,
): Promise<{ proposal: Proposal; deal: Deal; opportunity: OpportunityView }> {
  const id = parseId(rawId, 'proposalId');
  const found = await findProposal(manager, id);
  if (!found) throw notFound('Proposal', id);
  const opportunity = await loadWorkableOpportunity(manager, actor, found.opportunityId).catch((error) => {
    throw error.code === 'NOT_FOUND' ? notFound('Proposal', id) : error;
  });
  // The unlocked read only told which deal to lock: the deal first, then the proposal, as createProposal locks them.
  const deal = await findDealById(manager, found.dealId, true);
  if (!deal) throw new Error(`Deal ${found.dealId} of proposal ${id} is missing`);
  const proposal = await findProposal(manager, id, true);
  if (!proposal) throw new Error(`Proposal ${id} vanished`);
  return { proposal, deal, opportunity };
}
