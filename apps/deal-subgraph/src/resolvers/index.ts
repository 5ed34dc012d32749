import { canRead, parseId } from '@pipeline/domain';
import { scalarResolvers } from '@pipeline/server-kit';

import type { DealContext } from '../context';
import { type Deal, latestApproval } from '../domain/deal';
import { renderProposalDocument } from '../domain/proposal-document';
import type { Resolvers } from '../generated/graphql';
import { loadDealSettings } from '../persistence/snapshot-repository';
import { closeDeal } from '../use-cases/close-deal/close-deal';
import { createProposal } from '../use-cases/create-proposal/create-proposal';
import { decideDiscountApproval } from '../use-cases/decide-discount-approval/decide-discount-approval';
import { decideProposal } from '../use-cases/decide-proposal/decide-proposal';
import { recordCommitment } from '../use-cases/record-commitment/record-commitment';
import { recordObjection } from '../use-cases/record-objection/record-objection';
import { reopenDeal } from '../use-cases/reopen-deal/reopen-deal';
import { sendProposal } from '../use-cases/send-proposal/send-proposal';
import { setDealTerms } from '../use-cases/set-deal-terms/set-deal-terms';
import { updateDealSettings } from '../use-cases/update-deal-settings/update-deal-settings';

// A deal is visible exactly when its opportunity is.
async function visibleDeal(opportunityId: string, { actor, loaders }: DealContext): Promise<Deal | null> {
  const [opportunity, deal] = await Promise.all([loaders.opportunity.load(opportunityId), loaders.dealByOpportunity.load(opportunityId)]);
  return opportunity && deal && canRead(actor, opportunity) ? deal : null;
}

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    deal: (_parent, { opportunityId }, context) => visibleDeal(parseId(opportunityId, 'opportunityId'), context),
    dealSettings: (_parent, _args, { deps }) => loadDealSettings(deps.dataSource.manager),
  },
  Mutation: {
    createProposal: (_parent, { input }, { actor, deps }) => createProposal(deps, actor, input),
    sendProposal: async (_parent, { input }, { actor, deps }) => ({ proposal: await sendProposal(deps, actor, input) }),
    decideProposal: async (_parent, { input }, { actor, deps }) => ({ proposal: await decideProposal(deps, actor, input) }),
    setDealTerms: async (_parent, { input }, { actor, deps }) => ({ deal: await setDealTerms(deps, actor, input) }),
    decideDiscountApproval: async (_parent, { input }, { actor, deps }) => ({ deal: await decideDiscountApproval(deps, actor, input) }),
    recordCommitment: async (_parent, { input }, { actor, deps }) => ({ deal: await recordCommitment(deps, actor, input) }),
    recordObjection: (_parent, { input }, { actor, deps }) => recordObjection(deps, actor, input),
    closeDeal: async (_parent, { input }, { actor, deps }) => ({ deal: await closeDeal(deps, actor, input) }),
    reopenDeal: async (_parent, { input }, { actor, deps }) => ({ deal: await reopenDeal(deps, actor, input) }),
    updateDealSettings: async (_parent, { input }, { actor, deps }) => ({ settings: await updateDealSettings(deps, actor, input) }),
  },
  Opportunity: {
    __resolveReference: (reference) => ({ id: reference.id }),
    deal: (opportunity, _args, context) => visibleDeal(opportunity.id, context),
  },
  Deal: {
    opportunity: (deal) => ({ __typename: 'Opportunity', id: deal.opportunityId }),
    proposals: (deal, _args, { loaders }) => loaders.proposals.load(deal.id),
    approvals: (deal, _args, { loaders }) => loaders.approvals.load(deal.id),
    commitments: (deal, _args, { loaders }) => loaders.commitments.load(deal.id),
    pendingTerms: async (deal, _args, { loaders }) => {
      const approval = latestApproval(await loaders.approvals.load(deal.id));
      return approval?.status === 'PENDING'
        ? { discountPercent: approval.requestedPercent, paymentTermsDays: approval.paymentTermsDays, contractLengthMonths: approval.contractLengthMonths }
        : null;
    },
  },
  Proposal: {
    documentHtml: async (proposal, _args, { loaders }) => {
      const [opportunity, deal] = await Promise.all([loaders.opportunity.load(proposal.opportunityId), loaders.dealByOpportunity.load(proposal.opportunityId)]);
      const [lead, contactName] = opportunity?.leadId
        ? await Promise.all([loaders.leadNeed.load(opportunity.leadId), loaders.leadPersonName.load(opportunity.leadId)])
        : [null, ''];
      return renderProposalDocument(proposal, {
        accountName: opportunity?.accountName ?? 'your company',
        opportunityName: opportunity?.name ?? 'this project',
        // The person opened through the lead service; erased or unreachable, the letter greets no one in particular.
        contactName: contactName || null,
        statedNeed: lead?.need ?? null,
        terms: deal?.terms ?? null,
      });
    },
  },
};
