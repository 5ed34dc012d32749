import { type Actor, badInput, isOneOf, newId, OBJECTION_CATEGORIES, parseText } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { Deal } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { updateDeal } from '../../persistence/deal-repository';
import { ObjectionEntity, type ObjectionRow } from '../../persistence/entities';
import type { DealDeps } from '../deps';
import { assertDealNotClosed, assertOpen, assertRoomFor, awaitOpportunitySnapshot, loadWorkableOpportunity, lockOrCreateDeal } from '../shared/deal-access';

// Objections by category, so playbooks can answer them and analytics can link them to why deals were lost.
export async function recordObjection(
  deps: DealDeps,
  actor: Actor,
  input: { opportunityId: unknown; category: unknown; note?: unknown },
): Promise<{ objection: ObjectionRow; deal: Deal }> {
  if (!isOneOf(OBJECTION_CATEGORIES, input.category)) throw badInput('category', `category must be one of ${OBJECTION_CATEGORIES.join(', ')}`);
  const category = input.category;
  const note = parseText(input.note, 'note', { maxLength: 5_000 });
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    assertOpen(opportunity);
    const now = deps.now();
    const deal = await lockOrCreateDeal(manager, opportunity.id, now);
    assertDealNotClosed(deal);
    await assertRoomFor(manager, 'deal_objection', deal.id);
    const objection: ObjectionRow = { id: newId(), dealId: deal.id, category, note, recordedAt: now, recordedBy: actor.userId };
    await manager.getRepository(ObjectionEntity).insert(objection);
    const next = { ...deal, version: deal.version + 1, updatedAt: now };
    await updateDeal(manager, next, deal.version);
    await appendToOutbox(manager, [dealEvent('sales.deal.objection_recorded.v1', next, actor.userId, now, { objectionId: objection.id, category })]);
    return { objection, deal: next };
  });
}
