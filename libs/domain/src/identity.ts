import { forbidden } from './errors';

export const ROLES = ['REP', 'MANAGER', 'ANALYST', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

// Who is calling, as the gateway verified it; for reps and managers userId is their SalesRep id.
export interface Actor {
  userId: string;
  roles: Role[];
  teamId: string | null;
}

// What part of the data an actor may read; repositories turn it into a SQL condition.
export type Visibility = { kind: 'all' } | { kind: 'team'; userId: string; teamId: string | null } | { kind: 'own'; userId: string };

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

export function visibilityOf(actor: Actor): Visibility {
  if (hasRole(actor, 'ADMIN') || hasRole(actor, 'ANALYST')) return { kind: 'all' };
  return writeScopeOf(actor) ?? { kind: 'own', userId: actor.userId };
}

// What part of the data an actor may change: ANALYST widens what a token reads, never what it changes, so a
// REP+ANALYST writes only their own records and a MANAGER+ANALYST only their team's. Null: nothing.
export function writeScopeOf(actor: Actor): Visibility | null {
  if (hasRole(actor, 'ADMIN')) return { kind: 'all' };
  if (hasRole(actor, 'MANAGER')) return { kind: 'team', userId: actor.userId, teamId: actor.teamId };
  if (hasRole(actor, 'REP')) return { kind: 'own', userId: actor.userId };
  return null;
}

// A record as visibility sees it: its owner and the owner's team (null when unassigned).
export interface OwnedRecord {
  ownerId: string | null;
  ownerTeamId: string | null;
}

export function isWithin(scope: Visibility, record: OwnedRecord): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'team':
      // Managers also see the unassigned queue: they are the ones who dispatch it.
      return record.ownerId === null || record.ownerId === scope.userId || (scope.teamId !== null && record.ownerTeamId === scope.teamId);
    case 'own':
      return record.ownerId === scope.userId;
  }
}

export const canRead = (actor: Actor, record: OwnedRecord): boolean => isWithin(visibilityOf(actor), record);

export function canWrite(actor: Actor, record: OwnedRecord): boolean {
  const scope = writeScopeOf(actor);
  return scope !== null && isWithin(scope, record);
}

export function assertCanWriteAnything(actor: Actor): void {
  if (!hasRole(actor, 'ADMIN') && !hasRole(actor, 'MANAGER') && !hasRole(actor, 'REP')) {
    throw forbidden('Your role may read but not change records');
  }
}

export function assertRole(actor: Actor, allowed: Role[], action: string): void {
  if (!allowed.some((role) => hasRole(actor, role))) {
    throw forbidden(`Only ${allowed.join(' or ')} may ${action}`);
  }
}

// The automation actor stands for the services themselves (event consumers, schedulers).
export const SYSTEM_ACTOR: Actor = { userId: 'system', roles: ['ADMIN'], teamId: null };
