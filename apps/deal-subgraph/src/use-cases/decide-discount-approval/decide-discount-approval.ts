import { badInput, conflict, notFound, parseId, parseText, type Actor } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';
import type { Deal } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { findApproval, findDealById, saveApproval, updateDeal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertCanApprove, loadWorkableOpportunity } from '../shared/deal-access';

// A manager of the owner's team (or an admin) approves or rejects; who and when are kept; approved terms take effect.
export async function decideDiscountApproval(deps: DealDeps, actor: Actor, input: { approvalId: unknown; approve: unknown; note?: unknown }): Promise<Deal> {
  const approvalId = parseId(input.approvalId, 'approvalId');
  if (typeof input.approve !== 'boolean') throw badInput('approve', 'approve must be true or false');
  const approve = input.approve;
  const note = parseText(input.note, 'note', { maxLength: 1_000 });
  return deps.dataSource.transaction(async (manager) => {
    const approval = await findApproval(manager, approvalId, true);
    if (!approval) throw notFound('Discount approval', approvalId);
    const deal = await findDealById(manager, approval.dealId, true);
    if (!deal) throw notFound('Discount approval', approvalId);
    const opportunity = await loadWorkableOpportunity(deps, manager, actor, deal.opportunityId).catch((error) => {
      throw error.code === 'NOT_FOUND' ? notFound('Discount approval', approvalId) : error;
    });
    assertCanApprove(actor, opportunity);
    if (approval.status !== 'PENDING') throw conflict(`This approval was already decided (${approval.status})`, { status: approval.status });
    const now = deps.now();
    await saveApproval(manager, { ...approval, status: approve ? 'APPROVED' : 'REJECTED', decidedBy: actor.userId, decidedAt: now, note });
    const next: Deal = {
      ...deal,
      terms: approve ? { discountPercent: approval.requestedPercent, paymentTermsDays: approval.paymentTermsDays, contractLengthMonths: approval.contractLengthMonths } : deal.terms,
      version: deal.version + 1,
      updatedAt: now,
    };
    await updateDeal(manager, next, deal.version);
    await appendToOutbox(manager, [dealEvent('sales.deal.discount_decided.v1', next, actor.userId, now, { approvalId, requestedPercent: approval.requestedPercent, approved: approve, note })]);
    return next;
  });
}
