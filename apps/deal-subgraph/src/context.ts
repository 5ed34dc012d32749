import type { Actor } from '@pipeline/domain';
import { DataLoader, groupedLoader, keyedLoader, personNameForText } from '@pipeline/server-kit';

import type { Commitment, Deal, DiscountApproval } from './domain/deal';
import type { Proposal } from './domain/proposal';
import { approvalsByDealIds, commitmentsByDealIds, findDealsByOpportunityIds, proposalsByDealIds } from './persistence/deal-repository';
import { findLeadNeeds, findOpportunityViews, type LeadNeedView, type OpportunityView } from './persistence/snapshot-repository';
import type { DealDeps } from './use-cases/deps';

export interface DealLoaders {
  dealByOpportunity: DataLoader<string, Deal | null>;
  opportunity: DataLoader<string, OpportunityView | null>;
  proposals: DataLoader<string, Proposal[]>;
  approvals: DataLoader<string, DiscountApproval[]>;
  commitments: DataLoader<string, Commitment[]>;
  leadNeed: DataLoader<string, LeadNeedView | null>;
  // By lead id: the person's name opened through the lead service once per request, whatever the number of proposals.
  leadPersonName: DataLoader<string, string>;
}

export interface DealContext {
  actor: Actor;
  deps: DealDeps;
  loaders: DealLoaders;
}

export function createLoaders(deps: DealDeps): DealLoaders {
  const manager = deps.dataSource.manager;
  const leadNeed = keyedLoader(
    (ids: readonly string[]) => findLeadNeeds(manager, ids),
    (lead) => lead.id,
  );
  return {
    dealByOpportunity: keyedLoader(
      (ids) => findDealsByOpportunityIds(manager, ids),
      (deal) => deal.opportunityId,
    ),
    opportunity: keyedLoader(
      (ids) => findOpportunityViews(manager, ids),
      (view) => view.id,
    ),
    proposals: groupedLoader(
      (ids) => proposalsByDealIds(manager, ids),
      (proposal) => proposal.dealId,
    ),
    approvals: groupedLoader(
      (ids) => approvalsByDealIds(manager, ids),
      (approval) => approval.dealId,
    ),
    commitments: groupedLoader(
      (ids) => commitmentsByDealIds(manager, ids),
      (commitment) => commitment.dealId,
    ),
    leadNeed,
    leadPersonName: new DataLoader(async (ids) =>
      Promise.all((await leadNeed.loadMany(ids)).map(async (lead) => (lead && !(lead instanceof Error) ? personNameForText(deps.personalData, lead) : ''))),
    ),
  };
}

export const createDealContext = (actor: Actor, deps: DealDeps): DealContext => ({ actor, deps, loaders: createLoaders(deps) });
