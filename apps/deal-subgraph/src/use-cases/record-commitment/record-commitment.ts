import { type Actor, badInput, COMMITMENT_TYPES, isOneOf, newId, parseText, requireText } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { Deal } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { insertCommitment, updateDeal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertDealNotClosed, assertOpen, assertRoomFor, awaitOpportunitySnapshot, loadWorkableOpportunity, lockOrCreateDeal } from '../shared/deal-access';

export async function recordCommitment(
  deps: DealDeps,
  actor: Actor,
  input: { opportunityId: unknown; type: unknown; contactName: unknown; notes?: unknown },
): Promise<Deal> {
  if (!isOneOf(COMMITMENT_TYPES, input.type)) throw badInput('type', 'type must be VERBAL or WRITTEN');
  const type = input.type;
  const contactName = requireText(input.contactName, 'contactName', { maxLength: 200 });
  const notes = parseText(input.notes, 'notes', { maxLength: 5_000 });
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    assertOpen(opportunity);
    const now = deps.now();
    const deal = await lockOrCreateDeal(manager, opportunity.id, now);
    assertDealNotClosed(deal);
    await assertRoomFor(manager, 'commitment', deal.id);
    await insertCommitment(manager, { id: newId(), dealId: deal.id, type, committedAt: now, contactName, notes, recordedBy: actor.userId });
    const next = { ...deal, version: deal.version + 1, updatedAt: now };
    await updateDeal(manager, next, deal.version);
    // The contact's name is a person's: published only encrypted with the key of the opportunity's lead (the deal's
    // without one), which erasing the lead destroys.
    const fact = dealEvent('sales.deal.commitment_recorded.v1', next, actor.userId, now, { type, contactName: '', committedAt: now.toISOString() });
    await appendToOutbox(manager, [{ ...fact, personal: { subjectId: opportunity.leadId ?? deal.id, path: [], fields: { contactName } } }]);
    return next;
  });
}
