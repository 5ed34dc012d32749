import { type Actor, badInput, DEAL_OUTCOMES, isOneOf, LOST_REASONS, parseDate, parseText, toIsoDate } from '@pipeline/domain';

import { closeEffect, type Deal, planClose } from '../../domain/deal';
import { dealEvent } from '../../events/deal-events';
import { approvalsByDealIds, commitmentsByDealIds, updateDeal } from '../../persistence/deal-repository';
import { loadDealSettings } from '../../persistence/snapshot-repository';
import type { DealDeps } from '../deps';
import { awaitOpportunitySnapshot, loadWorkableOpportunity, lockOrCreateDeal } from '../shared/deal-access';
import { appendRedactedDealEvents } from '../shared/deal-person-text';

export interface CloseDealCommand {
  opportunityId: unknown;
  outcome: unknown;
  lostReason?: unknown;
  note?: unknown;
  deferredUntil?: unknown;
  competitor?: unknown;
}

// Records the outcome and publishes sales.deal.closed.v1; the opportunity service moves the stage (one writer of stage).
export async function closeDeal(deps: DealDeps, actor: Actor, input: CloseDealCommand): Promise<Deal> {
  if (!isOneOf(DEAL_OUTCOMES, input.outcome)) throw badInput('outcome', 'outcome must be WON, LOST or DEFERRED');
  const outcome = input.outcome;
  if (input.lostReason !== null && input.lostReason !== undefined && !isOneOf(LOST_REASONS, input.lostReason))
    throw badInput('lostReason', `lostReason must be one of ${LOST_REASONS.join(', ')}`);
  const lostReason = outcome === 'LOST' ? ((input.lostReason as (typeof LOST_REASONS)[number] | undefined) ?? null) : null;
  const deferredUntil =
    outcome === 'DEFERRED' && input.deferredUntil !== null && input.deferredUntil !== undefined ? parseDate(input.deferredUntil, 'deferredUntil') : null;
  const note = parseText(input.note, 'note', { maxLength: 2_000 });
  const competitor = parseText(input.competitor, 'competitor', { maxLength: 200 });
  const now = deps.now();
  const details = { outcome, lostReason, deferredUntil, note, competitor };
  // Refuses a malformed request before waiting for anything.
  closeEffect(null, details, toIsoDate(now));
  const opportunityId = await awaitOpportunitySnapshot(deps, input.opportunityId);
  return deps.dataSource.transaction(async (manager) => {
    const opportunity = await loadWorkableOpportunity(manager, actor, opportunityId);
    const deal = await lockOrCreateDeal(manager, opportunity.id, now);
    // One after another: a transaction has one connection, and pg refuses overlapping queries on it from v9.
    const winRules =
      outcome === 'WON'
        ? {
            approvals: await approvalsByDealIds(manager, [deal.id]),
            commitments: await commitmentsByDealIds(manager, [deal.id]),
            settings: await loadDealSettings(manager),
          }
        : undefined;
    const next = planClose(deal, details, { opportunityStatus: opportunity.status, amount: opportunity.amount, winRules }, actor.userId, now);
    if (!next) return deal;
    await updateDeal(manager, next, deal.version);
    await appendRedactedDealEvents(deps, manager, [
      dealEvent('sales.deal.closed.v1', next, actor.userId, now, {
        outcome,
        lostReason,
        closeNote: note,
        closedAt: now.toISOString(),
        deferredUntil,
        amount: opportunity.amount,
        competitor,
      }),
    ]);
    return next;
  });
}
