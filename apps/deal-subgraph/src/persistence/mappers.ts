import { formatAmount } from '@pipeline/domain';

import type { Deal, DiscountApproval } from '../domain/deal';
import type { Proposal } from '../domain/proposal';
import type { DealRow, DiscountApprovalRow, ProposalRow } from './entities';

// Rows to domain values and back: decimals as strings in the table, money with its currency in the domain.
export const toDeal = (row: DealRow): Deal => ({
  id: row.id,
  opportunityId: row.opportunityId,
  terms:
    row.discountPercent !== null && row.paymentTermsDays !== null && row.contractLengthMonths !== null
      ? { discountPercent: Number(row.discountPercent), paymentTermsDays: row.paymentTermsDays, contractLengthMonths: row.contractLengthMonths }
      : null,
  outcome: row.outcome,
  lostReason: row.lostReason,
  closeNote: row.closeNote,
  closedAt: row.closedAt,
  closedBy: row.closedBy,
  deferredUntil: row.deferredUntil,
  competitor: row.competitor,
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

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
