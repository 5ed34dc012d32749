import { type Actor, badInput, conflict, notFound, parseId, parseText } from '@pipeline/domain';

import type { Deal } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { findApproval, findDealById, saveApproval, updateDeal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertCanApprove, assertDealNotClosed, assertOpen, loadWorkableOpportunity } from '../shared/deal-access';
import { appendRedactedDealEvents } from '../shared/deal-person-text';

// A manager of the owner's team (or an admin) approves or rejects; who and when are kept; approved terms take effect.
export async function decideDiscountApproval(deps: DealDeps, actor: Actor, input: { approvalId: unknown; approve: unknown; note?: unknown }): Promise<Deal> {
  const approvalId = parseId(input.approvalId, 'approvalId');
  if (typeof input.approve !== 'boolean') throw badInput('approve', 'approve must be true or false');
  const approve = input.approve;
  const note = parseText(input.note, 'note', { maxLength: 1_000 });
  return deps.dataSource.transaction(async (manager) => {
    const found = await findApproval(manager, approvalId);
    if (!found) throw notFound('Discount approval', approvalId);
    // The unlocked read only told which deal to lock: the deal first, then the approval, as setDealTerms locks them.
    const deal = await findDealById(manager, found.dealId, true);
    if (!deal) throw notFound('Discount approval', approvalId);
    // The deal exists only for an opportunity whose snapshot was already here, so one read is enough.
    const opportunity = await loadWorkableOpportunity(manager, actor, deal.opportunityId).catch((error) => {
      throw error.code === 'NOT_FOUND' ? notFound('Discount approval', approvalId) : error;
    });
    assertCanApprove(actor, opportunity);
    // Approving after the close would rewrite the terms of a won or lost deal.
    assertOpen(opportunity);
    assertDealNotClosed(deal);
    const approval = await findApproval(manager, approvalId, true);
    if (!approval) throw notFound('Discount approval', approvalId);
    if (approval.status !== 'PENDING') throw conflict(`This approval was already decided (${approval.status})`, { status: approval.status });
    const now = deps.now();
    await saveApproval(manager, { ...approval, status: approve ? 'APPROVED' : 'REJECTED', decidedBy: actor.userId, decidedAt: now, note });
    const next: Deal = {
      ...deal,
      terms: approve
        ? { discountPercent: approval.requestedPercent, paymentTermsDays: approval.paymentTermsDays, contractLengthMonths: approval.contractLengthMonths }
        : deal.terms,
      version: deal.version + 1,
      updatedAt: now,
    };
    await updateDeal(manager, next, deal.version);
    await appendRedactedDealEvents(deps, manager, [
      dealEvent('sales.deal.discount_decided.v1', next, actor.userId, now, {
        approvalId,
        requestedPercent: approval.requestedPercent,
        approved: approve,
        note,
      }),
    ]);
    return next;
  });
}
