import { formatAmount } from '@pipeline/domain';

import type { Deal, DiscountApproval } from '../domain/deal';
import type { Proposal } from '../domain/proposal';
import type { DealRow, DiscountApprovalRow, ProposalRow } from './entities';

// Domain values to rows and back: decimals as strings in the table, money with its currency in the domain.
export const fromDeal = (deal: Deal): DealRow => {
  const { terms, ...rest } = deal;
  return {
    ...rest,
    discountPercent: terms ? String(terms.discountPercent) : null,
    paymentTermsDays: terms?.paymentTermsDays ?? null,
    contractLengthMonths: terms?.contractLengthMonths ?? null,
  };
};

export const toProposal = (row: ProposalRow): Proposal => {
  const currency = row.currency.trim();
  return {
    ...row,
    currency,
    subtotal: { amount: formatAmount(row.subtotal, currency), currency },
    total: { amount: formatAmount(row.total, currency), currency },
  };
};

export const fromProposal = (proposal: Proposal): ProposalRow => ({ ...proposal, subtotal: proposal.subtotal.amount, total: proposal.total.amount });

export const toApproval = (row: DiscountApprovalRow): DiscountApproval => ({
  ...row,
  requestedPercent: Number(row.requestedPercent),
  discountPercent: Number(row.requestedPercent),
});
