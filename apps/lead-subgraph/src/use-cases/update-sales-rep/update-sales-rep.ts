import { type Actor, assertRole, forbidden, hasRole, notFound, parseId, parseInteger, parseStringList, parseText } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { SalesRep } from '../../domain/sales-rep';
import { repEvent } from '../../events/lead-events';
import { findRepsByIds, updateRep } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';

export interface UpdateSalesRepCommand {
  salesRepId: unknown;
  teamId?: unknown;
  regions?: unknown;
  industries?: unknown;
  capacity?: unknown;
  active?: boolean | null;
}

// Team moves and deactivation change who may see what, so they are published for every service.
export async function updateSalesRep(deps: LeadDeps, actor: Actor, input: UpdateSalesRepCommand): Promise<SalesRep> {
  assertRole(actor, ['ADMIN', 'MANAGER'], 'change sales reps');
  const id = parseId(input.salesRepId, 'salesRepId');
  return deps.dataSource.transaction(async (manager) => {
    const [current] = await findRepsByIds(manager, [id]);
    if (!current) throw notFound('Sales rep', id);
    const isAdmin = hasRole(actor, 'ADMIN');
    if (!isAdmin && (current.teamId === null || current.teamId !== actor.teamId)) throw forbidden('A manager may change only reps of their own team');
    if (!isAdmin && input.teamId !== undefined) throw forbidden('Only an admin moves reps between teams');
    const now = deps.now();
    const next: SalesRep = {
      ...current,
      teamId: input.teamId !== undefined ? parseText(input.teamId, 'teamId', { maxLength: 100 }) : current.teamId,
      regions: input.regions !== undefined && input.regions !== null ? parseStringList(input.regions, 'regions') : current.regions,
      industries: input.industries !== undefined && input.industries !== null ? parseStringList(input.industries, 'industries') : current.industries,
      capacity: input.capacity !== undefined && input.capacity !== null ? parseInteger(input.capacity, 'capacity', 0, 10_000) : current.capacity,
      active: typeof input.active === 'boolean' ? input.active : current.active,
      version: current.version + 1,
      updatedAt: now,
    };
    await updateRep(manager, next, current.version);
    await appendToOutbox(manager, [repEvent(EVENT_TYPES.repUpdated, next, now)]);
    return next;
  });
}
