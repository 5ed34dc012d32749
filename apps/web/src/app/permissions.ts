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
