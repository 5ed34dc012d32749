import type { EntityManager } from 'typeorm';
import { badInput, forbidden, hasRole, type Actor } from '@pipeline/domain';
import { findRepTeam } from '../../persistence/snapshot-repository';
import { waitForSnapshot } from './wait-for-snapshot';

export interface OwnerChoice {
  ownerId: string | null;
  ownerTeamId: string | null;
}

// Who may own what: admins give to anyone, managers within their team, reps only to themselves.
export async function resolveOwner(manager: EntityManager, actor: Actor, requested: string | null, waitMs: number): Promise<OwnerChoice> {
  const isRepOnly = hasRole(actor, 'REP') && !hasRole(actor, 'MANAGER') && !hasRole(actor, 'ADMIN');
  const ownerId = requested ?? (isRepOnly ? actor.userId : null);
  if (!ownerId) return { ownerId: null, ownerTeamId: null };
  const rep = await waitForSnapshot(() => findRepTeam(manager, ownerId), (found) => found.exists, requested ? waitMs : 0);
  if (requested && (!rep.exists || !rep.active)) throw badInput('ownerId', 'ownerId must be an active sales rep');
  if (hasRole(actor, 'ADMIN')) return { ownerId, ownerTeamId: rep.teamId };
  if (ownerId === actor.userId) return { ownerId, ownerTeamId: rep.teamId };
  if (hasRole(actor, 'MANAGER') && actor.teamId !== null && rep.teamId === actor.teamId) return { ownerId, ownerTeamId: rep.teamId };
  throw forbidden('You may give opportunities only to yourself or, as a manager, to your team');
}
