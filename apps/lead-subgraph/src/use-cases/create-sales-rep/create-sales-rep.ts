import {
  type Actor,
  assertRole,
  badInput,
  forbidden,
  hasRole,
  isRole,
  newId,
  parseEmail,
  parseInteger,
  parseStringList,
  parseText,
  requireText,
} from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { SalesRep } from '../../domain/sales-rep';
import { repEvent } from '../../events/lead-events';
import { insertRep } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';

export interface CreateSalesRepCommand {
  name: unknown;
  email: unknown;
  role: unknown;
  teamId?: unknown;
  regions: unknown;
  industries: unknown;
  capacity: unknown;
}

// Admins register anyone; a manager registers reps into their own team.
export async function createSalesRep(deps: LeadDeps, actor: Actor, input: CreateSalesRepCommand): Promise<SalesRep> {
  assertRole(actor, ['ADMIN', 'MANAGER'], 'register sales reps');
  if (!isRole(input.role)) throw badInput('role', 'role must be one of REP, MANAGER, ANALYST, ADMIN');
  const now = deps.now();
  const rep: SalesRep = {
    id: newId(),
    name: requireText(input.name, 'name', { maxLength: 200 }),
    email: parseEmail(input.email, 'email', true) as string,
    role: input.role,
    teamId: parseText(input.teamId, 'teamId', { maxLength: 100 }),
    regions: parseStringList(input.regions, 'regions'),
    industries: parseStringList(input.industries, 'industries'),
    capacity: parseInteger(input.capacity, 'capacity', 0, 10_000),
    active: true,
    version: 1,
    lastAssignedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  if (!hasRole(actor, 'ADMIN') && (rep.role !== 'REP' || rep.teamId === null || rep.teamId !== actor.teamId)) {
    throw forbidden('A manager may register only reps (role REP) in their own team');
  }
  return deps.dataSource.transaction(async (manager) => {
    await insertRep(manager, rep);
    await appendToOutbox(manager, [repEvent(EVENT_TYPES.repRegistered, rep, now)]);
    return rep;
  });
}
