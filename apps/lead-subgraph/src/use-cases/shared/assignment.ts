import { type Actor, badInput, forbidden, hasRole } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import { type AssignmentDecision, chooseOwner, type RepLoad } from '../../domain/assignment';
import { canOwnLeads, type SalesRep } from '../../domain/sales-rep';
import { openLeadCounts } from '../../persistence/lead-repository';
import { findRepsByIds, listReps } from '../../persistence/rep-repository';

const ASSIGNMENT_LOCK = 7_420_101;

// Serialises rule-based assignment so two leads created at once cannot both take a rep's last free slot.
export async function lockAssignment(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [ASSIGNMENT_LOCK]);
}

// A manager's rule-based assignments stay inside their team; everyone else's use every rep.
export async function repLoads(manager: EntityManager, actor?: Actor): Promise<RepLoad[]> {
  const [reps, counts] = await Promise.all([listReps(manager), openLeadCounts(manager)]);
  const teamOnly = actor && hasRole(actor, 'MANAGER') && !hasRole(actor, 'ADMIN');
  return reps
    .filter((rep) => !teamOnly || rep.id === actor.userId || (actor.teamId !== null && rep.teamId === actor.teamId))
    .map((rep) => ({ rep, openLeadCount: counts.get(rep.id) ?? 0 }));
}

// A manager assigns within the team, an admin anywhere, a rep only to themselves; the owner must be able to hold leads.
export async function authorizeOwner(manager: EntityManager, actor: Actor, ownerId: string, field = 'ownerId'): Promise<SalesRep> {
  const [rep] = await findRepsByIds(manager, [ownerId]);
  if (!rep || !canOwnLeads(rep)) throw badInput(field, `${field} must be an active sales rep or manager`);
  if (hasRole(actor, 'ADMIN')) return rep;
  if (hasRole(actor, 'MANAGER') && (rep.id === actor.userId || (actor.teamId !== null && rep.teamId === actor.teamId))) return rep;
  if (hasRole(actor, 'REP') && rep.id === actor.userId) return rep;
  throw forbidden('You may assign leads only to yourself or, as a manager, within your team');
}

export async function decideByRules(
  manager: EntityManager,
  lead: { region: string | null; industry: string | null },
  actor?: Actor,
  excludeOwnerId: string | null = null,
): Promise<AssignmentDecision> {
  await lockAssignment(manager);
  return chooseOwner(lead, await repLoads(manager, actor), excludeOwnerId);
}
