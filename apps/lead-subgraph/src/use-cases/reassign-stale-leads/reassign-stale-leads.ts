import { assertRole, type Actor } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';
import type { Lead } from '../../domain/lead';
import { chooseOwner } from '../../domain/assignment';
import { leadEvent } from '../../events/lead-events';
import { touchAssigned } from '../../persistence/rep-repository';
import { findLeadsByIds, updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { lockAssignment, repLoads } from '../shared/assignment';

// Leads nobody has worked within the SLA go back through the assignment rules (never to the same owner), with the reason recorded.
export async function reassignStaleLeads(deps: LeadDeps, actor: Actor): Promise<Lead[]> {
  assertRole(actor, ['ADMIN', 'MANAGER'], 're-assign stale leads');
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.settings.slaHours * 3_600_000);
  return deps.dataSource.transaction(async (manager) => {
    await lockAssignment(manager);
    const stale: Array<{ id: string }> = await manager.query(
      `SELECT id FROM lead
        WHERE owner_id IS NOT NULL AND status IN ('NEW', 'WORKING')
          AND coalesce(last_activity_at, assigned_at, created_at) < $1
        ORDER BY coalesce(last_activity_at, assigned_at, created_at)
        LIMIT 500
        FOR UPDATE SKIP LOCKED`,
      [cutoff],
    );
    const leads = await findLeadsByIds(manager, stale.map((row) => row.id));
    const loads = await repLoads(manager);
    const changed: Lead[] = [];
    for (const lead of leads) {
      if (actor.roles.includes('MANAGER') && !actor.roles.includes('ADMIN') && lead.ownerTeamId !== actor.teamId) continue;
      const decision = chooseOwner(lead, loads, lead.ownerId);
      const idle = Math.round((now.getTime() - (lead.lastActivityAt ?? lead.assignedAt ?? lead.createdAt).getTime()) / 3_600_000);
      const reason = `SLA: no activity for ${idle}h (limit ${deps.settings.slaHours}h) with the previous owner. ${decision.reason}`;
      const owner = loads.find((load) => load.rep.id === decision.ownerId)?.rep;
      const next: Lead = { ...lead, ownerId: decision.ownerId, ownerTeamId: owner?.teamId ?? null, assignmentReason: reason, assignedAt: now, version: lead.version + 1, updatedAt: now };
      await updateLead(manager, next, lead.version);
      // Keep the in-memory loads in step so later leads in this batch see the new counts.
      for (const load of loads) {
        if (load.rep.id === lead.ownerId) load.openLeadCount -= 1;
        if (load.rep.id === decision.ownerId) {
          load.openLeadCount += 1;
          load.rep = { ...load.rep, lastAssignedAt: now };
        }
      }
      if (decision.ownerId) await touchAssigned(manager, decision.ownerId, now);
      await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadAssigned, next, { ownerId: decision.ownerId, previousOwnerId: lead.ownerId, reason, assignedBy: null }, now)]);
      changed.push(next);
    }
    return changed;
  });
}
