import {
  approvalRequired,
  type ApprovalStatus,
  badInput,
  type CommitmentType,
  conflict,
  type DealOutcome,
  type LostReason,
  type Money,
  stageGateFailed,
  toIsoDate,
} from '@pipeline/domain';

export interface DealTerms {
  discountPercent: number;
  paymentTermsDays: number;
  contractLengthMonths: number;
}

export interface DiscountApproval extends DealTerms {
  id: string;
  dealId: string;
  requestedPercent: number;
  status: ApprovalStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

export interface Commitment {
  id: string;
  dealId: string;
  type: CommitmentType;
  committedAt: Date;
  contactName: string;
  notes: string | null;
  recordedBy: string | null;
}

export interface Deal {
  id: string;
  opportunityId: string;
  terms: DealTerms | null;
  outcome: DealOutcome | null;
  lostReason: LostReason | null;
  closeNote: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  deferredUntil: string | null;
  competitor: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DealSettings {
  discountApprovalThresholdPercent: number;
  requireWrittenCommitmentToWin: boolean;
}

export const DEFAULT_DEAL_SETTINGS: DealSettings = { discountApprovalThresholdPercent: 15, requireWrittenCommitmentToWin: false };

export const needsApproval = (discountPercent: number, settings: DealSettings): boolean => discountPercent > settings.discountApprovalThresholdPercent;

// The newest approval speaks for the current terms; a pending or rejected one blocks winning the deal.
export function latestApproval(approvals: DiscountApproval[]): DiscountApproval | null {
  return [...approvals].sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime())[0] ?? null;
}

export function assertCanWin(approvals: DiscountApproval[], commitments: Commitment[], settings: DealSettings): void {
  const approval = latestApproval(approvals);
  if (approval && approval.status !== 'APPROVED') {
    throw approvalRequired(
      `The discount of ${approval.requestedPercent}% is ${approval.status === 'PENDING' ? 'waiting for approval' : 'rejected'}; the deal cannot be won with it`,
      {
        approvalId: approval.id,
        approvalStatus: approval.status,
      },
    );
  }
  if (settings.requireWrittenCommitmentToWin && !commitments.some((commitment) => commitment.type === 'WRITTEN')) {
    throw stageGateFailed('Winning this deal needs a written commitment', ['WRITTEN_COMMITMENT']);
  }
}

export interface CloseRequest {
  outcome: DealOutcome;
  lostReason: LostReason | null;
  deferredUntil: string | null;
}

// Closing is idempotent for the same outcome and a conflict for another; DEFERRED parks a deal without closing it.
export function closeEffect(deal: Deal | null, request: CloseRequest, today: string): 'APPLY' | 'ALREADY_DONE' {
  if (request.outcome === 'LOST' && !request.lostReason) throw badInput('lostReason', 'lostReason is required when the outcome is LOST');
  if (request.outcome === 'DEFERRED' && (!request.deferredUntil || request.deferredUntil <= today)) {
    throw badInput('deferredUntil', 'deferredUntil is required when the outcome is DEFERRED and must be after today');
  }
  if (!deal || deal.outcome === null || deal.outcome === 'DEFERRED') {
    return deal?.outcome === 'DEFERRED' && request.outcome === 'DEFERRED' && deal.deferredUntil === request.deferredUntil ? 'ALREADY_DONE' : 'APPLY';
  }
  if (deal.outcome === request.outcome && (request.outcome !== 'LOST' || deal.lostReason === request.lostReason)) return 'ALREADY_DONE';
  throw conflict(`The deal is already closed ${deal.outcome}${deal.lostReason ? ` (${deal.lostReason})` : ''}; a manager can reopen it`, {
    outcome: deal.outcome,
  });
}

export interface CloseDetails extends CloseRequest {
  note: string | null;
  competitor: string | null;
}

// What a close needs to know besides the deal; approvals, commitments and settings matter only for WON.
export interface CloseContext {
  opportunityStatus: string;
  amount: Money | null;
  winRules?: { approvals: DiscountApproval[]; commitments: Commitment[]; settings: DealSettings };
}

// The deal after a close (WON, LOST or DEFERRED), or null when it was already closed that way: the gates in one place,
// whoever closes it.
export function planClose(deal: Deal, details: CloseDetails, context: CloseContext, by: string, now: Date): Deal | null {
  if (closeEffect(deal, details, toIsoDate(now)) === 'ALREADY_DONE') return null;
  if (context.opportunityStatus !== 'OPEN')
    throw conflict(`Opportunity ${deal.opportunityId} is already ${context.opportunityStatus}`, { status: context.opportunityStatus });
  if (details.outcome === 'WON') {
    if (!context.winRules) throw new Error('Winning a deal needs its approvals, commitments and settings');
    assertCanWin(context.winRules.approvals, context.winRules.commitments, context.winRules.settings);
    if (!context.amount) throw stageGateFailed('A won deal needs the opportunity amount set', ['AMOUNT_SET']);
  }
  return {
    ...deal,
    outcome: details.outcome,
    lostReason: details.lostReason,
    closeNote: details.note,
    closedAt: details.outcome === 'DEFERRED' ? null : now,
    closedBy: by,
    deferredUntil: details.deferredUntil,
    competitor: details.competitor,
    version: deal.version + 1,
    updatedAt: now,
  };
}

// New terms take effect at once within the threshold; above it they wait for a manager as a PENDING approval, and the
// terms in force stay.
export function planTerms(
  deal: Deal,
  terms: DealTerms,
  settings: DealSettings,
  by: string,
  now: Date,
  approvalId: string,
): { deal: Deal; approval: DiscountApproval | null } {
  const pending = needsApproval(terms.discountPercent, settings);
  const approval: DiscountApproval | null = pending
    ? {
        id: approvalId,
        dealId: deal.id,
        requestedPercent: terms.discountPercent,
        ...terms,
        status: 'PENDING',
        requestedBy: by,
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        note: null,
      }
    : null;
  return { deal: { ...deal, terms: pending ? deal.terms : terms, version: deal.version + 1, updatedAt: now }, approval };
}
