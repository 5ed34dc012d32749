import { type Actor, canRead, canWrite, conflict, forbidden, hasRole, LIST_LIMITS, newId, notFound, parseId } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { Deal } from '../../domain/deal';
import { findDealForUpdate } from '../../persistence/deal-repository';
import { findOpportunityViews, opportunitySnapshotExists, type OpportunityView } from '../../persistence/snapshot-repository';
import type { DealDeps } from '../deps';

const SNAPSHOT_POLL_MS = 50;

// Runs before the transaction opens: a just-created opportunity may still be on its way by event, and waiting here holds no connection or row lock.
export async function awaitOpportunitySnapshot(deps: DealDeps, rawId: unknown, field = 'opportunityId'): Promise<string> {
  const id = parseId(rawId, field);
  const deadline = Date.now() + deps.settings.snapshotWaitMs;
  while (!(await opportunitySnapshotExists(deps.dataSource.manager, id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_POLL_MS));
  }
  return id;
}

// The opportunity's owner, their manager and admins work its deal; analysts read it; others do not see it. Reads once: never waits in a transaction.
// An archived opportunity's deal takes no change, as the opportunity itself takes none until restored.
export async function loadWorkableOpportunity(manager: EntityManager, actor: Actor, id: string): Promise<OpportunityView> {
  const [view] = await findOpportunityViews(manager, [id]);
  if (!view || !canRead(actor, view)) throw notFound('Opportunity', id);
  if (!canWrite(actor, view)) throw forbidden("You may read this opportunity's deal but not work it");
  if (view.archived) throw conflict(`Opportunity ${id} is archived; restore it first`, { opportunityId: id });
  return view;
}

export function assertOpen(view: OpportunityView): void {
  if (view.status !== 'OPEN') throw conflict(`Opportunity ${view.id} is ${view.status}; its deal is closed`, { status: view.status });
}

// The locked deal row knows of a close at once; the opportunity snapshot only once the close has come back by event.
export function assertDealNotClosed(deal: Deal): void {
  if (deal.outcome === 'WON' || deal.outcome === 'LOST')
    throw conflict(`The deal is already closed ${deal.outcome}; a manager can reopen it`, { status: deal.outcome });
}

const BOUNDED_PARTS = {
  proposal: { limit: LIST_LIMITS.proposalsPerDeal, what: 'proposals' },
  discount_approval: { limit: LIST_LIMITS.approvalsPerDeal, what: 'discount approval requests' },
  commitment: { limit: LIST_LIMITS.commitmentsPerDeal, what: 'commitments' },
  deal_objection: { limit: 100, what: 'objections' },
} as const;

// A deal's lists are bounded, so reading a deal is bounded work (the gateway counts them at these sizes). Called
// with the deal row locked, so two writers cannot both take the last place.
export async function assertRoomFor(manager: EntityManager, part: keyof typeof BOUNDED_PARTS, dealId: string): Promise<void> {
  const { limit, what } = BOUNDED_PARTS[part];
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${part} WHERE deal_id = $1`, [dealId]);
  if (count >= limit) throw conflict(`A deal holds at most ${limit} ${what}; this one is full`, { limit });
}

// Approvals belong to managers of the owner's team (and admins), never to the rep asking for the discount.
export function assertCanApprove(actor: Actor, view: OpportunityView): void {
  if (hasRole(actor, 'ADMIN')) return;
  if (hasRole(actor, 'MANAGER') && actor.teamId !== null && view.ownerTeamId === actor.teamId && view.ownerId !== actor.userId) return;
  throw forbidden("Only a manager of the owner's team or an admin decides discounts");
}

// Every use case locks the deal row before its proposals or approvals, so concurrent changes to one deal queue instead of deadlocking.
// The deal row appears with its first proposal, terms, commitment or close (until then Opportunity.deal is null).
export async function lockOrCreateDeal(manager: EntityManager, opportunityId: string, now: Date): Promise<Deal> {
  await manager.query(
    `INSERT INTO deal (id, opportunity_id, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3) ON CONFLICT (opportunity_id) DO NOTHING`,
    [newId(), opportunityId, now],
  );
  const deal = await findDealForUpdate(manager, opportunityId);
  if (!deal) throw new Error(`Deal for ${opportunityId} vanished`);
  return deal;
}
