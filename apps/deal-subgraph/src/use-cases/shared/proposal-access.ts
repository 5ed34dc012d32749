import type { EntityManager } from 'typeorm';
import { notFound, parseId, type Actor } from '@pipeline/domain';
import type { Deal } from '../../domain/deal';
import type { Proposal } from '../../domain/proposal';
import { findDealById, findProposal } from '../../persistence/deal-repository';
import type { OpportunityView } from '../../persistence/snapshot-repository';
import type { DealDeps } from '../deps';
import { loadWorkableOpportunity } from './deal-access';

// A proposal is reachable only through an opportunity the caller may work.
export async function loadWorkableProposal(deps: DealDeps, manager: EntityManager, actor: Actor, rawId: unknown): Promise<{ proposal: Proposal; deal: Deal; opportunity: OpportunityView }> {
  const id = parseId(rawId, 'proposalId');
  const proposal = await findProposal(manager, id, true);
  if (!proposal) throw notFound('Proposal', id);
  const opportunity = await loadWorkableOpportunity(deps, manager, actor, proposal.opportunityId).catch((error) => {
    throw error.code === 'NOT_FOUND' ? notFound('Proposal', id) : error;
  });
  const deal = await findDealById(manager, proposal.dealId, true);
  if (!deal) throw new Error(`Deal ${proposal.dealId} of proposal ${id} is missing`);
  return { proposal, deal, opportunity };
}
