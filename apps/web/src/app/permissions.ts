import type { Identity } from './identity';

// What the UI offers, mirroring the services' rules; the services decide, the UI only avoids offering what they refuse.
export interface OwnedRecord {
  ownerId: string | null;
  ownerTeamId: string | null;
}

const has = (identity: Identity, role: Identity['roles'][number]) => identity.roles.includes(role);

// Reps change their own records, managers their team's (and unassigned ones), admins all; analysts only read.
export function canWork(identity: Identity, record: OwnedRecord): boolean {
  if (has(identity, 'ADMIN')) return true;
  if (
    has(identity, 'MANAGER') &&
    (record.ownerId === null || record.ownerId === identity.userId || (identity.teamId !== null && record.ownerTeamId === identity.teamId))
  )
    return true;
  return has(identity, 'REP') && record.ownerId !== null && record.ownerId === identity.userId;
}

export const canWorkAnything = (identity: Identity): boolean => has(identity, 'ADMIN') || has(identity, 'MANAGER') || has(identity, 'REP');

export const canAssignLeads = (identity: Identity): boolean => has(identity, 'ADMIN') || has(identity, 'MANAGER');

export const canReopenDeals = (identity: Identity, record: OwnedRecord): boolean =>
  (has(identity, 'ADMIN') || has(identity, 'MANAGER')) && canWork(identity, record);

// A manager of the owner's team decides discounts, never for their own deal; admins decide all.
export function canDecideDiscount(identity: Identity, record: OwnedRecord): boolean {
  if (has(identity, 'ADMIN')) return true;
  return has(identity, 'MANAGER') && identity.teamId !== null && record.ownerTeamId === identity.teamId && record.ownerId !== identity.userId;
}

export const seesManagerScreen = (identity: Identity): boolean => has(identity, 'ADMIN') || has(identity, 'MANAGER');

// Tasks follow their assignee: a rep changes own tasks, a manager the team's, an admin all; analysts only read.
export const canWorkTask = (identity: Identity, assignee: { id: string; teamId: string | null }): boolean =>
  canWork(identity, { ownerId: assignee.id, ownerTeamId: assignee.teamId });

// Managers and admins plan tasks for others; a rep plans their own.
export const canAssignTasks = (identity: Identity): boolean => has(identity, 'ADMIN') || has(identity, 'MANAGER');

export type ForecastLevel = 'COMPANY' | 'TEAM' | 'REP';

// Forecast accuracy: the company's is for analysts and admins, a team's for its manager too, a rep sees their own.
export function forecastLevels(identity: Identity): ForecastLevel[] {
  if (has(identity, 'ADMIN') || has(identity, 'ANALYST')) return ['REP', 'TEAM', 'COMPANY'];
  if (has(identity, 'MANAGER')) return identity.teamId ? ['REP', 'TEAM'] : ['REP'];
  return ['REP'];
}

// Activity coaching: a manager reads their own team; analysts and admins any team or everyone (the analytics graph enforces it).
export const seesEveryTeam = (identity: Identity): boolean => has(identity, 'ADMIN') || has(identity, 'ANALYST');
