import { type Actor, assertRole, conflict, hasRole, isUuid } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { chooseOwner } from '../../domain/assignment';
import type { Lead } from '../../domain/lead';
import { leadEvent } from '../../events/lead-events';
import { findLeadsByIds, updatedRowCount } from '../../persistence/lead-repository';
import { touchAssigned } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';
import { lockAssignment, repLoads } from '../shared/assignment';

// One run handles at most this many leads, so the global assignment lock is held briefly; the next run takes the rest.
const BATCH = 500;

// The run's scope is filtered in SQL, before LIMIT: a manager's own team is never starved by other teams' older leads.
async function lockStaleLeadIds(manager: EntityManager, actor: Actor, cutoff: Date): Promise<string[]> {
  const teamOnly = hasRole(actor, 'MANAGER') && !hasRole(actor, 'ADMIN');
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT lead.id FROM lead JOIN sales_rep owner ON owner.id = lead.owner_id
      WHERE lead.status IN ('NEW', 'WORKING') AND lead.archived_at IS NULL
        AND coalesce(lead.last_activity_at, lead.assigned_at, lead.created_at) < $1
        AND (NOT $2::boolean OR lead.owner_id = $3::uuid OR ($4::text IS NOT NULL AND owner.team_id = $4::text))
      ORDER BY coalesce(lead.last_activity_at, lead.assigned_at, lead.created_at), lead.id
      LIMIT ${BATCH}
      FOR UPDATE OF lead SKIP LOCKED`,
    [cutoff, teamOnly, isUuid(actor.userId) ? actor.userId : null, actor.teamId],
  );
  return rows.map((row) => row.id);
}

// Leads nobody has worked within the SLA go back through the assignment rules (never to the same owner), with the reason recorded.
export async function reassignStaleLeads(deps: LeadDeps, actor: Actor): Promise<Lead[]> {
  assertRole(actor, ['ADMIN', 'MANAGER'], 're-assign stale leads');
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.settings.slaHours * 3_600_000);
  return deps.dataSource.transaction(async (manager) => {
    await lockAssignment(manager);
    const ids = await lockStaleLeadIds(manager, actor, cutoff);
    if (ids.length === 0) return [];
    const position = new Map(ids.map((id, index) => [id, index]));
    // Oldest first, as selected, so the longest-waiting leads get the freest reps.
    const leads = (await findLeadsByIds(manager, ids)).sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    // The actor decides the candidates: a manager's run hands leads only to their own team.
    const loads = await repLoads(manager, actor);
    const changed: Array<{ before: Lead; after: Lead }> = [];
    for (const lead of leads) {
      const decision = chooseOwner(lead, loads, lead.ownerId);
      const idle = Math.round((now.getTime() - (lead.lastActivityAt ?? lead.assignedAt ?? lead.createdAt).getTime()) / 3_600_000);
      const reason = `SLA: no activity for ${idle}h (limit ${deps.settings.slaHours}h) with the previous owner. ${decision.reason}`;
      const owner = loads.find((load) => load.rep.id === decision.ownerId)?.rep;
      changed.push({
        before: lead,
        after: {
          ...lead,
          ownerId: decision.ownerId,
          ownerTeamId: owner?.teamId ?? null,
          assignmentReason: reason,
          assignedAt: now,
          version: lead.version + 1,
          updatedAt: now,
        },
      });
      // Keep the in-memory loads in step so later leads in this batch see the new counts.
      for (const load of loads) {
        if (load.rep.id === lead.ownerId) load.openLeadCount -= 1;
        if (load.rep.id === decision.ownerId) {
          load.openLeadCount += 1;
          load.rep = { ...load.rep, lastAssignedAt: now };
        }
      }
    }

    const result = await manager.query(
      `UPDATE lead SET owner_id = v.owner_id, assignment_reason = v.reason, assigned_at = $5, version = lead.version + 1, updated_at = $5
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) AS v(id, owner_id, reason, version)
        WHERE lead.id = v.id AND lead.version = v.version`,
      [
        changed.map(({ after }) => after.id),
        changed.map(({ after }) => after.ownerId),
        changed.map(({ after }) => after.assignmentReason),
        changed.map(({ before }) => before.version),
        now,
      ],
    );
    // The rows are locked, so a shortfall means something bypassed the lock: refuse rather than publish wrong events.
    if (updatedRowCount(result) !== changed.length) throw conflict('Leads changed while being re-assigned; run again');
    await touchAssigned(
      manager,
      changed.flatMap(({ after }) => (after.ownerId ? [after.ownerId] : [])),
      now,
    );
    await appendToOutbox(
      manager,
      changed.map(({ before, after }) =>
        leadEvent(
          EVENT_TYPES.leadAssigned,
          after,
          { ownerId: after.ownerId, previousOwnerId: before.ownerId, reason: after.assignmentReason ?? '', assignedBy: null },
          now,
        ),
      ),
    );
    return changed.map(({ after }) => after);
  });
}
