import { type Actor, assertRole, conflict, parseId } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { leadEvent } from '../../events/lead-events';
import { updateLead } from '../../persistence/lead-repository';
import { touchAssigned } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';
import { authorizeOwner } from '../shared/assignment';
import { loadWritableLead } from '../shared/lead-access';

// Manual assignment by managers (within their team) and admins; the same event as rule-based assignment.
export async function assignLead(deps: LeadDeps, actor: Actor, input: { leadId: unknown; ownerId: unknown }): Promise<Lead> {
  assertRole(actor, ['MANAGER', 'ADMIN'], 'assign leads');
  const ownerId = parseId(input.ownerId, 'ownerId');
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId);
    if (lead.status === 'CONVERTED')
      throw conflict(`Lead ${lead.id} is converted; its opportunity carries the owner now`, { opportunityId: lead.opportunityId });
    const owner = await authorizeOwner(manager, actor, ownerId);
    if (lead.ownerId === owner.id) return lead;
    const now = deps.now();
    const reason = `Assigned by hand to ${owner.name} (by ${actor.userId})`;
    const next: Lead = {
      ...lead,
      ownerId: owner.id,
      ownerTeamId: owner.teamId,
      assignmentReason: reason,
      assignedAt: now,
      version: lead.version + 1,
      updatedAt: now,
    };
    await updateLead(manager, next, lead.version);
    await touchAssigned(manager, [owner.id], now);
    await appendToOutbox(manager, [
      leadEvent(EVENT_TYPES.leadAssigned, next, { ownerId: owner.id, previousOwnerId: lead.ownerId, reason, assignedBy: actor.userId }, now),
    ]);
    return next;
  });
}
