import { type Actor, badInput, forbidden, hasRole, isUuid } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import { findRepTeam } from '../../persistence/snapshot-repository';
import { waitForSnapshot } from './wait-for-snapshot';

export interface OwnerChoice {
  ownerId: string | null;
  ownerTeamId: string | null;
}

// A rep registered moments ago may not have reached the snapshot yet. Called before the transaction, so the bounded
// wait holds no row lock; resolveOwner then reads once.
const isRepOnly = (actor: Actor) => hasRole(actor, 'REP') && !hasRole(actor, 'MANAGER') && !hasRole(actor, 'ADMIN');

// Only for an owner the caller could pick: a rep asking for someone else is refused at once, not after the wait.
export async function waitForRepSnapshot(manager: EntityManager, actor: Actor, repId: string | null, waitMs: number): Promise<void> {
  if (!repId || (isRepOnly(actor) && repId !== actor.userId)) return;
  await waitForSnapshot(
    () => findRepTeam(manager, repId),
    (found) => found.exists,
    waitMs,
  );
}

// Who may own what: admins give to anyone, managers within their team, reps only to themselves.
export async function resolveOwner(manager: EntityManager, actor: Actor, requested: string | null): Promise<OwnerChoice> {
  if (!requested && isRepOnly(actor) && !isUuid(actor.userId)) throw forbidden('Your identity is not a sales rep, so you cannot own opportunities');
  const ownerId = requested ?? (isRepOnly(actor) ? actor.userId : null);
  if (!ownerId) return { ownerId: null, ownerTeamId: null };
  const rep = await findRepTeam(manager, ownerId);
  if (requested && (!rep.exists || !rep.active)) throw badInput('ownerId', 'ownerId must be an active sales rep');
  if (hasRole(actor, 'ADMIN')) return { ownerId, ownerTeamId: rep.teamId };
  if (ownerId === actor.userId) return { ownerId, ownerTeamId: rep.teamId };
  if (hasRole(actor, 'MANAGER') && actor.teamId !== null && rep.teamId === actor.teamId) return { ownerId, ownerTeamId: rep.teamId };
  throw forbidden('You may give opportunities only to yourself or, as a manager, to your team');
}
