import type { AnyPipelineEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { approversFor, type NotificationDraft } from '../../domain/notification';
import { findOpportunityOwner, teamMembers, teamOf } from '../../persistence/snapshot-repository';
import { recordNotifications } from '../../use-cases/record-notifications/record-notifications';

type DiscountFact = Extract<AnyPipelineEvent, { type: 'sales.deal.terms_set.v1' | 'sales.deal.discount_decided.v1' }>;

// A discount waiting tells the managers of the owner's team; a decision tells the owner.
export async function notifyOnDealEvent(event: DiscountFact, manager: EntityManager): Promise<void> {
  const data = event.data;
  const opportunity = await findOpportunityOwner(manager, data.opportunityId);
  const name = opportunity?.name ?? 'an opportunity';
  const base = { leadId: null, opportunityId: data.opportunityId, taskId: null, sourceKey: event.id };
  let drafts: NotificationDraft[] = [];
  if (event.type === 'sales.deal.terms_set.v1') {
    if (event.data.approvalStatus !== 'PENDING') return;
    // The opportunity's owner decides the team; the requester stands in while the opportunity is still on its way.
    const owner = opportunity?.ownerId ?? data.actorId;
    const team = await teamOf(manager, owner);
    const approvers = team === null ? [] : approversFor(team, data.actorId, await teamMembers(manager, team));
    drafts = approvers.map((recipientId) => ({
      ...base,
      recipientId,
      kind: 'DISCOUNT_APPROVAL_REQUESTED' as const,
      title: `Discount of ${event.data.discountPercent}% waiting for your approval: ${name}`,
      body: `${event.data.paymentTermsDays} days payment, ${event.data.contractLengthMonths} months contract.`,
    }));
  } else {
    const decided = event.data;
    const owner = opportunity?.ownerId ?? null;
    if (owner === null || owner === data.actorId) return;
    drafts = [
      {
        ...base,
        recipientId: owner,
        kind: 'DISCOUNT_APPROVAL_DECIDED',
        title: `Discount of ${decided.requestedPercent}% ${decided.approved ? 'approved' : 'rejected'}: ${name}`,
        body: decided.note ?? '',
      },
    ];
  }
  await recordNotifications(manager, drafts, new Date());
}
